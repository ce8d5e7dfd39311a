package io.github.scompose.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.style.ValueStyle;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The library's public surface (issue 13): each library module (its classes folder, or its jar
 * after {@code package}) holds a {@code module-info.class} named as the former {@code
 * Automatic-Module-Name}, exporting no {@code .internal} package; and none of the classes
 * Immutables generates ({@code ImmutableX}, {@code WithX}) is public: the API is the value type
 * itself ({@code X.builder()}, {@code toBuilder()}, {@code withY(..)}).
 */
class PublicSurfaceTest {

  private static final Map<Class<?>, String> MODULES =
      Map.of(
          ValueStyle.class, "io.github.scompose.style",
          ComposeProject.class, "io.github.scompose.spec",
          NetworkPlanner.class, "io.github.scompose.network",
          Compose.class, "io.github.scompose.core",
          FakeRuntime.class, "io.github.scompose.testkit");

  @TestFactory
  List<DynamicTest> eachLibraryModuleIsAModuleWithoutPublicGeneratedClasses() {
    return MODULES.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .map(e -> DynamicTest.dynamicTest(e.getValue(), () -> check(e.getKey(), e.getValue())))
        .collect(Collectors.toList());
  }

  private static void check(Class<?> member, String moduleName) throws Exception {
    Path root = codeSource(member);
    ModuleDescriptor descriptor;
    List<String> classNames;
    if (Files.isDirectory(root)) {
      Path info = root.resolve("module-info.class");
      assertTrue(Files.isRegularFile(info), "no module-info.class in " + root);
      try (InputStream in = Files.newInputStream(info)) {
        descriptor = ModuleDescriptor.read(in);
      }
      try (Stream<Path> files = Files.walk(root)) {
        classNames =
            files
                .map(p -> root.relativize(p).toString().replace('\\', '/'))
                .collect(Collectors.toList());
      }
    } else {
      try (ZipFile jar = new ZipFile(root.toFile())) {
        ZipEntry info = jar.getEntry("module-info.class");
        assertTrue(info != null, "no module-info.class in " + root);
        try (InputStream in = jar.getInputStream(info)) {
          descriptor = ModuleDescriptor.read(in);
        }
        classNames = jar.stream().map(ZipEntry::getName).collect(Collectors.toList());
      }
    }
    assertEquals(moduleName, descriptor.name());
    for (ModuleDescriptor.Exports export : descriptor.exports()) {
      assertFalse(
          export.source().contains(".internal") && !export.isQualified(),
          moduleName + " exports " + export.source() + " to everyone");
    }
    List<String> generated =
        classNames.stream()
            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.contains("-"))
            .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
            .filter(n -> n.matches(".*\\.(Immutable|With)[A-Z]\\w*"))
            .collect(Collectors.toList());
    List<String> publicOnes = new ArrayList<>();
    for (String name : generated) {
      Class<?> type = Class.forName(name, false, member.getClassLoader());
      if (Modifier.isPublic(type.getModifiers())) {
        publicOnes.add(name);
      }
    }
    assertEquals(List.of(), publicOnes, moduleName + ": public generated classes");
    if (!moduleName.equals("io.github.scompose.style")) {
      assertFalse(generated.isEmpty(), moduleName + ": no generated class found in " + root);
    }
  }

  private static Path codeSource(Class<?> type) throws URISyntaxException, IOException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
