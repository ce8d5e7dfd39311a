package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that their own tools accept run through the CLI: the loader's warnings (located, {@code
 * file:line:col: key.path: warning: …}) reach stderr once per command ({@code check}, {@code
 * config}, {@code up}); a near-miss that leaves an instance with nothing to start is exit 2.
 */
class LenientFilesCliTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {
    List<String> errLines() {
      return Arrays.stream(err.split("\n")).filter(l -> !l.isBlank()).toList();
    }
  }

  @BeforeEach
  void fakeState() {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ScomposeCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unknownInstanceKeysAreWarnedAboutOnceAndTheFileIsValid() throws Exception {
    Path file = temp.resolve("singularity-compose.yml");
    Files.writeString(
        file, "version: \"2.0\"\ninstances:\n  web:\n    image: web.sif\n    name: web\n");
    String warning =
        file
            + ":5:5: instances.web.name: warning: unknown key \"name\" in instance \"web\""
            + " (ignored); expected one of image, build, volumes, volumes_from, ports,"
            + " depends_on, network, start, exec, run, post, deploy, command";
    Run check = run("-f", file.toString(), "check");
    assertEquals(0, check.code(), check.err());
    assertEquals(List.of(warning), check.errLines());
    Run config = run("-f", file.toString(), "config");
    assertEquals(0, config.code(), config.err());
    assertEquals(List.of(warning), config.errLines());
    assertFalse(config.out().contains("name: web"), "an ignored key is not in the model");
  }

  @Test
  void aMisspeltImageThatLeavesNothingToStartIsExit2() throws Exception {
    Path file = temp.resolve("singularity-compose.yml");
    Files.writeString(file, "version: \"2.0\"\ninstances:\n  web:\n    imgae: web.sif\n");
    Run check = run("-f", file.toString(), "check");
    assertEquals(2, check.code(), check.err());
    assertTrue(
        check
            .errLines()
            .contains(
                file
                    + ":4:5: instances.web.imgae: \"imgae\" is not a key; did you mean \"image\"?"
                    + " instance \"web\" has no image or build"),
        check.err());
  }

  @Test
  void theSingularityStackShapeRunsWithTmpBoundAndCreatedByUp() throws Exception {
    Path dir = temp.resolve("stack");
    Files.createDirectories(dir);
    Path file = dir.resolve("docker-compose.yml");
    Files.writeString(
        file,
        "version: \"3\"\nservices:\n  mongo:\n    image: /img/mongo.sif\n    volumes:\n"
            + "      - tmp:/data/db\n  mysql:\n    image: /img/mysql.sif\n    volumes:\n"
            + "      - tmp:/var/lib/mysql\n");
    Path tmp = dir.resolve("tmp");
    Run dry = run("--runtime", "fake", "-f", file.toString(), "up", "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("--bind " + tmp + ":/data/db"), dry.out());
    assertTrue(dry.out().contains("--bind " + tmp + ":/var/lib/mysql"), dry.out());
    assertEquals(
        2,
        dry.errLines().stream().filter(l -> l.contains("warning: volume \"tmp\"")).count(),
        dry.err());
    assertFalse(Files.exists(tmp), "a dry run creates nothing");
  }
}
