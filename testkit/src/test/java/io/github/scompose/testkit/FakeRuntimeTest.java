package io.github.scompose.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.CommandTimeoutException;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.NetworkException;
import io.github.scompose.network.Protocol;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-JVM fake: Apptainer dialect by default, programming, timing on a virtual clock. */
class FakeRuntimeTest {

  private static FakeRuntime.Builder apptainer() {
    return FakeRuntime.builder()
        .hostName("node1")
        .userName("alice")
        .homeDirectory("/home/alice")
        .timeSource(VirtualTimeSource.create())
        .image(
            FakeImage.builder()
                .path("/images/redis.sif")
                .putEnvironment("ROLE", "cache")
                .addStartscriptStdout("redis ready, role=$ROLE mode=$MODE args=$@")
                .build());
  }

  @Test
  void versionAndListingAreApptainers() {
    FakeRuntime fake = apptainer().build();
    assertEquals("apptainer version 1.3.4\n", fake.execute("--version").stdout());
    assertEquals("1.3.4\n", fake.execute("version").stdout());
    CommandResult start =
        fake.execute(
            "instance",
            "start",
            "--net",
            "--network-args",
            "IP=10.22.0.7",
            "/images/redis.sif",
            "cache1");
    assertEquals(0, start.exitCode(), start.stderr());
    assertEquals(
        List.of("--net", "--network-args", "IP=10.22.0.7"),
        fake.instance("cache1").orElseThrow().options());
    assertEquals("\u001b[34mINFO:   \u001b[0m instance started successfully\n", start.stderr());
    assertEquals(
        "INSTANCE NAME    PID      IP               IMAGE\n"
            + "cache1           20000    10.22.0.7        /images/redis.sif\n",
        fake.execute("instance", "list").stdout());
    assertEquals(
        "{\n\t\"instances\": [\n\t\t{\n\t\t\t\"instance\": \"cache1\",\n\t\t\t\"pid\": 20000,\n"
            + "\t\t\t\"img\": \"/images/redis.sif\",\n\t\t\t\"ip\": \"10.22.0.7\",\n"
            + "\t\t\t\"logErrPath\": \"/home/alice/.apptainer/instances/logs/node1/alice/cache1.err\",\n"
            + "\t\t\t\"logOutPath\": \"/home/alice/.apptainer/instances/logs/node1/alice/cache1.out\"\n"
            + "\t\t}\n\t]\n}\n",
        fake.execute("instance", "list", "--json").stdout());
    assertEquals(
        "INSTANCE NAME    PID      IP               IMAGE\n",
        fake.execute("instance", "list", "other*").stdout(),
        "Apptainer filters by the name pattern");
  }

  @Test
  void environmentReachesTheStartscriptThroughPrefixesAndFlags() {
    FakeRuntime fake = apptainer().hostEnvironment("APPTAINERENV_MODE", "from-prefix").build();
    assertEquals(
        0, fake.execute("instance", "start", "/images/redis.sif", "c1", "x", "y").exitCode());
    assertEquals(
        "redis ready, role=cache mode=from-prefix args=x y\n",
        fake.readFile(fake.logOutPath("c1")).orElseThrow());
    fake.execute(
        "instance", "start", "--env", "MODE=from-flag,ROLE=primary", "/images/redis.sif", "c2");
    assertEquals(
        "redis ready, role=primary mode=from-flag args=\n",
        fake.readFile(fake.logOutPath("c2")).orElseThrow());
    assertEquals("from-flag", fake.instance("c2").orElseThrow().environment().get("MODE"));
  }

  @Test
  void theThreeFourDialectHasNoEnvFlagAndNoInstanceRun() {
    FakeRuntime fake = apptainer().dialect(FakeDialect.SINGULARITY_CE_3_4).build();
    CommandResult env = fake.execute("instance", "start", "--env", "A=1", "/images/redis.sif", "x");
    assertEquals(1, env.exitCode());
    assertTrue(env.stderr().startsWith("Error for command \"start\": unknown flag: --env\n"));
    assertEquals(1, fake.execute("instance", "run", "/images/redis.sif", "x").exitCode());
    assertEquals(
        0, apptainer().build().execute("instance", "run", "/images/redis.sif", "x").exitCode());
  }

