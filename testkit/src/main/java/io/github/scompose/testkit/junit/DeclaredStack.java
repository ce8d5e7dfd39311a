package io.github.scompose.testkit.junit;

import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.internal.junit.SessionImages;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.internal.junit.StackReuse;
import io.github.scompose.testkit.internal.junit.TestRuntime;
import io.github.scompose.testkit.wait.WaitStrategy;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A {@link ComposeStackUnderTest} field: the project loaded and renamed, {@code up} with its state
 * in the session's folder, its session entry (recorded before {@code up}, so that a JVM dying
 * during {@code up} leaves a stack the watchdog or the next run brings down), its {@link
 * TestComposeStack} and its waits. Not API.
 */
final class DeclaredStack implements FieldResource {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TestRuntime runtime;
  private final Field field;
  private final boolean handleType;
  private final List<WaitStrategy> waits;
  private final List<String> waitServices;
  private final ComposeProject project;
  private final PlanOptions options;
  private final Path stackDirectory;
  private final boolean reuse;
  private volatile ComposeStack up;
  private volatile SessionRegistry.Registration registration;
  private TestComposeStack handle;

  /**
   * Checks the declaration and loads the project before anything starts.
   *
   * @throws ExtensionConfigurationException when the field's type or a wait is wrong, no file is
   *     named, a file does not exist, or a named service is not in the files
   * @throws io.github.scompose.spec.ComposeException when a file does not parse
   */
  DeclaredStack(TestRuntime runtime, Field field, ComposeStackUnderTest declared) {
    this.runtime = runtime;
    this.field = field;
    this.handleType = field.getType().equals(TestComposeStack.class);
    if (!handleType && !field.getType().equals(ComposeStack.class)) {
      throw new ExtensionConfigurationException(
          "@ComposeStackUnderTest field "
              + field
              + " must have type TestComposeStack or ComposeStack");
    }
    List<String> services = List.of(declared.services());
    this.waits = WaitDeclarations.of(field, true);
    this.waitServices = WaitDeclarations.services(field);
    List<Path> files = new ArrayList<>();
    if (!declared.file().isEmpty()) {
      files.add(Path.of(declared.file()));
    }
    for (String f : declared.files()) {
      files.add(Path.of(f));
    }
    if (files.isEmpty()) {
      throw new ExtensionConfigurationException(
          "@ComposeStackUnderTest on "
              + field
              + " names no file (file = \"...\" or files = {...})");
    }
    List<Path> absolute = new ArrayList<>();
    for (Path f : files) {
      Path a = f.toAbsolutePath().normalize();
      if (!Files.isRegularFile(a)) {
        throw new ExtensionConfigurationException(
            "compose file "
                + f
                + " of "
                + field
                + " does not exist: relative paths resolve against the working directory "
                + Path.of("").toAbsolutePath()
                + ", so this looked for "
                + a);
      }
      absolute.add(a);
    }
    ComposeProject loaded = ComposeLoader.defaults().load(absolute);
    this.reuse = declared.reuse() && StackReuse.allowed();
    String name =
        reuse && declared.project().isEmpty()
            ? StackReuse.projectName(
                loaded.name(), runtime.identity(), absolute, services, List.of(declared.profiles()))
            : declared.project().isEmpty()
                ? loaded.name()
                    + "-"
                    + HexFormat.of().toHexDigits((byte) RANDOM.nextInt())
                    + HexFormat.of().toHexDigits((short) RANDOM.nextInt())
                : declared.project();
    this.project = loaded.withName(name);
    for (String s : services) {
      if (project.services().stream().noneMatch(spec -> spec.name().equals(s))) {
        throw new ExtensionConfigurationException(
            "@ComposeStackUnderTest on "
                + field
                + " names service '"
                + s
                + "', which "
                + absolute
                + " does not define");
      }
    }
    SessionRegistry registry = SessionRegistry.current();
    this.stackDirectory =
        reuse
            ? StackReuse.directory(registry, name)
            : registry.workDirectory().resolve("stacks").resolve(name);
    this.options =
        PlanOptions.builder()
            .addAllServices(services)
            .addProfiles(declared.profiles())
            .stateDirectoryName(
                stackDirectory.resolve(PlanOptions.STATE_DIRECTORY).toAbsolutePath().toString())
            .build();
  }

  @Override
  public void start() {
    if (reuse) { // adopted when its configuration is unchanged; never brought down by the extension
      SessionImages.prepare(runtime.client(), runtime.compose(), project, options);
      up = runtime.compose().up(project, options);
      setHandle();
      return;
    }
    registration =
        SessionRegistry.current()
            .register(
                new SessionRegistry.Entry(
                    SessionRegistry.STACK, runtime.identity(), stackDirectory.toString()),
                this::down);
    try {
      SessionImages.prepare(runtime.client(), runtime.compose(), project, options);
      up = runtime.compose().up(project, options);
    } catch (RuntimeException e) {
      try {
        stop(); // releases the entry only once down succeeded: else the next run reaps the stack
      } catch (RuntimeException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
    setHandle();
  }

  private void setHandle() {
    ComposeStack stack = up;
    String name = project.name();
    handle =
        new TestComposeStack(
            stack,
            project,
            runtime.client(),
            instance -> {
              String service =
                  stack.ps().stream()
                      .filter(st -> st.name().equals(instance))
                      .map(st -> st.service())
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  "no instance '" + instance + "' in project " + name));
              return TestComposeStack.target(
                  runtime.client(), project, service, instance, runtime.clock(), runtime.sleeper());
            });
  }

  /** {@code down}, then the stack's state folder is deleted. */
  private void down() {
    ComposeStack s = up;
    if (runtime.fakeClosed().get()) {
      // the closed fake runtime ended every instance of the stack (its transport is closed)
    } else if (s != null) {
      s.down();
    } else {
      runtime.compose().down(stackDirectory);
    }
    try {
      SessionRegistry.deleteTree(stackDirectory);
    } catch (IOException e) {
      // the testkit's own state folder; a leftover is harmless and reported nowhere
    }
  }

  @Override
  public Object value() {
    return handleType ? handle : up;
  }

  @Override
  public void awaitReady() {
    for (int i = 0; i < waits.size(); i++) {
      handle.waitFor(waitServices.get(i), waits.get(i));
    }
  }

  @Override
  public void stop() {
    SessionRegistry.Registration r = registration;
    if (r == null) {
      return;
    }
    down();
    r.release();
    registration = null;
  }

  @Override
  public String toString() {
    return "compose stack " + project.name() + " of " + field;
  }
}
