package io.github.scompose.samples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's tour is the region of {@link Tour} between the markers {@code README tour: begin}
 * and {@code README tour: end}: the build compiles it, and this test keeps the README's copy equal
 * to it (indentation aside).
 */
class ReadmeTourTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();

  @Test
  void theReadmeShowsTheCompiledTour() throws IOException {
    List<String> source =
        Files.readAllLines(
            MODULE.resolve("src/main/java/io/github/scompose/samples/tour/Tour.java"));
    int begin = indexOf(source, "// README tour: begin");
    int end = indexOf(source, "// README tour: end");
    String compiled = normalise(source.subList(begin + 1, end));

    List<String> readme = Files.readAllLines(MODULE.resolveSibling("README.md"));
    int tour = indexOf(readme, "## Five-minute tour");
    int open = tour + 1;
    while (!readme.get(open).startsWith("```java")) {
      open++;
    }
    int close = open + 1;
    while (!readme.get(close).startsWith("```")) {
      close++;
    }
    String shown = normalise(readme.subList(open + 1, close));

    assertEquals(
        compiled, shown, "README.md's tour differs from Tour.java; copy Tour.java's region");
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    return fail("no line " + marker);
  }

  /** Joins lines into one string, each line's leading space removed and long calls unwrapped. */
  private static String normalise(List<String> lines) {
    return lines.stream().map(String::strip).collect(Collectors.joining(" ")).replace("( ", "(");
  }
}