  @Test
  void singularityTwoUsesDottedCommandsAndDaemonHeader() {
    FakeRuntime fake = apptainer().dialect(FakeDialect.SINGULARITY_2).build();
    assertEquals("2.6.1-dist\n", fake.execute("--version").stdout());
    assertEquals(0, fake.execute("instance.start", "/images/redis.sif", "old").exitCode());
    assertEquals(
        "DAEMON NAME      PID      CONTAINER IMAGE\nold              20000    /images/redis.sif\n",
        fake.execute("instance.list").stdout());
    assertEquals(1, fake.execute("instance.list", "--json").exitCode());
    assertEquals(0, fake.execute("instance.stop", "old").exitCode());
  }

  @Test
  void namesAndDuplicatesFailWithTheRealMessages() {
    FakeRuntime fake = apptainer().build();
    fake.execute("instance", "start", "/images/redis.sif", "a");
    CommandResult duplicate =
        fake.execute("--nocolor", "instance", "start", "/images/redis.sif", "a");
    assertEquals(255, duplicate.exitCode());
    assertEquals("FATAL:   instance a already exists\n", duplicate.stderr());
    CommandResult bad = fake.execute("--nocolor", "instance", "start", "/images/redis.sif", "a/b");
    assertEquals(
        "FATAL:   while checking instance name: a/b is not a valid instance name\n", bad.stderr());
    CommandResult quiet = fake.execute("-q", "instance", "start", "/images/redis.sif", "b");
    assertEquals("", quiet.stderr());
  }

  @Test
  void execAnswersScriptedResponsesThenBuiltins() {
    FakeRuntime fake =
        apptainer()
            .respondToExec("web", List.of("redis-cli", "ping"), ScriptedResponse.ok("PONG"))
            .build();
    fake.execute("instance", "start", "--hostname", "web-host", "/images/redis.sif", "web");
    CommandResult pong = fake.execute("exec", "instance://web", "redis-cli", "ping");
    assertEquals(0, pong.exitCode());
    assertEquals("PONG\n", pong.stdout());
    assertEquals("web-host\n", fake.execute("exec", "instance://web", "hostname").stdout());
    assertEquals(3, fake.execute("exec", "instance://web", "sh", "-c", "exit 3").exitCode());
    assertEquals(
        "cache\n", fake.execute("exec", "instance://web", "sh", "-c", "echo $ROLE").stdout());
    CommandResult missing = fake.execute("--nocolor", "exec", "instance://nope", "true");
    assertEquals("FATAL:   no instance found with name nope\n", missing.stderr());
    CommandResult unknown = fake.execute("--nocolor", "exec", "instance://web", "frobnicate");
    assertEquals(255, unknown.exitCode());
    assertEquals("FATAL:   \"frobnicate\": executable file not found in $PATH\n", unknown.stderr());
  }

