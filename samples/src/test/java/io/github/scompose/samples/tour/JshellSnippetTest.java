package io.github.scompose.samples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jshell lines of {@code Compose.local()}'s Javadoc work exactly as printed (issue 14): the
 * lines are read from core's source, the {@code <pre>} block after "In jshell", and run by {@code
 * jshell} non-interactively (its default start-up, the test class path, {@code -R-Dscompose.runtime
 * =fake} so that {@code Compose.local()} takes the embedded fake) in a folder holding a
 * singularity-compose.yml. Skips with a notice when the JDK has no jshell.
 */
class JshellSnippetTest {

  private static final Path COMPOSE_SOURCE =
      Path.of("")
          .toAbsolutePath()
          .resolveSibling("core/src/main/java/io/github/scompose/core")
          .resolve("compose/package-info.java");

  @TempDir Path temp;

  /**
   * The lines of the {@code <pre>{@code …}</pre>} block that follows "jshell, with the jars" in the
   * package Javadoc of core.compose (linked from {@code Compose.local()}).
   */
  static List<String> documentedLines() throws IOException {
    List<String> source = Files.readAllLines(COMPOSE_SOURCE);
    int at = 0;
    while (!source.get(at).contains("jshell, with the jars")) {
      at++;
    }
    while (!source.get(at).strip().equals("* <pre>{@code")) {
      at++;
    }
    List<String> out = new ArrayList<>();
    for (int i = at + 1; !source.get(i).strip().equals("* }</pre>"); i++) {
      out.add(source.get(i).strip().substring(1).strip());
    }
    return out;
  }

  @Test
  void theDocumentedLinesRunInJshellAsPrinted() throws Exception {
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    assumeTrue(
        Files.isExecutable(jshell),
        "no jshell in " + System.getProperty("java.home") + ": the Javadoc's lines not run");
    List<String> lines = documentedLines();
    assertTrue(lines.size() >= 3, lines.toString());
    assertTrue(lines.get(0).startsWith("import "), "the imports come first: " + lines);

    Path work = Files.createDirectories(temp.resolve("project"));
    Files.writeString(
        work.resolve("singularity-compose.yml"),
        "version: \"2.0\"\ninstances:\n  app:\n    image: /images/app.sif\n");
    List<String> script = new ArrayList<>(lines);
    script.add("System.out.println(\"listed: \" + stack.ps().size());");
    script.add("/exit");
    Path file = Files.write(temp.resolve("snippet.jsh"), script);
    Path tmp = Files.createDirectories(temp.resolve("tmp"));
    Path output = temp.resolve("jshell.out");
    Process p =
        new ProcessBuilder(
                jshell.toString(),
                "--class-path",
                System.getProperty("java.class.path"),
                "-R-Dscompose.runtime=fake",
                "-R-Djava.io.tmpdir=" + tmp,
                "--feedback",
                "normal",
                file.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = Files.readString(output, StandardCharsets.UTF_8);
    assertTrue(ended, "jshell did not end within 120 s:\n" + out);
    assertEquals(0, p.exitValue(), out);
    assertFalse(out.contains("|  Error"), "jshell reported an error:\n" + out);
    assertFalse(out.contains("cannot find symbol"), out);
    assertFalse(out.contains("|  Exception"), "an exception:\n" + out);
    assertTrue(out.contains("project-app-1"), "stack.ps() shows the instance:\n" + out);
    assertTrue(out.contains("listed: 0"), "stack.close() took it down:\n" + out);
  }
}
