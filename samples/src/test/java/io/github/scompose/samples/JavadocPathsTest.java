package io.github.scompose.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source file points its reader to {@code ../shared/...}: a user's clone has no such
 * folder. Recordings are named in words ("recorded from SingularityCE 3.4.2"), never by path.
 */
class JavadocPathsTest {

  @Test
  void mainSourcesNameNoSharedFolderPath() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assumeTrue(
        Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("core")),
        "SKIPPED: not run from a module folder of the checkout (" + root + ")");
    List<String> offending;
    try (Stream<Path> files = Files.walk(root, 12)) {
      offending =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> f.toString().contains("/src/main/java/"))
              .filter(JavadocPathsTest::namesSharedPath)
              .map(f -> root.relativize(f).toString())
              .sorted()
              .toList();
    }
    assertEquals(List.of(), offending, "main sources naming ../shared or its reference/ folder");
  }

  private static boolean namesSharedPath(Path file) {
    try {
      String text = Files.readString(file);
      return text.contains("../shared") || text.contains("reference/singularityce");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
