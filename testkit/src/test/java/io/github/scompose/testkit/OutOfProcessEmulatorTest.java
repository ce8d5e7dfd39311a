package io.github.scompose.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.CommandTimeoutException;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The out-of-process emulator ({@code installExecutable}) driven through core's real {@link
 * LocalProcessTransport}: a new JVM per command, state in a directory, instances as real host
 * processes.
 */
class OutOfProcessEmulatorTest {

  @TempDir Path temp;
  private FakeRuntime fake;
  private Path singularity;
  private final Transport transport = LocalProcessTransport.create();

  @BeforeEach
  void install() {
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .stateDirectory(temp.resolve("state"))
            .image(
                FakeImage.builder()
                    .path("/images/svc.sif")
                    .addStartscriptStdout("started with $@")
                    .build())
            .crashAfter("short", Duration.ofMillis(300))
            .respondToExec("*", List.of("wait-forever"), ScriptedResponse.hang())
            .build();
    singularity = fake.installExecutable(temp.resolve("bin"), "singularity");
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  private CommandResult run(String... args) {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(singularity.toString());
    argv.addAll(List.of(args));
    return transport.run(CommandRequest.of(argv));
  }

  @Test
  void launcherIsAnExecutableScript() throws Exception {
    assertTrue(Files.isExecutable(singularity));
    assertTrue(Files.readString(singularity).startsWith("#!/bin/sh\n"));
    CommandResult version = run("--version");
    assertEquals(0, version.exitCode(), version.stderr());
    assertEquals("singularity version 3.4.2\n", version.stdout());
  }

  @Test
  void instancesAreRealProcessesThatStopEnds() throws Exception {
    CommandResult start = run("instance", "start", "/images/svc.sif", "web1", "a", "b");
    assertEquals(0, start.exitCode(), start.stderr());
    CommandResult list = run("instance", "list", "--json");
    Matcher pid = Pattern.compile("\"pid\": (\\d+)").matcher(list.stdout());
    assertTrue(pid.find(), list.stdout());
    ProcessHandle process = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
    assertTrue(process.isAlive());
    assertEquals(1, fake.instances().size(), "the in-JVM view shares the directory state");
    assertEquals("started with a b\n", fake.readFile(fake.logOutPath("web1")).orElseThrow());
    CommandResult duplicate = run("instance", "start", "/images/svc.sif", "web1");
    assertEquals(255, duplicate.exitCode());
    CommandResult stop = run("instance", "stop", "web1");
    assertEquals(0, stop.exitCode(), stop.stderr());
    assertEquals(
        "Stopping web1 instance of /images/svc.sif (PID=" + process.pid() + ")\n", stop.stdout());
    process.onExit().get(10, TimeUnit.SECONDS);
    assertFalse(process.isAlive());
    assertEquals("INSTANCE NAME    PID      IMAGE\n", run("instance", "list").stdout());
  }

  @Test
  void aCrashedInstanceDisappearsWhenItsProcessEnds() throws Exception {
    assertEquals(0, run("instance", "start", "/images/svc.sif", "short").exitCode());
    long pid = fake.instance("short").map(FakeInstance::pid).orElse(-1L);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    assertFalse(run("instance", "list").stdout().contains("short"));
  }

  /** The arguments of instance {@code name}'s host process, e.g. {@code [86400.000]}. */
  private static List<String> sleepArguments(FakeRuntime runtime, String name) {
    long pid = runtime.instance(name).orElseThrow().pid();
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    var arguments = process.info().arguments();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        arguments.isPresent(), "this OS does not show a process's arguments");
    return List.of(arguments.get());
  }

  @Test
  void aHostProcessLivesAtMostTheDefault24HoursWhenNothingStopsIt() {
    assertEquals(0, fake.execute("instance", "start", "/images/svc.sif", "web1").exitCode());
    assertEquals(List.of("86400.000"), sleepArguments(fake, "web1"));
  }

  @Test
  void aScriptedCrashLaterThanTheBoundIsCutToTheBound(@TempDir Path other) {
    try (FakeRuntime bounded =
        FakeRuntime.builder()
            .stateDirectory(other)
            .anyImageExists()
            .instanceLifetime(Duration.ofHours(2))
            .crashAfter("late", Duration.ofHours(3))
            .crashAfter("early", Duration.ofMinutes(1))
            .build()) {
      assertEquals(0, bounded.execute("instance", "start", "/i.sif", "plain").exitCode());
      assertEquals(0, bounded.execute("instance", "start", "/i.sif", "late").exitCode());
      assertEquals(0, bounded.execute("instance", "start", "/i.sif", "early").exitCode());
      assertEquals(List.of("7200.000"), sleepArguments(bounded, "plain"));
      assertEquals(List.of("7200.000"), sleepArguments(bounded, "late"));
      assertEquals(List.of("60.000"), sleepArguments(bounded, "early"));
    }
  }

  @Test
  void anInstanceNobodyStopsEndsByItselfAfterItsLifetime(@TempDir Path other) throws Exception {
    try (FakeRuntime bounded =
        FakeRuntime.builder()
            .stateDirectory(other)
            .anyImageExists()
            .instanceLifetime(Duration.ofMillis(300))
            .build()) {
      assertEquals(0, bounded.execute("instance", "start", "/i.sif", "forgotten").exitCode());
      ProcessHandle process =
          ProcessHandle.of(bounded.instance("forgotten").orElseThrow().pid()).orElseThrow();
      // no stop, no close: the process ends on its own (the bound on this wait is generous)
      process.onExit().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(), bounded.instances(), "gone from the listing as after a crash");
    }
  }

  @Test
  void theInstanceLifetimeMustBePositive() {
    FakeRuntime.Builder builder = FakeRuntime.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.instanceLifetime(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> builder.instanceLifetime(Duration.ofSeconds(-1)));
  }

  @Test
  void errorsAndUnknownFlagsLeaveTheProcessWithTheRealExitCodes() {
    CommandResult unknown = run("instance", "start", "--env", "A=1", "/images/svc.sif", "x");
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.stderr().startsWith("Error for command \"start\": unknown flag: --env"));
    CommandResult missing = run("instance", "stop", "nosuch");
    assertEquals(255, missing.exitCode());
    assertEquals("\u001b[31mFATAL:  \u001b[0m no instance found\n", missing.stderr());
  }

  @Test
  void aScriptedHangIsKilledByTheTransportTimeout() {
    assertEquals(0, run("instance", "start", "/images/svc.sif", "h").exitCode());
    CommandRequest request =
        CommandRequest.builder()
            .addArgv(singularity.toString(), "exec", "instance://h", "wait-forever")
            .timeout(Duration.ofSeconds(3))
            .build();
    assertThrows(CommandTimeoutException.class, () -> transport.run(request));
  }
}
