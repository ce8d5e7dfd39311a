package io.github.scompose.core.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The remote line SSH runs, exercised by a local {@code /bin/sh} exactly as sshd would run it (the
 * login shell's {@code -c}), with the same stdin bytes: environment values arrive intact, never in
 * the line, and the command's own stdin follows untouched.
 */
class SshRemoteCommandProperties {

  private final LocalProcessTransport local = LocalProcessTransport.create();

  @Provide
  Arbitrary<String> values() {
    return ShellWords.words();
  }

  @Property(tries = 200)
  void environmentValuesAndStdinArriveIntactAndOutOfTheLine(
      @ForAll("values") String secret,
      @ForAll("values") String other,
      @ForAll("values") String in) {
    CommandRequest request =
        CommandRequest.builder()
            .addArgv("sh", "-c", "printf '%s\\0%s\\0' \"$SECRET_A\" \"$B\"; cat")
            .putEnvironment("SECRET_A", secret)
            .putEnvironment("B", other)
            .stdin(in.getBytes(StandardCharsets.UTF_8))
            .build();
    SshRemoteCommand remote = SshRemoteCommand.of(request);
    // the line depends on the variables' names only, never on their values
    CommandRequest placeholders =
        CommandRequest.builder()
            .from(request)
            .environment(Map.of())
            .putEnvironment("SECRET_A", "x")
            .putEnvironment("B", "y")
            .build();
    assertEquals(SshRemoteCommand.of(placeholders).line(), remote.line());

    CommandResult result = runLikeSshd(remote, request);
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(secret + "\0" + other + "\0" + in, result.stdout());
  }

  @Example
  void removedVariablesAreUnsetAndWorkingDirectoryIsEntered() {
    CommandRequest request =
        CommandRequest.builder()
            .addArgv("sh", "-c", "printf '%s|%s' \"${HOME-unset}\" \"$(pwd)\"")
            .addRemoveEnvironment("HOME")
            .workingDirectory("/")
            .build();
    SshRemoteCommand remote = SshRemoteCommand.of(request);
    assertEquals("unset|/", runLikeSshd(remote, request).stdout());
  }

  @Example
  void aMissingWorkingDirectoryFailsWithTheSetupExitCode() {
    CommandRequest request =
        CommandRequest.builder().addArgv("true").workingDirectory("/nonexistent/dir").build();
    CommandResult result = runLikeSshd(SshRemoteCommand.of(request), request);
    assertEquals(SshRemoteCommand.SETUP_FAILED, result.exitCode());
  }

  @Example
  void theLineNamesVariablesButNoValues() {
    CommandRequest request =
        CommandRequest.builder()
            .addArgv("singularity", "instance", "list")
            .environment(Map.of("SINGULARITYENV_PASSWORD", "hunter2"))
            .build();
    SshRemoteCommand remote = SshRemoteCommand.of(request);
    assertTrue(remote.line().contains("SINGULARITYENV_PASSWORD"));
    assertFalse(remote.line().contains("hunter2"));
    assertTrue(remote.line().endsWith("exec singularity instance list"), remote.line());
    assertEquals("hunter2\n", new String(remote.stdinPrefix(), StandardCharsets.UTF_8));
  }

  @Example
  void badNamesAndNulAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SshRemoteCommand.of(
                CommandRequest.builder()
                    .addArgv("true")
                    .putEnvironment("A;rm -rf /", "x")
                    .build()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SshRemoteCommand.of(
                CommandRequest.builder().addArgv("true").putEnvironment("A", "x\0y").build()));
  }

  /** What sshd does: {@code $SHELL -c LINE}, the channel's bytes on stdin. */
  private CommandResult runLikeSshd(SshRemoteCommand remote, CommandRequest request) {
    ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    stdin.writeBytes(remote.stdinPrefix());
    request.stdin().ifPresent(stdin::writeBytes);
    return local.run(
        CommandRequest.builder()
            .addArgv("/bin/sh", "-c", remote.line())
            .stdin(stdin.toByteArray())
            .build());
  }
}
