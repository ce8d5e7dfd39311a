package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.testkit.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 2, as a user meets it: {@code scompose up -d} of a project whose published port
 * host networking cannot honour exits 1 with one line naming the service, the mapping and why the
 * mode is host, and starts nothing; as root the same project comes up with portmap. Facts are
 * forced through {@link CliRuntime#factsOverride}, so the test means the same as root and not.
 */
class PortRefusalCliTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void fakeState() {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
  }

  @AfterEach
  void clear() {
    CliRuntime.factsOverride = UnaryOperator.identity();
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    FakeRuntime.builder().stateDirectory(temp.resolve("fake")).build().close();
  }

  private static Run run(String... args) {
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

  private Path project() throws Exception {
    Path dir = temp.resolve("proj");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        services:
          web:
            image: /images/web.sif
            ports: ["18090:8080"]
        """);
    return dir;
  }

  @Test
  void rootlessUpRefusesTheRemappedPortAndStartsNothing() throws Exception {
    CliRuntime.factsOverride = f -> f.withRoot(false);
    Path dir = project();
    Run up = run("--runtime", "fake", "--project-directory", dir.toString(), "up", "-d");
    assertEquals(1, up.code(), up.out() + up.err());
    assertEquals(
        "scompose: service web: ports \"18090:8080\" cannot be published: host networking (not"
            + " root, no fakeroot) shares the host's ports, so the instance listens on 8080"
            + " itself; publish \"8080:8080\", or run as root for a bridge with portmap\n",
        up.err());
    assertEquals(
        "[]\n",
        run("--runtime", "fake", "--project-directory", dir.toString(), "ps", "--format", "json")
            .out());
  }

  @Test
  void asRootTheSameProjectPublishesThroughPortmap() throws Exception {
    CliRuntime.factsOverride = f -> f.withRoot(true);
    Path dir = project();
    Run dry = run("--runtime", "fake", "--project-directory", dir.toString(), "up", "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("--network-args portmap=18090:8080/tcp"), dry.out());
  }
}
