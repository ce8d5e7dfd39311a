package io.github.scompose.core.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SrunTransport} with a stand-in for {@code srun} on this machine: a POSIX sh script that
 * drops srun's options up to {@code --} and runs the rest, as srun runs it on the node. So every
 * file operation runs its real script; only the hop to another node is left out.
 */
class SrunTransportTest {

  @TempDir Path temp;

  static final List<String> FAKE_SRUN =
      List.of("sh", "-c", "while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"", "srun");

  SrunTransport transport() {
    return SrunTransport.create(LocalProcessTransport.create(), FAKE_SRUN, "4242", "node2");
  }

  @Test
  void commandsRunWithSrunsOptionsAndNoShellAroundTheArgv() {
    SrunTransport t =
        SrunTransport.create(
            LocalProcessTransport.create(),
            List.of("sh", "-c", "printf '%s\\n' \"$@\"", "srun"),
            "4242",
            "node2");
    CommandResult r =
        t.run(
            CommandRequest.builder()
                .addArgv("echo", "a b", "$HOME")
                .workingDirectory("/tmp")
                .build());
    assertEquals(
        List.of(
            "--overlap",
            "--jobid=4242",
            "-w",
            "node2",
            "-N1",
            "-n1",
            "--export=ALL",
            "--quiet",
            "--chdir=/tmp",
            "--",
            "echo",
            "a b",
            "$HOME"),
        r.stdout().lines().toList());
    assertEquals(List.of("echo", "a b", "$HOME"), r.argv(), "the result names the node's argv");
  }

  @Test
  void environmentReachesTheCommandThroughSrunsEnvironment() {
    CommandResult r =
        transport()
            .run(
                CommandRequest.builder()
                    .addArgv("printenv", "SCOMPOSE_TEST_SECRET")
                    .putEnvironment("SCOMPOSE_TEST_SECRET", "s3cr3t")
                    .build());
    assertEquals("s3cr3t\n", r.stdout());
  }

  @Test
  void filesAreWrittenReadStattedAndDeletedOnTheNode() throws Exception {
    SrunTransport t = transport();
    String file = temp.resolve("sub/etc.hosts").toString();
    assertEquals(Optional.empty(), t.readFile(file, 0));
    t.writeFile(
        file,
        "127.0.0.1\tlocalhost\n".getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals("127.0.0.1\tlocalhost\n", Files.readString(Path.of(file)));
    assertEquals(
        "rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(file))));
    assertArrayEquals(
        "localhost\n".getBytes(StandardCharsets.UTF_8), t.readFile(file, 10).orElseThrow());
    assertEquals(0, t.readFile(file, 1000).orElseThrow().length);
    assertEquals(20, t.stat(file).orElseThrow().size());
    t.deleteFile(file);
    assertTrue(Files.notExists(Path.of(file)));
    t.createDirectories(temp.resolve("a/b").toString());
    assertTrue(Files.isDirectory(temp.resolve("a/b")));
  }

  @Test
  void srunsOwnFailureIsATransportErrorNamingTheNode() {
    SrunTransport t =
        SrunTransport.create(
            LocalProcessTransport.create(),
            List.of(
                "sh",
                "-c",
                "echo 'srun: error: Unable to create step for job 4242: Invalid job id specified'"
                    + " >&2; exit 1",
                "srun"),
            "4242",
            "node2");
    TransportException e =
        assertThrows(TransportException.class, () -> t.run(CommandRequest.of("true")));
    assertEquals(
        "srun job 4242 node node2 failed: srun: error: Unable to create step for job 4242: Invalid"
            + " job id specified",
        e.getMessage());
  }

  @Test
  void aCommandsOwnFailureIsItsExitCode() {
    CommandResult r = transport().run(CommandRequest.of("sh", "-c", "echo no >&2; exit 3"));
    assertEquals(3, r.exitCode());
    assertEquals("no\n", r.stderr());
  }

  @Test
  void jobIdAndNodeAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> SrunTransport.create("12;rm", "n1"));
    assertThrows(IllegalArgumentException.class, () -> SrunTransport.create("12", "-n1"));
  }
}
