package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.ImageNotFoundException;
import io.github.scompose.core.errors.InstanceAlreadyExistsException;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.InvalidInstanceNameException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.errors.UnknownFlagException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Messages recorded from SingularityCE 3.4.2 (../shared/reference), colour codes included. */
class ErrorMapperTest {

  static final String RED = "\u001B[31m";
  static final String RESET = "\u001B[0m";
  static final List<String> ARGV = List.of("singularity", "instance", "start", "i.sif", "x");

  static SingularityException map(int exit, String stderr, String name) {
    return ErrorMapper.map(ARGV, exit, stderr, Optional.ofNullable(name));
  }

  @Test
  void alreadyExists() {
    SingularityException e = map(255, "FATAL:   instance app1 already exists\n", "app1");
    InstanceAlreadyExistsException a = assertInstanceOf(InstanceAlreadyExistsException.class, e);
    assertEquals("app1", a.instanceName());
    CommandFailedException cause = assertInstanceOf(CommandFailedException.class, a.getCause());
    assertEquals(255, cause.exitCode());
    assertEquals(ARGV, cause.maskedArgv());
    assertEquals("FATAL:   instance app1 already exists", cause.stderrTail());
  }

  @Test
  void noInstanceFoundTakesTheNameFromTheCommand() {
    InstanceNotFoundException e =
        assertInstanceOf(
            InstanceNotFoundException.class, map(255, "FATAL:   no instance found\n", "nosuch"));
    assertEquals("nosuch", e.instanceName());
  }

  @Test
  void invalidInstanceNameWithColours() {
    String stderr =
        RED
            + "FATAL:  "
            + RESET
            + " while checking instance name: bad name! is not a valid instance name\n";
    InvalidInstanceNameException e =
        assertInstanceOf(InvalidInstanceNameException.class, map(255, stderr, "bad name!"));
    assertEquals("bad name!", e.instanceName());
    assertFalse(e.getCause().getMessage().contains("\u001B"), "colour codes stripped");
    assertEquals(
        "a/b",
        ((InvalidInstanceNameException)
                map(
                    255,
                    RED
                        + "FATAL:  "
                        + RESET
                        + " while checking instance name: a/b is not a valid instance name",
                    "a/b"))
            .instanceName());
  }

  @Test
  void imageNotFound() {
    String stderr =
        RED
            + "FATAL:  "
            + RESET
            + " could not open image /images/nosuch.sif: failed to retrieve"
            + " path for /images/nosuch.sif: lstat /images/nosuch.sif: no such file or directory\n";
    ImageNotFoundException e =
        assertInstanceOf(ImageNotFoundException.class, map(255, stderr, "x"));
    assertEquals("/images/nosuch.sif", e.image());
  }

  @Test
  void inspectOfAMissingImageIsImageNotFound() {
    // recorded from SingularityCE 3.4.2 (09-labels-runscript-args.txt)
    String stderr =
        RED
            + "FATAL:  "
            + RESET
            + " container not found: stat /images/missing.sif: no such file"
            + " or directory\n";
    ImageNotFoundException e =
        assertInstanceOf(ImageNotFoundException.class, map(255, stderr, "x"));
    assertEquals("/images/missing.sif", e.image());
  }

  @Test
  void unknownFlagKeepsTheErrorLineNotTheUsage() {
    String stderr =
        "Error for command \"start\": unknown flag: --env\n\nOptions for start command:\n\n"
            + "      --add-caps string        a comma separated capability list to add\n".repeat(40)
            + "\nRun 'singularity instance start --help' for more detailed usage information.\n";
    UnknownFlagException e = assertInstanceOf(UnknownFlagException.class, map(1, stderr, "x"));
    assertEquals("--env", e.flag());
    CommandFailedException cause = (CommandFailedException) e.getCause();
    assertEquals("Error for command \"start\": unknown flag: --env", cause.stderrTail());
    assertTrue(ErrorMapper.isBinaryError(1, stderr));
  }

  @Test
  void anythingElseIsACommandFailureWithTheTail() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      sb.append("line ").append(i).append('\n');
    }
    CommandFailedException e =
        assertInstanceOf(CommandFailedException.class, map(3, sb.toString(), null));
    assertEquals(3, e.exitCode());
    assertTrue(e.stderrTail().startsWith("line 11\n") && e.stderrTail().endsWith("line 30"));
    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("singularity instance start i.sif x"), e.getMessage());
  }

  @Test
  void containerExitCodesAreNotBinaryErrors() {
    // recorded from 3.4.2: exec … sh -c "exit 3" → exit 3, nothing printed; ro fs → exit 1
    assertFalse(ErrorMapper.isBinaryError(3, ""));
    assertFalse(
        ErrorMapper.isBinaryError(1, "sh: can't create /etc/newfile: Read-only file system"));
    assertTrue(ErrorMapper.isBinaryError(255, RED + "FATAL:  " + RESET + " no instance found"));
  }

  @Test
  void singularity2Messages() {
    assertInstanceOf(
        InstanceAlreadyExistsException.class,
        map(255, "ERROR  : A daemon process is already running with this name\n", "web"));
    assertInstanceOf(
        ImageNotFoundException.class, map(255, "ERROR  : Image path /x.img doesn't exist\n", null));
  }
}
