package io.github.scompose.core.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.internal.posix.JavaPosix;
import io.github.scompose.core.internal.posix.SystemPosix;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.LocalProcessTransport;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The system's choice (ids from /proc/self/status, the rest native) and both implementations,
 * native (libc through JNA) and the pure-Java fallback, against the host.
 */
class PosixTest {

  private final List<Process> started = new java.util.ArrayList<>();

  static Stream<Posix> implementations() {
    return Stream.of(
        Posix.system(),
        SystemPosix.choose(null),
        SystemPosix.choose("scompose-no-such-libc-for-tests"));
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void theSystemChoiceIsNativeHereAndAMissingLibraryFallsBack() {
    assertTrue(Posix.system().isNative(), "JNA should load libc on this Linux host");
    assertFalse(SystemPosix.choose("scompose-no-such-libc-for-tests").isNative());
    assertTrue(SystemPosix.choose("scompose-no-such-libc-for-tests") instanceof JavaPosix);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void userIdsMatchTheIdCommand(Posix posix) {
    LocalProcessTransport local = LocalProcessTransport.create();
    long realUid = Long.parseLong(local.run(CommandRequest.of("id", "-ru")).stdout().strip());
    long effectiveUid = Long.parseLong(local.run(CommandRequest.of("id", "-u")).stdout().strip());
    assertEquals(realUid, posix.getuid());
    assertEquals(effectiveUid, posix.geteuid());
    assertEquals(effectiveUid == 0, posix.isRoot());
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void sigtermEndsAProcess(Posix posix) throws Exception {
    Process sleeper = sleeper();
    assertTrue(posix.kill(sleeper.pid(), 0), "signal 0: the process exists");
    assertTrue(posix.kill(sleeper.pid(), Posix.SIGTERM));
    assertTrue(sleeper.waitFor(20, TimeUnit.SECONDS));
    assertEquals(128 + Posix.SIGTERM, sleeper.exitValue());
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void sigkillEndsAProcessIgnoringSigterm(Posix posix) throws Exception {
    Process stubborn = start("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done");
    stubborn.getInputStream().read(); // the trap is set once it speaks
    assertTrue(posix.kill(stubborn.pid(), Posix.SIGKILL));
    assertTrue(stubborn.waitFor(20, TimeUnit.SECONDS));
    assertEquals(128 + Posix.SIGKILL, stubborn.exitValue());
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void aProcessThatIsGoneIsReportedAsFalse(Posix posix) throws Exception {
    Process done = start("true");
    done.waitFor();
    assertFalse(posix.kill(done.pid(), Posix.SIGTERM));
    assertFalse(posix.kill(done.pid(), 0));
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void processGroupsAreRefused(Posix posix) {
    assertThrows(IllegalArgumentException.class, () -> posix.kill(0, Posix.SIGTERM));
    assertThrows(IllegalArgumentException.class, () -> posix.kill(-1, Posix.SIGTERM));
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void noTerminalUnderTheTestRunner(Posix posix) {
    // surefire runs the tests with pipes, not a terminal, on every stream
    assertFalse(posix.isatty(0));
    assertFalse(posix.isatty(2));
    assertFalse(posix.isatty(9999), "not an open descriptor");
  }

  @Test
  void nativeSendsAnySignalTheFallbackOnlyTermAndKill() throws Exception {
    Process sleeper = sleeper();
    assertTrue(SystemPosix.choose(null).kill(sleeper.pid(), Posix.SIGHUP));
    assertTrue(sleeper.waitFor(20, TimeUnit.SECONDS));
    assertEquals(128 + Posix.SIGHUP, sleeper.exitValue());

    Posix fallback = SystemPosix.choose("scompose-no-such-libc-for-tests");
    Process other = sleeper();
    assertThrows(
        UnsupportedOperationException.class, () -> fallback.kill(other.pid(), Posix.SIGHUP));
    assertThrows(
        IllegalArgumentException.class, () -> SystemPosix.choose(null).kill(other.pid(), 12345));
  }

  private Process sleeper() throws IOException {
    return start("sleep", "300");
  }

  private Process start(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    started.add(p);
    return p;
  }
}
