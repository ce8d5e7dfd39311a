package org.example.modular;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.testkit.FakeRuntime;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a two-service stack on the embedded fake runtime (chosen with {@code
 * -Dscompose.runtime=fake}, found through the testkit's {@code provides EmbeddedRuntimeProvider}),
 * from a named module on the module path, after checking the library modules' surface. Prints one
 * line per check; exits 1 with the reason on the first failed one.
 */
public final class ModularStack {

  private static final String STACK =
      "services:\n"
          + "  db:\n"
          + "    image: docker://example/db:1.0\n"
          + "  app:\n"
          + "    image: docker://example/app:1.0\n"
          + "    environment:\n"
          + "      GREETING: hello from a module\n"
          + "    depends_on: [db]\n";

  public static void main(String[] args) throws Exception {
    // on the module path: this module, the library modules and snakeyaml-engine are named modules
    for (Class<?> type : List.of(ModularStack.class, Compose.class, ComposeProject.class)) {
      check(type.getModule().isNamed(), type + " is in a named module");
    }
    check(
        ModuleLayer.boot().findModule("org.snakeyaml.engine.v2").isPresent(),
        "snakeyaml-engine is resolved as the module org.snakeyaml.engine.v2");
    check(
        FakeRuntime.class.getModule().getName().equals("io.github.scompose.testkit"),
        "FakeRuntime is in the module io.github.scompose.testkit");
    check(
        !Compose.class.getModule().isExported("io.github.scompose.core.internal.compose"),
        "core does not export its .internal packages");

    checkLibraryModules();

    Path dir = Files.createTempDirectory("scompose-modular");
    Path file = Files.writeString(dir.resolve("docker-compose.yml"), STACK);
    ComposeProject project =
        ComposeLoader.defaults().withEnvironment(Map.of()).withProjectName("modular").load(file);

    // the value API: toBuilder(), withX(..) on the public type; the generated class is not public
    ServiceSpec app = project.service("app").orElseThrow();
    check(app.toBuilder().build().equals(app), "toBuilder().build() equals the value");
    ServiceSpec changed = app.withEnvironment(Map.of("GREETING", "changed"));
    check(
        changed.environment().get("GREETING").equals("changed"),
        "withEnvironment(..) is callable on ServiceSpec");
    Class<?> generated = Class.forName("io.github.scompose.spec.ImmutableServiceSpec");
    check(!Modifier.isPublic(generated.getModifiers()), generated.getName() + " is not public");

    try (ComposeStack stack = Compose.local().up(project)) {
      List<InstanceStatus> ps = stack.ps();
      check(ps.size() == 2, "two instances are up: " + ps);
      CommandResult greeting = stack.exec("app", "printenv", "GREETING");
      check(
          greeting.exitCode() == 0 && greeting.stdout().equals("hello from a module\n"),
          "exec sees the service's environment: " + greeting.stdout().strip());
      List<String> stopped = stack.down();
      check(stopped.size() == 2, "down stopped " + stopped);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
    System.out.println("modular consumer: OK");
  }

  /**
   * Each library module is an explicit module (a module-info.class, not an automatic module) that
   * exports no .internal package, and none of its generated classes (Immutables' ImmutableX and
   * WithX) is public.
   */
  private static void checkLibraryModules() throws Exception {
    for (String name :
        List.of(
            "io.github.scompose.spec",
            "io.github.scompose.network",
            "io.github.scompose.core",
            "io.github.scompose.testkit")) {
      ResolvedModule resolved = ModuleLayer.boot().configuration().findModule(name).orElse(null);
      check(resolved != null, name + " is resolved");
      ModuleDescriptor descriptor = resolved.reference().descriptor();
      check(!descriptor.isAutomatic(), name + " has a module-info.class");
      String exports =
          descriptor.exports().stream()
              .map(ModuleDescriptor.Exports::source)
              .sorted()
              .collect(Collectors.joining(", "));
      check(!exports.contains(".internal"), name + " exports " + exports);
      Module module = ModuleLayer.boot().findModule(name).orElseThrow();
      List<String> generated;
      try (ModuleReader reader = resolved.reference().open()) {
        generated =
            reader
                .list()
                .filter(r -> r.endsWith(".class") && !r.contains("$"))
                .map(r -> r.substring(0, r.length() - ".class".length()).replace('/', '.'))
                .filter(c -> c.matches(".*\\.(Immutable|With)[A-Z]\\w*"))
                .collect(Collectors.toList());
      }
      List<String> publicOnes = new ArrayList<>();
      for (String c : generated) {
        if (Modifier.isPublic(Class.forName(module, c).getModifiers())) {
          publicOnes.add(c);
        }
      }
      check(!generated.isEmpty(), name + " holds " + generated.size() + " generated classes");
      check(publicOnes.isEmpty(), name + ": no public generated class " + publicOnes);
    }
  }

  private static void check(boolean ok, String what) {
    System.out.println((ok ? "ok   " : "FAIL ") + what);
    if (!ok) {
      System.exit(1);
    }
  }

  private ModularStack() {}
}