  @Test
  void scriptedStartFailureCrashAndSilentDeath() {
    VirtualTimeSource clock = VirtualTimeSource.create();
    FakeRuntime fake =
        apptainer()
            .timeSource(clock)
            .failStart("db", 255, "container creation failed: mount error")
            .crashAfter("flaky", Duration.ofSeconds(5))
            .dieAtStart("ghost")
            .build();
    CommandResult db = fake.execute("--nocolor", "instance", "start", "/images/redis.sif", "db");
    assertEquals(255, db.exitCode());
    assertEquals("FATAL:   container creation failed: mount error\n", db.stderr());
    assertEquals(0, fake.execute("instance", "start", "/images/redis.sif", "ghost").exitCode());
    assertTrue(fake.instance("ghost").isEmpty(), "reported started, but died at once");
    fake.execute("instance", "start", "/images/redis.sif", "flaky");
    clock.advance(Duration.ofSeconds(4));
    assertTrue(fake.instance("flaky").isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(fake.instance("flaky").isEmpty(), "crashed after 5 s");
    fake.execute("instance", "start", "/images/redis.sif", "victim");
    assertTrue(fake.crash("victim"));
    assertFalse(fake.execute("instance", "list").stdout().contains("victim"));
  }

  @Test
  void stoppedInstancesStayListedAndTheirNameTaken() {
    VirtualTimeSource clock = VirtualTimeSource.create();
    FakeRuntime fake =
        apptainer().timeSource(clock).stillListedAfterStop(Duration.ofSeconds(2)).build();
    fake.execute("instance", "start", "/images/redis.sif", "w");
    CommandResult stop = fake.execute("instance", "stop", "w");
    assertEquals("Stopping w instance of /images/redis.sif (PID=20000)\n", stop.stdout());
    assertTrue(fake.instance("w").orElseThrow().stopping());
    assertEquals(255, fake.execute("instance", "start", "/images/redis.sif", "w").exitCode());
    clock.advance(Duration.ofSeconds(2));
    assertTrue(fake.instance("w").isEmpty());
    assertEquals(0, fake.execute("instance", "start", "/images/redis.sif", "w").exitCode());
  }

  @Test
  void latencyPassesOnTheVirtualClockAndHangsTimeOut() {
    VirtualTimeSource clock = VirtualTimeSource.create();
    FakeRuntime fake =
        apptainer()
            .timeSource(clock)
            .startLatency(Duration.ofMillis(300))
            .hangAtStart("stuck")
            .respondToCommand(
                List.of("pull", "docker://broken"), ScriptedResponse.failure(255, "no\n"))
            .build();
    Transport transport = fake.transport();
    CommandResult start =
        transport.run(
            CommandRequest.of("apptainer", "instance", "start", "/images/redis.sif", "a"));
    assertEquals(Duration.ofMillis(300), start.duration());
    CommandRequest stuck =
        CommandRequest.builder()
            .addArgv("apptainer", "instance", "start", "/images/redis.sif", "stuck")
            .timeout(Duration.ofSeconds(30))
            .build();
    var before = clock.now();
    CommandTimeoutException timeout =
        assertThrows(CommandTimeoutException.class, () -> transport.run(stuck));
    assertEquals(Duration.ofSeconds(30), timeout.timeout());
    assertEquals(Duration.ofSeconds(30), Duration.between(before, clock.now()));
    assertEquals(255, fake.execute("pull", "docker://broken").exitCode());
    assertThrows(TransportException.class, () -> transport.run(CommandRequest.of("ls")));
  }

  @Test
  void hangOnTheSystemClockEndsWithTheRequestTimeout() {
    FakeRuntime fake =
        FakeRuntime.builder()
            .image("/images/a.sif")
            .respondToExec("*", List.of("sleep", "forever"), ScriptedResponse.hang())
            .build();
    CommandRequest request =
        CommandRequest.builder()
            .addArgv("apptainer", "exec", "/images/a.sif", "sleep", "forever")
            .timeout(Duration.ofMillis(50))
            .build();
    assertThrows(CommandTimeoutException.class, () -> fake.transport().run(request));
  }

  @Test
  void startStreamsLinesToTheListener() throws Exception {
    FakeRuntime fake =
        apptainer()
            .respondToExec("*", List.of("cat", "/data"), ScriptedResponse.of(0, "one\ntwo\n"))
            .build();
    List<String> lines = new CopyOnWriteArrayList<>();
    RunningCommand running =
        fake.transport()
            .start(
                CommandRequest.of("apptainer", "exec", "/images/redis.sif", "cat", "/data"),
                new OutputListener() {
                  @Override
                  public void onStdout(String line) {
                    lines.add(line);
                  }

                  @Override
                  public void onStderr(String line) {
                    lines.add("err:" + line);
                  }
                });
    CommandResult result = running.completion().get();
    assertEquals(List.of("one", "two"), lines);
    assertEquals("", result.stdout());
    assertFalse(running.isAlive());
  }

  @Test
  void hangingStartedCommandCanBeCancelled() throws Exception {
    FakeRuntime fake =
        FakeRuntime.builder()
            .image("/images/a.sif")
            .respondToExec("*", List.of("wait"), ScriptedResponse.hang())
            .build();
    RunningCommand running =
        fake.transport()
            .start(
                CommandRequest.of("apptainer", "exec", "/images/a.sif", "wait"),
                OutputListener.discarding());
    assertTrue(running.isAlive());
    running.cancel();
    assertEquals(143, running.completion().get().exitCode());
  }

  @Test
  void pullBuildAndInspect() {
    FakeRuntime fake =
        apptainer()
            .image(
                FakeImage.builder()
                    .path("docker://redis:7")
                    .putLabel("maintainer", "someone")
                    .build())
            .build();
    CommandRequest pull =
        CommandRequest.builder()
            .addArgv("apptainer", "pull", "docker://redis:7")
            .workingDirectory("/work")
            .build();
    assertEquals(0, fake.transport().run(pull).exitCode());
    assertEquals("maintainer: someone\n", fake.execute("inspect", "/work/redis_7.sif").stdout());
    CommandResult again = fake.transport().run(pull);
    assertEquals(255, again.exitCode());
    assertTrue(again.stderr().contains("Image file already exists: \"redis_7.sif\""));
    assertEquals(
        0, fake.execute("pull", "--force", "/work/redis_7.sif", "docker://redis:7").exitCode());
    String json = fake.execute("inspect", "--json", "/work/redis_7.sif").stdout();
    assertTrue(json.startsWith("{\n\t\"data\": {\n\t\t\"attributes\": {"), json);
  }

  @Test
  void unknownFlagsAndShorthandsFailLikeCobra() {
    FakeRuntime fake = apptainer().build();
    CommandResult shorthand = fake.execute("instance", "list", "-z");
    assertEquals(1, shorthand.exitCode());
    assertTrue(
        shorthand
            .stderr()
            .startsWith("Error for command \"list\": unknown shorthand flag: 'z' in -z"));
    assertTrue(
        shorthand
            .stderr()
            .endsWith(
                "Run 'apptainer instance list --help' for more detailed usage information.\n"));
    CommandResult missingValue = fake.execute("exec", "--bind");
    assertTrue(missingValue.stderr().contains("flag needs an argument: --bind"));
  }

  @Test
  void aThousandInstancesStartAndStopInMemory() {
    FakeRuntime fake = FakeRuntime.builder().image("/images/a.sif").build();
    Transport transport = fake.transport();
    for (int i = 0; i < 1000; i++) {
      CommandResult r =
          transport.run(
              CommandRequest.of("apptainer", "instance", "start", "/images/a.sif", "i" + i));
      assertEquals(0, r.exitCode());
    }
    assertEquals(1000, fake.instances().size());
    for (int i = 0; i < 1000; i++) {
      assertEquals(
          0, transport.run(CommandRequest.of("apptainer", "instance", "stop", "i" + i)).exitCode());
    }
    assertTrue(fake.instances().isEmpty());
  }

  @Test
  void hostPortsSeeEveryPortFreeAndFindTheLowestDynamicPortNotExcluded() throws Exception {
    FakeRuntime fake = FakeRuntime.create();
    HostPorts ports = fake.hostPorts();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // a socket really bound on the host does not matter to the fake: nothing of it binds there
      assertTrue(ports.isFree(Protocol.TCP, Optional.empty(), taken.getLocalPort()));
    }
    assertEquals(49152, ports.findFree(Protocol.TCP, Optional.empty(), Set.of()));
    assertEquals(49154, ports.findFree(Protocol.UDP, Optional.empty(), Set.of(49152, 49153, 80)));
    Set<Integer> all = IntStream.rangeClosed(49152, 65535).boxed().collect(Collectors.toSet());
    assertThrows(NetworkException.class, () -> ports.findFree(Protocol.TCP, Optional.empty(), all));
  }
}
