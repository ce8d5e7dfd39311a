package io.github.scompose.core.client;

import static io.github.scompose.core.client.ScriptedTransport.ok;
import static io.github.scompose.core.client.ScriptedTransport.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.errors.InstanceAlreadyExistsException;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.CommandTimeoutException;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingularityClientTest {

  static final String SECRET = "s3cr3t-'value'";

  /** A clock that only moves when the sleeper sleeps. */
  static final class FakeTime extends Clock {
    Instant now = Instant.parse("2026-11-21T16:00:00Z");
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    Sleeper sleeper() {
      return d -> {
        sleeps.add(d);
        now = now.plus(d);
      };
    }
  }

  static SingularityClient client(ScriptedTransport t, SingularityBinary b) {
    return SingularityClient.builder().transport(t).binary(b).build();
  }

  static boolean isBinary(CommandRequest r) {
    return r.argv().contains("singularity") || r.argv().contains("apptainer");
  }

  // ---- environment ------------------------------------------------------------------------------

  @Test
  void environmentGoesThroughA0600EnvFileWhereSupported() {
    ScriptedTransport t = new ScriptedTransport();
    List<String> envFileSeenByBinary = new ArrayList<>();
    t.answer(
        r -> {
          int i = r.argv().indexOf("--env-file");
          envFileSeenByBinary.add(
              new String(t.files.get(r.argv().get(i + 1)), StandardCharsets.UTF_8));
          return ok(r, "");
        });
    client(t, GoldenArgvTest.APPTAINER)
        .start(
            InstanceStart.builder()
                .image("i.sif")
                .name("db")
                .putEnvironment("PASSWORD", SECRET)
                .build());
    List<List<String>> argvs = t.argvs();
    assertEquals(1, argvs.size(), "only the binary runs: no mktemp, cp or rm " + argvs);
    assertEquals(1, t.writes.size());
    String envFile = t.writes.keySet().iterator().next();
    assertTrue(
        envFile.matches("/remote/tmp/scompose-env\\.[0-9a-f]{32}"),
        "a unique name in the transport's temporary directory: " + envFile);
    assertEquals("rw-------", t.writes.get(envFile), "owner-only");
    assertEquals(
        List.of("apptainer", "instance", "start", "--env-file", envFile, "i.sif", "db"),
        argvs.get(0));
    assertEquals(List.of(envFile), t.deletes, "removed after the command");
    assertEquals(List.of("PASSWORD='s3cr3t-'\\''value'\\'''\n"), envFileSeenByBinary);
    assertTrue(t.files.isEmpty(), "env file removed");
    assertTrue(t.requests.get(0).environment().isEmpty());
    assertNoSecretInArgv(t);
  }

  @Test
  void environmentGoesThroughPrefixedVariablesOn342() {
    ScriptedTransport t = new ScriptedTransport();
    client(t, GoldenArgvTest.V342)
        .start(
            InstanceStart.builder()
                .image("/images/svc.sif")
                .name("envtest")
                .putEnvironment("FOO", SECRET)
                .build());
    // recorded from 3.4.2: SINGULARITYENV_FOO reaches the startscript
    assertEquals(1, t.requests.size());
    assertEquals(Map.of("SINGULARITYENV_FOO", SECRET), t.requests.get(0).environment());
    assertNoSecretInArgv(t);
  }

  @Test
  void sudoKeepsThePrefixedVariables() {
    ScriptedTransport t = new ScriptedTransport();
    SingularityClient c =
        SingularityClient.builder().transport(t).binary(GoldenArgvTest.V342).sudo(true).build();
    c.start(
        InstanceStart.builder()
            .image("i.sif")
            .name("n")
            .putEnvironment("B", SECRET)
            .putEnvironment("A", "x")
            .build());
    assertEquals(
        List.of(
            "sudo",
            "-n",
            "--preserve-env=SINGULARITYENV_A,SINGULARITYENV_B",
            "singularity",
            "instance",
            "start",
            "i.sif",
            "n"),
        t.requests.get(0).argv());
    assertNoSecretInArgv(t);
  }

  @Test
  void failureRemovesTheEnvFileAndLeaksNoSecret() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> result(r, 255, "", "FATAL:   instance db already exists\n"));
    InstanceAlreadyExistsException e =
        assertThrows(
            InstanceAlreadyExistsException.class,
            () ->
                client(t, GoldenArgvTest.APPTAINER)
                    .start(
                        InstanceStart.builder()
                            .image("i.sif")
                            .name("db")
                            .putEnvironment("PASSWORD", SECRET)
                            .addOptions("env=TOKEN=" + SECRET)
                            .build()));
    assertEquals("db", e.instanceName());
    assertFalse(e.getMessage().contains(SECRET));
    assertFalse(e.getCause().getMessage().contains(SECRET), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains("--env=TOKEN=***"), e.getCause().getMessage());
    assertTrue(t.files.isEmpty(), "env file removed after the failure");
  }

  @Test
  void timeoutCarriesTheMaskedArgv() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(
        r -> {
          throw new CommandTimeoutException(r.argv(), Duration.ofSeconds(1));
        });
    CommandTimeoutException e =
        assertThrows(
            CommandTimeoutException.class,
            () ->
                client(t, GoldenArgvTest.APPTAINER)
                    .exec(
                        Exec.builder()
                            .target("instance://a")
                            .addOptions("env=TOKEN=" + SECRET)
                            .addCommand("true")
                            .build()));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertTrue(e.argv().contains("--env=TOKEN=***"), e.argv().toString());
  }

  static void assertNoSecretInArgv(ScriptedTransport t) {
    for (CommandRequest r : t.requests) {
      assertFalse(String.join(" ", r.argv()).contains("s3cr3t"), r.argv().toString());
    }
  }

  @Test
  void valuesNeverPrintSecrets() {
    InstanceStart start =
        InstanceStart.builder()
            .image("i.sif")
            .name("db")
            .putEnvironment("PASSWORD", SECRET)
            .build();
    assertFalse(start.toString().contains("s3cr3t"), start.toString());
    RenderedCommand apptainer = start.render(GoldenArgvTest.APPTAINER.dialect());
    RenderedCommand v342 = start.render(GoldenArgvTest.V342.dialect());
    assertTrue(apptainer.envFileContent().orElseThrow().contains("s3cr3t"));
    assertEquals(SECRET, v342.environment().get("SINGULARITYENV_PASSWORD"));
    assertFalse(apptainer.toString().contains("s3cr3t"), apptainer.toString());
    assertFalse(v342.toString().contains("s3cr3t"), v342.toString());
  }

  // ---- exec / run / list ------------------------------------------------------------------------

  @Test
  void execPassesTheCommandsExitCodeThrough() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> result(r, 3, "", ""));
    CommandResult r =
        client(t, GoldenArgvTest.V342)
            .exec(Exec.inImage("/images/busybox.sif", "sh", "-c", "exit 3"));
    assertEquals(3, r.exitCode());
  }

  @Test
  void execOnAMissingInstanceIsInstanceNotFound() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> result(r, 255, "", "\u001B[31mFATAL:  \u001B[0m no instance found\n"));
    InstanceNotFoundException e =
        assertThrows(
            InstanceNotFoundException.class,
            () -> client(t, GoldenArgvTest.V342).exec(Exec.inInstance("nosuch", "true")));
    assertEquals("nosuch", e.instanceName());
  }

  @Test
  void streamingExecDeliversLinesAndCleansUp() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> isBinary(r) ? result(r, 0, "one\ntwo\n", "warn\n") : ok(r, ""));
    List<String> lines = new ArrayList<>();
    RunningCommand running =
        client(t, GoldenArgvTest.CE4)
            .execStreaming(
                Exec.builder()
                    .target("instance://a")
                    .putEnvironment("K", SECRET)
                    .addCommand("cat")
                    .build(),
                new OutputListener() {
                  @Override
                  public void onStdout(String line) {
                    lines.add("out:" + line);
                  }

                  @Override
                  public void onStderr(String line) {
                    lines.add("err:" + line);
                  }
                });
    assertEquals(0, running.completion().join().exitCode());
    assertEquals(List.of("out:one", "out:two", "err:warn"), lines);
    assertTrue(t.files.isEmpty());
  }

  @Test
  void listParsesAndFiltersByExactName() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(
        r ->
            ok(
                r,
                "{\"instances\":[{\"instance\":\"web1\",\"pid\":1,\"img\":\"/a.sif\"},"
                    + "{\"instance\":\"web10\",\"pid\":2,\"img\":\"/a.sif\"}]}"));
    SingularityClient c = client(t, GoldenArgvTest.V342);
    assertEquals(2, c.list().size());
    assertEquals(List.of(InstanceInfo.of("web1", 1, "/a.sif")), c.list(InstanceList.named("web1")));
    assertTrue(c.find("web").isEmpty());
  }

  @Test
  void listOfSingularity2ReadsTheTable() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "DAEMON NAME      PID      CONTAINER IMAGE\nweb1    77    /x.img\n"));
    assertEquals(
        List.of(InstanceInfo.of("web1", 77, "/x.img")), client(t, GoldenArgvTest.V2).list());
    assertEquals(List.of("singularity", "instance.list"), t.requests.get(0).argv());
  }

  @Test
  void unreadableListingIsASingularityException() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "something else"));
    SingularityException e =
        assertThrows(SingularityException.class, () -> client(t, GoldenArgvTest.V342).list());
    assertTrue(e.getMessage().contains("something else"), e.getMessage());
  }

  @Test
  void inspectParsesJson() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "{\"attributes\":{\"labels\":{\"a\":\"b\"}},\"type\":\"container\"}"));
    assertEquals(
        Map.of("a", "b"), client(t, GoldenArgvTest.V342).inspect(Inspect.of("i.sif")).labels());
  }

  // ---- stop and wait ----------------------------------------------------------------------------

  /** Like the real 3.4.2: still listed for a while after stop returned (recorded: 2-3 s). */
  static ScriptedTransport stoppingAfter(FakeTime time, Duration lingers) {
    ScriptedTransport t = new ScriptedTransport();
    Instant[] stoppedAt = new Instant[1];
    t.answer(
        r -> {
          if (r.argv().contains("stop")) {
            stoppedAt[0] = time.now;
            return ok(r, "Stopping app instance of /images/svc.sif (PID=27163)\n");
          }
          boolean listed = stoppedAt[0] == null || time.now.isBefore(stoppedAt[0].plus(lingers));
          return ok(
              r,
              listed
                  ? "{\"instances\":[{\"instance\":\"app\",\"pid\":27163,\"img\":\"/images/svc.sif\"}]}"
                  : "{\"instances\":[]}");
        });
    return t;
  }

  @Test
  void stopAndWaitPollsUntilTheInstanceIsGone() {
    FakeTime time = new FakeTime();
    ScriptedTransport t = stoppingAfter(time, Duration.ofMillis(2500));
    SingularityClient c =
        SingularityClient.builder()
            .transport(t)
            .binary(GoldenArgvTest.V342)
            .clock(time)
            .sleeper(time.sleeper())
            .pollInterval(Duration.ofMillis(500))
            .build();
    Instant before = time.now;
    assertTrue(c.stopAndWait(InstanceStop.of("app"), Duration.ofSeconds(10)));
    assertEquals(Duration.ofMillis(2500), Duration.between(before, time.now));
    long lists = t.argvs().stream().filter(a -> a.contains("list")).count();
    assertEquals(6, lists, "polls at 0, 0.5, 1, 1.5, 2, 2.5 s");
  }

  @Test
  void stopAndWaitGivesUpAfterTheBound() {
    FakeTime time = new FakeTime();
    ScriptedTransport t = stoppingAfter(time, Duration.ofHours(1));
    SingularityClient c =
        SingularityClient.builder()
            .transport(t)
            .binary(GoldenArgvTest.V342)
            .clock(time)
            .sleeper(time.sleeper())
            .pollInterval(Duration.ofMillis(400))
            .build();
    Instant before = time.now;
    assertFalse(c.stopAndWait(InstanceStop.of("app"), Duration.ofSeconds(1)));
    assertEquals(Duration.ofSeconds(1), Duration.between(before, time.now), "never past the bound");
    assertEquals(
        List.of(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(200)),
        time.sleeps);
  }

  @Test
  void stopAndWaitOfAMissingInstanceIsDone() {
    FakeTime time = new FakeTime();
    ScriptedTransport t = new ScriptedTransport();
    t.answer(
        r ->
            r.argv().contains("stop")
                ? result(r, 255, "", "FATAL:   no instance found\n")
                : ok(r, "{\"instances\": []}"));
    SingularityClient c =
        SingularityClient.builder()
            .transport(t)
            .binary(GoldenArgvTest.V342)
            .clock(time)
            .sleeper(time.sleeper())
            .build();
    assertTrue(c.stopAndWait(InstanceStop.of("nosuch"), Duration.ofSeconds(5)));
    assertTrue(time.sleeps.isEmpty());
  }

  // ---- logs -------------------------------------------------------------------------------------

  @Test
  void logsAtTheDialectsDefaultPath() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "{\"instances\": []}"));
    // recorded from 3.4.2: /root/.singularity/instances/logs/vm/root/web1.out
    t.append("/root/.singularity/instances/logs/vm/root/web1.out", "startscript args: a1 b 2\n");
    t.append("/root/.singularity/instances/logs/vm/root/web1.err", "to stderr\n");
    SingularityClient c =
        SingularityClient.builder()
            .transport(t)
            .binary(GoldenArgvTest.V342)
            .hostIdentity(HostIdentity.of("/root", "vm", "root"))
            .build();
    InstanceLogs logs = c.logs("web1");
    assertEquals("startscript args: a1 b 2\n", logs.out());
    assertEquals("to stderr\n", logs.err());
    assertEquals("/root/.singularity/instances/logs/vm/root/web1.err", logs.errPath());
  }

  @Test
  void logsFromTheListingAndTheHostIdentityAskedOfTheHost() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(
        r ->
            switch (r.argv().get(0)) {
              case "printenv" -> ok(r, "/home/alice\n");
              case "uname" -> ok(r, "login1\n");
              case "id" -> ok(r, "alice\n");
              default ->
                  ok(
                      r,
                      "{\"instances\":[{\"instance\":\"web\",\"pid\":5,\"img\":\"/w.sif\","
                          + "\"logOutPath\":\"/custom/web.out\",\"logErrPath\":\"\"}]}");
            });
    t.append("/custom/web.out", "hello\n");
    SingularityClient c = client(t, GoldenArgvTest.APPTAINER);
    InstanceLogs logs = c.logs("web");
    assertEquals("/custom/web.out", logs.outPath());
    assertEquals("/home/alice/.apptainer/instances/logs/login1/alice/web.err", logs.errPath());
    assertEquals("hello\n", logs.out());
    assertEquals("", logs.err(), "a missing log reads as empty");
  }

  @Test
  void onALocalTransportTheHostIdentityIsWhatTheProbesPrintHere() throws Exception {
    LocalProcessTransport local = LocalProcessTransport.create();
    HostIdentity probed =
        HostIdentity.of(
            local.run(CommandRequest.of("printenv", "HOME")).stdout().strip(),
            local.run(CommandRequest.of("uname", "-n")).stdout().strip(),
            local.run(CommandRequest.of("id", "-un")).stdout().strip());
    SingularityClient c =
        SingularityClient.builder().transport(local).binary(GoldenArgvTest.V342).build();
    assertEquals(probed, c.hostIdentity());
    assertEquals(
        Optional.of(probed),
        io.github.scompose.core.internal.client.LocalHostIdentity.read(),
        "read without the probes");
  }

  @Test
  void hostIdentityIsAskedOnceWhenManyThreadsNeedItAtOnce() throws Exception {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(
        r ->
            switch (r.argv().get(0)) {
              case "printenv" -> ok(r, "/home/alice\n");
              case "uname" -> ok(r, "login1\n");
              case "id" -> ok(r, "alice\n");
              default -> ok(r, "{\"instances\": []}");
            });
    SingularityClient c = client(t, GoldenArgvTest.V342);
    int threads = 16;
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<HostIdentity>> asked = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        asked.add(
            pool.submit(
                () -> {
                  gate.await();
                  return c.hostIdentity();
                }));
      }
      gate.countDown();
      for (Future<HostIdentity> f : asked) {
        assertEquals(
            HostIdentity.of("/home/alice", "login1", "alice"), f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        List.of(List.of("printenv", "HOME"), List.of("uname", "-n"), List.of("id", "-un")),
        t.argvs(),
        "one probe of each, not one per thread");
  }

  @Test
  void tailKeepsTheLastLines() {
    assertEquals("c\nd\n", InstanceLogFiles.lastLines("a\nb\nc\nd\n", 2));
    assertEquals("c\nd", InstanceLogFiles.lastLines("a\nb\nc\nd", 2));
    assertEquals("a\nb\n", InstanceLogFiles.lastLines("a\nb\n", 5));
    assertEquals("", InstanceLogFiles.lastLines("a\nb\n", 0));
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "{\"instances\": []}"));
    t.append("/h/.singularity/instances/logs/n/u/x.out", "1\n2\n3\n");
    SingularityClient c =
        SingularityClient.builder()
            .transport(t)
            .binary(GoldenArgvTest.CE4)
            .hostIdentity(HostIdentity.of("/h", "n", "u"))
            .build();
    assertEquals("3\n", c.tailLogs("x", 1).out());
  }

  @Test
  void followDeliversCompleteLinesAsTheyAreAppended() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "{\"instances\": []}"));
    String out = "/h/.singularity/instances/logs/n/u/x.out";
    String err = "/h/.singularity/instances/logs/n/u/x.err";
    t.append(out, "old line\n");
    SingularityClient c =
        SingularityClient.builder()
            .transport(t)
            .binary(GoldenArgvTest.V342)
            .hostIdentity(HostIdentity.of("/h", "n", "u"))
            .build();
    List<String> seen = new ArrayList<>();
    LogFollower f = c.followLogs("x", true, (s, line) -> seen.add(s + ":" + line));
    assertFalse(f.pollOnce(), "nothing new yet");
    t.append(out, "new 1\npart");
    t.append(err, "oops\n");
    assertTrue(f.pollOnce());
    assertEquals(List.of("OUT:new 1", "ERR:oops"), seen);
    t.append(out, "ial ✓\n");
    f.pollOnce();
    assertEquals(List.of("OUT:new 1", "ERR:oops", "OUT:partial ✓"), seen);
    f.close();
  }

  @Test
  void followerThreadPollsUntilClosed() throws Exception {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "{\"instances\": []}"));
    String out = "/h/.singularity/instances/logs/n/u/x.out";
    SingularityClient c =
        SingularityClient.builder()
            .transport(t)
            .binary(GoldenArgvTest.V342)
            .hostIdentity(HostIdentity.of("/h", "n", "u"))
            .pollInterval(Duration.ofMillis(5))
            .build();
    CountDownLatch got = new CountDownLatch(1);
    try (LogFollower f = c.followLogs("x", false, (s, line) -> got.countDown()).start()) {
      t.append(out, "ready\n");
      assertTrue(got.await(30, TimeUnit.SECONDS));
    }
  }

  // ---- discovery --------------------------------------------------------------------------------

  @Test
  void discoveryTriesApptainerThenSingularityOnPath() {
    ScriptedTransport t = new ScriptedTransport();
    AtomicInteger probes = new AtomicInteger();
    t.answer(
        r -> {
          probes.incrementAndGet();
          if (r.argv().get(0).equals("apptainer")) {
            throw new io.github.scompose.core.transport.TransportException(
                "cannot run apptainer: not found on PATH");
          }
          // recorded from SingularityCE 3.4.2
          return ok(r, "singularity version 3.4.2\n");
        });
    SingularityBinary b = BinaryLocator.onPath().locate(t);
    assertEquals("singularity", b.program());
    assertEquals(BinaryVersion.parse("singularity version 3.4.2"), b.version());
    assertEquals(
        List.of(List.of("apptainer", "--version"), List.of("singularity", "--version")), t.argvs());
    assertTrue(b.dialect().supportsJsonList());
  }

  @Test
  void configurationVariableComesBeforePath() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> ok(r, "apptainer version 1.3.4\n"));
    SingularityBinary b =
        BinaryLocator.builder()
            .environment(Map.of("SINGULARITY_BINARY", "/opt/apptainer/bin/singularity"))
            .build()
            .locate(t);
    assertEquals("/opt/apptainer/bin/singularity", b.program());
    assertEquals(Flavour.APPTAINER, b.version().flavour());
    assertEquals(1, t.requests.size());
  }

  @Test
  void explicitPathOnlyAndNotFoundSaysWhereItLooked() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(r -> result(r, 127, "", "sh: 1: /x/singularity: not found"));
    io.github.scompose.core.errors.BinaryNotFoundException e =
        assertThrows(
            io.github.scompose.core.errors.BinaryNotFoundException.class,
            () -> BinaryLocator.builder().explicitPath("/x/singularity").build().locate(t));
    assertEquals(List.of("explicit path /x/singularity: not found"), e.triedPlaces());
    assertEquals(1, t.requests.size());

    io.github.scompose.core.errors.BinaryNotFoundException all =
        assertThrows(
            io.github.scompose.core.errors.BinaryNotFoundException.class,
            () -> BinaryLocator.onPath().locate(ScriptedTransport.empty()));
    assertEquals(4, all.triedPlaces().size(), all.getMessage());
    assertTrue(all.getMessage().contains("APPTAINER_BINARY: not set"), all.getMessage());
    assertTrue(all.getMessage().contains("apptainer on PATH: cannot run"), all.getMessage());
    assertTrue(all.getMessage().contains("singularity on PATH"), all.getMessage());
    assertTrue(all.getMessage().contains("on scripted"), all.getMessage());
  }

  @Test
  void aProgramThatPrintsNoVersionIsNotTheBinary() {
    ScriptedTransport t = new ScriptedTransport();
    t.answer(
        r -> ok(r, r.argv().get(0).equals("apptainer") ? "usage: something\n" : "2.6.1-dist\n"));
    SingularityBinary b = BinaryLocator.onPath().locate(t);
    assertEquals("singularity", b.program());
    assertEquals(
        List.of("instance.start"), b.dialect().instanceStartCommand(), "2.x dialect chosen");
  }
}
