package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.BuildSpec;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.VolumeMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compose operations beyond up/down — stop, start, restart, create, pull, build, images,
 * one-off run, merged and followed logs — on {@link ComposeOpsRuntime} (a stub runtime; the
 * testkit's emulator cannot be used from core).
 */
class ComposeOpsTest extends EngineFixture<ComposeOpsRuntime> {

  ComposeOpsTest() {
    super(new ComposeOpsRuntime(), true);
  }

  /** Root, so that instances get bridge addresses; no host port checks. */
  /** db, cache (level 0) ← app (1) ← web ×2 (2). */
  ComposeProject threeLevels() {
    return project(
        svc("db"), svc("cache"), svc("app", "db", "cache"), svc("web", "app").withReplicas(2));
  }

  static final List<String> ALL =
      List.of("shop-db-1", "shop-cache-1", "shop-app-1", "shop-web-1", "shop-web-2");

  Map<String, InstanceStatus.State> states(List<InstanceStatus> ps) {
    Map<String, InstanceStatus.State> out = new java.util.TreeMap<>();
    ps.forEach(i -> out.put(i.name(), i.state()));
    return out;
  }

  // ---- stop / start / restart -------------------------------------------------------------------

  @Test
  void stopGoesDependentsFirstKeepsTheStateAndStartComesBackWithTheSameAddresses() {
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(threeLevels())) {
      Map<String, List<String>> firstArgv = Map.copyOf(runtime.startArgv);
      Map<String, String> firstIps = Map.copyOf(runtime.ips);
      assertEquals(5, firstIps.size());

      List<String> stopped = stack.stop();
      assertEquals(
          List.of("shop-web-1", "shop-web-2", "shop-app-1", "shop-db-1", "shop-cache-1"), stopped);
      List<String> order = List.copyOf(runtime.stopOrder);
      assertTrue(order.indexOf("shop-web-2") < order.indexOf("shop-app-1"), order.toString());
      assertTrue(order.indexOf("shop-app-1") < order.indexOf("shop-db-1"), order.toString());
      assertTrue(order.indexOf("shop-app-1") < order.indexOf("shop-cache-1"), order.toString());
      assertTrue(runtime.running.isEmpty());
      assertTrue(Files.exists(dir.resolve(".scompose/state.json")));
      List<InstanceStatus> ps = stack.ps();
      assertEquals(5, ps.size());
      assertTrue(ps.stream().allMatch(i -> i.state() == InstanceStatus.State.EXITED));
      assertEquals(firstIps.get("shop-app-1"), ps.get(2).ip().orElseThrow());

      runtime.requests.clear();
      List<String> started = stack.start();
      assertEquals(Set.copyOf(ALL), Set.copyOf(started));
      List<String> startOrder = runtime.startedNames();
      assertTrue(startOrder.indexOf("shop-app-1") > startOrder.indexOf("shop-db-1"));
      assertTrue(startOrder.indexOf("shop-app-1") > startOrder.indexOf("shop-cache-1"));
      assertTrue(startOrder.indexOf("shop-web-1") > startOrder.indexOf("shop-app-1"));
      assertEquals(firstArgv, runtime.startArgv, "same argv, so the same addresses");
      assertEquals(firstIps, runtime.ips);
      // one listing to begin with and one startup check per level
      assertEquals(4, runtime.count("instance", "list"));
      assertTrue(stack.ps().stream().allMatch(i -> i.state() == InstanceStatus.State.RUNNING));
      assertEquals(List.of(), stack.start(), "nothing left to start");
    }
    assertTrue(runtime.running.isEmpty());
    assertFalse(Files.exists(dir.resolve(".scompose/instances.json")), "down removes the records");
  }

  @Test
  void downSendsSigtermByDefaultAndEachServicesStopSignalAndGracePeriod() {
    Compose compose = engine().build();
    compose.up(
        project(
            svc("db"),
            svc("app", "db")
                .withStopSignal("SIGKILL")
                .withStopGracePeriod(Duration.ofMillis(1500))));
    // a second engine, as another process would: the stop settings come from the records
    assertEquals(List.of("shop-app-1", "shop-db-1"), engine().build().down(dir));
    Map<String, List<String>> stops = new java.util.TreeMap<>();
    runtime.argvs().stream()
        .filter(a -> a.contains("instance") && a.contains("stop"))
        .forEach(a -> stops.put(a.get(a.size() - 1), a.subList(a.indexOf("stop") + 1, a.size())));
    assertEquals(
        Map.of(
            "shop-app-1", List.of("--signal", "SIGKILL", "--timeout", "2", "shop-app-1"),
            "shop-db-1", List.of("--signal", "SIGTERM", "shop-db-1")),
        stops);
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void downWithATimeoutPassesItToEveryStopOfThisCallOnly() {
    Compose compose = engine().stopTimeout(Duration.ofSeconds(20)).build();
    compose.up(project(svc("db"), svc("app", "db")));
    assertThrows(IllegalArgumentException.class, () -> compose.down(dir, Duration.ofMillis(500)));
    assertEquals(2, runtime.running.size(), "a refused timeout stops nothing");
    assertEquals(List.of("shop-app-1", "shop-db-1"), compose.down(dir, Duration.ofSeconds(3)));
    List<List<String>> stops =
        runtime.argvs().stream().filter(a -> a.contains("instance") && a.contains("stop")).toList();
    assertEquals(2, stops.size(), stops.toString());
    for (List<String> a : stops) {
      assertEquals("3", a.get(a.indexOf("--timeout") + 1), a.toString());
    }
    assertTrue(runtime.running.isEmpty());

    // the engine's own timeout for the next down, and a handle's down(timeout)
    ComposeStack stack = compose.up(project(svc("db")));
    assertEquals(List.of("shop-db-1"), stack.down(Duration.ofSeconds(7)));
    List<String> last =
        runtime.argvs().stream()
            .filter(a -> a.contains("instance") && a.contains("stop"))
            .reduce((x, y) -> y)
            .orElseThrow();
    assertEquals("7", last.get(last.indexOf("--timeout") + 1), last.toString());
    compose.up(project(svc("db")));
    assertEquals(List.of("shop-db-1"), compose.down(dir, null));
    last =
        runtime.argvs().stream()
            .filter(a -> a.contains("instance") && a.contains("stop"))
            .reduce((x, y) -> y)
            .orElseThrow();
    assertEquals("20", last.get(last.indexOf("--timeout") + 1), last.toString());
  }

  @Test
  void anotherProcessStopsAndStartsOneServiceOnly() {
    engine().build().up(threeLevels()); // this "process" goes away without down
    Compose other = engine().build();
    ComposeStack attached = other.attach(dir);
    List<String> appArgv = runtime.startArgv.get("shop-app-1");

    assertEquals(List.of("shop-app-1"), attached.stop(Duration.ofSeconds(3), "app"));
    assertTrue(
        runtime.argvs().stream()
            .anyMatch(a -> a.contains("stop") && a.contains("--timeout") && a.contains("3")),
        "stop -t reaches the binary");
    Map<String, InstanceStatus.State> ps = states(other.ps(dir));
    assertEquals(InstanceStatus.State.EXITED, ps.get("shop-app-1"));
    assertEquals(4, ps.values().stream().filter(s -> s == InstanceStatus.State.RUNNING).count());

    assertEquals(List.of("shop-app-1"), other.start(dir, "app"));
    assertEquals(appArgv, runtime.startArgv.get("shop-app-1"));
    assertEquals(2, runtime.startCalls.get("shop-app-1"));
    assertEquals(1, runtime.startCalls.get("shop-db-1"));
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.type() == ComposeEvent.Type.STARTED
                        && e.instance().orElse("").equals("shop-app-1")
                        && e.message().startsWith("pid ")));

    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> attached.stop("nosuch"));
    assertTrue(unknown.getMessage().contains("nosuch"), unknown.getMessage());
    other.down(dir);
    assertTrue(runtime.running.isEmpty());
    assertThrows(IllegalStateException.class, () -> other.start(dir));
  }

  @Test
  void restartStopsThenStartsAndStartsWhatWasNotRunning() {
    try (ComposeStack stack = engine().build().up(threeLevels())) {
      runtime.running.remove("shop-cache-1"); // died
      assertEquals(List.of("shop-db-1", "shop-cache-1"), stack.restart("db", "cache"));
      assertEquals(2, runtime.startCalls.get("shop-db-1"));
      assertEquals(2, runtime.startCalls.get("shop-cache-1"));
      assertEquals(1, runtime.startCalls.get("shop-app-1"));
      assertTrue(runtime.stopOrder.contains("shop-db-1"));
      assertFalse(runtime.stopOrder.contains("shop-cache-1"), "it was not running");
      assertEquals(5, runtime.running.size());
    }
  }

  @Test
  void startRunsTheRecordedAfterStartStepsAgain() {
    ServiceSpec app =
        ServiceSpec.builder()
            .from(svc("app"))
            .exec(Invocation.builder().addArg("migrate --now").argsAsOneString(true).build())
            .run(Invocation.builder().addArg("serve").background(true).build())
            .build();
    Compose compose = engine().build();
    compose.up(project(app));
    assertEquals(1, runtime.count("exec", "instance://shop-app-1", "migrate", "--now"));
    assertEquals(1, runtime.count("run", "instance://shop-app-1", "serve"));
    ComposeStack attached = compose.attach(dir);
    attached.restart();
    assertEquals(2, runtime.count("exec", "instance://shop-app-1", "migrate", "--now"));
    assertEquals(2, runtime.count("run", "instance://shop-app-1", "serve"));
    attached.down();
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void restartPoliciesLeaveAStoppedInstanceAloneUntilStart() {
    ServiceSpec worker =
        svc("worker")
            .withRestart(RestartPolicy.builder().condition(RestartPolicy.Condition.ALWAYS).build());
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(project(worker))) {
      // stopped by another process: the open handle's supervisor must not bring it back
      compose.attach(dir).stop("worker");
      assertEquals(List.of(), stack.superviseOnce());
      assertFalse(runtime.running.containsKey("shop-worker-1"));

      stack.start("worker");
      assertTrue(runtime.running.containsKey("shop-worker-1"));
      runtime.running.remove("shop-worker-1"); // now it dies on its own
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
    }
  }

  @Test
  void stoppingAnotherServiceKeepsTheMaxAttemptsAndDelayCountingOfAPolicy() {
    ServiceSpec worker =
        svc("worker")
            .withRestart(
                RestartPolicy.builder()
                    .condition(RestartPolicy.Condition.ALWAYS)
                    .maxAttempts(2)
                    .delay(Duration.ofSeconds(10))
                    .build());
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(project(worker, svc("cache")))) {
      runtime.running.remove("shop-worker-1");
      assertEquals(List.of(), stack.superviseOnce(), "death seen; the delay starts");
      compose.attach(dir).stop("cache"); // the stopped marks change
      clock.sleep(Duration.ofSeconds(10));
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce(), "the delay kept running");
      runtime.running.remove("shop-worker-1");
      stack.superviseOnce();
      compose.attach(dir).start("cache"); // the marks change again
      clock.sleep(Duration.ofSeconds(10));
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      runtime.running.remove("shop-worker-1");
      clock.sleep(Duration.ofSeconds(10));
      assertEquals(List.of(), stack.superviseOnce(), "2 restarts done: max_attempts reached");
      clock.sleep(Duration.ofSeconds(60));
      assertEquals(List.of(), stack.superviseOnce());
      assertEquals(3, runtime.startCalls.get("shop-worker-1"));
      assertTrue(
          events.stream()
              .anyMatch(
                  e -> e.type() == ComposeEvent.Type.FAILED && e.message().contains("gave up")));
    }
  }

  @Test
  void aCreatedInstanceWithARestartPolicyWaitsForStart() {
    ServiceSpec worker =
        svc("worker")
            .withRestart(
                RestartPolicy.builder().condition(RestartPolicy.Condition.UNLESS_STOPPED).build());
    try (ComposeStack stack = engine().build().create(project(worker))) {
      assertEquals(List.of(), stack.superviseOnce());
      assertTrue(runtime.startedNames().isEmpty());
      assertEquals(List.of("shop-worker-1"), stack.start());
      runtime.running.remove("shop-worker-1");
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      assertEquals(2, runtime.startCalls.get("shop-worker-1"));
    }
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void startChecksLikeUpAndRetriesAnInstanceThatDiedAtOnce() {
    try (ComposeStack stack = engine().build().up(project(svc("db"), svc("app", "db")))) {
      stack.stop();
      runtime.dieOnCalls.put("shop-app-1", Set.of(2));
      events.clear();
      assertEquals(List.of("shop-db-1", "shop-app-1"), stack.start());
      assertEquals(3, runtime.startCalls.get("shop-app-1"));
      assertTrue(events.stream().anyMatch(e -> e.type() == ComposeEvent.Type.RESTARTING));
      InstanceStatus app = stack.ps().get(1);
      assertEquals(InstanceStatus.State.RUNNING, app.state());
      assertEquals(1, app.restarts());
      assertEquals(runtime.running.get("shop-app-1"), app.pid().orElseThrow());

      stack.stop("app");
      runtime.dieOnCalls.put("shop-app-1", Set.of(4, 5, 6));
      ComposeOperationException e =
          assertThrows(ComposeOperationException.class, () -> stack.start("app"));
      assertEquals("start", e.operation());
      assertEquals("shop-app-1", e.instance());
      assertTrue(e.logTail().contains("status 151"), e.getMessage());
      assertTrue(e.getMessage().startsWith("start failed at shop-app-1"), e.getMessage());
      assertEquals(6, runtime.startCalls.get("shop-app-1"));
      assertTrue(runtime.running.containsKey("shop-db-1"), "nothing else is touched");
    }
  }

  @Test
  void startRefusesAnAddressThatAnotherProjectTookMeanwhile() {
    try (ComposeStack stack = engine().build().up(project(svc("db")))) {
      String ip = runtime.ips.get("shop-db-1");
      stack.stop();
      runtime.running.put("other-db-1", 9L);
      runtime.ips.put("other-db-1", ip);
      ComposeOperationException e =
          assertThrows(ComposeOperationException.class, () -> stack.start());
      assertTrue(
          e.getMessage().contains(ip) && e.getMessage().contains("other-db-1"), e.getMessage());
      assertEquals(1, runtime.startCalls.get("shop-db-1"));
      runtime.running.remove("other-db-1");
    }
  }

  // ---- create / pull / build / images ----------------------------------------------------------

  @Test
  void createGetsImagesAndWritesFilesButStartsNothingThenStartAndUpKeepEverything()
      throws Exception {
    ServiceSpec app =
        ServiceSpec.builder()
            .name("app")
            .image("docker://alpine:3")
            .addVolumes(
                VolumeMount.builder()
                    .type(VolumeMount.Type.VOLUME)
                    .source("data")
                    .target("/data")
                    .build())
            .build();
    ComposeProject p =
        project(svc("db"), app.withDependsOn(io.github.scompose.spec.DependsOn.on("db")));
    // not root: host networking (ComposeAddressesTest covers up again on a bridge)
    Compose compose =
        engine().facts(RuntimeFacts.of(ReferenceToolUpPlanTest.V342.dialect())).build();
    ComposeStack stack = compose.create(p);
    assertEquals(1, runtime.count("pull", "docker://alpine:3"));
    assertEquals(List.of(), runtime.startedNames());
    String volume = dir.resolve(".scompose/volumes/data").toString();
    assertTrue(runtime.directories.contains(volume), "made where the binary runs");
    assertFalse(Files.exists(dir.resolve(".scompose/volumes")), "not on the engine's host");
    assertTrue(Files.readString(dir.resolve(".scompose/etc.hosts")).contains("shop-app-1"));
    assertEquals(
        Map.of("shop-db-1", InstanceStatus.State.EXITED, "shop-app-1", InstanceStatus.State.EXITED),
        states(stack.ps()));
    assertTrue(events.stream().anyMatch(e -> e.type() == ComposeEvent.Type.PULLING));

    runtime.directories.clear();
    assertEquals(List.of("shop-db-1", "shop-app-1"), stack.start());
    assertEquals(Set.of(volume), runtime.directories, "start makes it again, remotely");
    assertThrows(IllegalStateException.class, () -> compose.create(p), "it is up now");
    events.clear();
    compose.up(p); // nothing changed since create: up keeps both
    assertEquals(1, runtime.startCalls.get("shop-app-1"));
    assertEquals(1, runtime.startCalls.get("shop-db-1"));
    assertEquals(
        2, events.stream().filter(e -> e.message().equals("running and unchanged: kept")).count());
    stack.down();
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void upAndRunMakeNamedVolumeFoldersThroughTheTransport() {
    ServiceSpec db =
        svc("db")
            .withVolumes(
                VolumeMount.builder()
                    .type(VolumeMount.Type.VOLUME)
                    .source("data")
                    .target("/data")
                    .build());
    String volume = dir.resolve(".scompose/volumes/data").toString();
    try (ComposeStack stack = engine().build().up(project(db))) {
      assertEquals(Set.of(volume), runtime.directories);
      runtime.directories.clear();
      stack.run("db", "true");
      assertEquals(Set.of(volume), runtime.directories);
      assertFalse(Files.exists(dir.resolve(".scompose/volumes")), "nothing made locally");
    }
  }

  ComposeProject images() throws Exception {
    Path context = Files.createDirectories(dir.resolve("site"));
    return project(
        ServiceSpec.builder().name("app").image("docker://alpine:3").build(),
        ServiceSpec.builder()
            .name("site")
            .build(
                BuildSpec.builder()
                    .context(context)
                    .recipe("Site.def")
                    .addOptions("fakeroot")
                    .build())
            .build(),
        ServiceSpec.builder().name("local").image("/img/local.sif").build());
  }

  @Test
  void pullAndBuildRunThePlannedStepsSkipPresentImagesAndForceAgain() throws Exception {
    ComposeProject p = images();
    Compose compose = engine().build();
    String appSif = dir.resolve(".scompose/images/app.sif").toString();
    String siteSif = dir.resolve(".scompose/images/site.sif").toString();

    assertEquals(List.of("app"), compose.pull(p, false));
    assertEquals(1, runtime.count("pull", appSif, "docker://alpine:3"));
    assertEquals(0, runtime.count("build"), "pull does not build");
    assertEquals(List.of(), compose.pull(p, false), "present: skipped");
    assertTrue(
        events.stream()
            .anyMatch(
                e -> e.type() == ComposeEvent.Type.IMAGE_READY && e.message().endsWith("exists")));
    assertEquals(List.of("app"), compose.pull(p, true, "app"));
    assertEquals(1, runtime.count("pull", "--force", appSif));

    assertEquals(List.of("site"), compose.build(p, false));
    assertEquals(
        1, runtime.count("build", "--fakeroot", siteSif, dir.resolve("site/Site.def").toString()));
    assertEquals(List.of(), compose.build(p, false, "site"));
    assertEquals(List.of("site"), compose.build(p, true, "site"));
    assertEquals(1, runtime.count("build", "--force", siteSif));
    assertTrue(events.stream().anyMatch(e -> e.type() == ComposeEvent.Type.BUILDING));
    assertTrue(runtime.startedNames().isEmpty());

    runtime.failCommand = "pull";
    ComposeOperationException e =
        assertThrows(ComposeOperationException.class, () -> compose.pull(p, true));
    assertEquals("pull", e.operation());
    assertEquals("app", e.instance());
    assertEquals(255, e.exitCode().orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> compose.build(p, false, "nosuch"));
  }

  @Test
  void imagesTellSourcePathPresenceAndSize() throws Exception {
    ComposeProject p = images();
    Compose compose = engine().build();
    compose.pull(p, false);
    runtime.files.put("/img/local.sif", "0123456789");
    List<ServiceImage> list = compose.images(p);
    assertEquals(
        List.of("app", "site", "local"), list.stream().map(ServiceImage::service).toList());
    ServiceImage app = list.get(0);
    assertEquals(ServiceImage.Source.PULL, app.source());
    assertEquals("docker://alpine:3", app.reference());
    assertEquals(dir.resolve(".scompose/images/app.sif").toString(), app.path());
    assertTrue(app.present());
    assertEquals("pulled image bytes".length(), app.sizeBytes().orElseThrow());
    ServiceImage site = list.get(1);
    assertEquals(ServiceImage.Source.BUILD, site.source());
    assertEquals(dir.resolve("site/Site.def").toString(), site.reference());
    assertFalse(site.present());
    assertTrue(site.sizeBytes().isEmpty());
    ServiceImage local = list.get(2);
    assertEquals(ServiceImage.Source.LOCAL, local.source());
    assertEquals("/img/local.sif", local.path());
    assertEquals(10, local.sizeBytes().orElseThrow());
  }

  // ---- run ------------------------------------------------------------------------------------

  ServiceSpec appWithSettings() {
    return svc("app")
        .withEnvironment(Map.of("DB_PASSWORD", "hunter2"))
        .withVolumes(
            VolumeMount.builder()
                .type(VolumeMount.Type.BIND)
                .source("/srv/data")
                .target("/data")
                .build())
        .withStart(Invocation.builder().addOptions("containall").build());
  }

  @Test
  void runIsAOneOffOnTheServiceImageWithItsSettingsAndPassesTheExitCode() {
    try (ComposeStack stack = engine().build().up(project(appWithSettings()))) {
      runtime.runExit.put("/img/app.sif", 3);
      runtime.requests.clear();
      CommandResult r = stack.run("app", "migrate", "--now");
      assertEquals(3, r.exitCode());
      CommandRequest request = runtime.requests.get(0);
      List<String> argv = request.argv();
      int run = argv.indexOf("run");
      assertTrue(run > 0, argv.toString());
      assertEquals(
          List.of("/img/app.sif", "migrate", "--now"), argv.subList(argv.size() - 3, argv.size()));
      assertTrue(argv.contains("/srv/data:/data"), argv.toString());
      assertTrue(argv.contains("--containall"), argv.toString());
      assertTrue(
          argv.contains(dir.resolve(".scompose/etc.hosts") + ":/etc/hosts:ro"), argv.toString());
      for (String absent : List.of("--net", "--network", "--network-args", "--hostname")) {
        assertFalse(argv.contains(absent), absent + " in " + argv);
      }
      assertFalse(String.join(" ", argv).contains("hunter2"), "no secret in argv");
      assertTrue(
          request.environment().values().contains("hunter2"),
          "the value travels in the environment");
      assertEquals(1, runtime.running.size(), "no instance was started for it");
      assertEquals(1, runtime.startCalls.get("shop-app-1"));
    }
  }

  @Test
  void runOfAProjectThatIsNotUpPlansItAndGetsTheImage() {
    ServiceSpec tool = ServiceSpec.builder().name("tool").image("docker://busybox:1").build();
    Compose compose = engine().build();
    CommandResult r = compose.run(project(appWithSettings(), tool), "tool", "echo", "hi");
    assertEquals(0, r.exitCode());
    assertEquals(1, runtime.count("pull", "docker://busybox:1"));
    List<String> argv = runtime.argvs().get(runtime.argvs().size() - 1);
    assertEquals(
        List.of(dir.resolve(".scompose/images/tool.sif").toString(), "echo", "hi"),
        argv.subList(argv.size() - 3, argv.size()));
    assertFalse(String.join(" ", argv).contains("etc.hosts"), "no hosts file to bind: not up");
    assertTrue(runtime.startedNames().isEmpty());
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));

    CommandResult app = compose.run(project(appWithSettings(), tool), "app");
    assertFalse(String.join(" ", app.argv()).contains("hunter2"));
    assertThrows(IllegalArgumentException.class, () -> compose.run(project(tool), "nosuch", "x"));
  }

  // ---- logs -----------------------------------------------------------------------------------

  @Test
  void logsAreMergedWithAServicePrefixAndTailed() {
    // an earlier run of the same names: the binary appends to the files, logs show this run only
    runtime.files.put(ComposeOpsRuntime.logPath("shop-web-1", ".out"), "earlier\n");
    try (ComposeStack stack =
        engine().build().up(project(svc("db"), svc("web", "db").withReplicas(2)))) {
      runtime.files.merge(
          ComposeOpsRuntime.logPath("shop-web-1", ".out"), "a\nb\nc\n", String::concat);
      runtime.files.put(ComposeOpsRuntime.logPath("shop-web-2", ".err"), "oops\n");
      runtime.files.put(ComposeOpsRuntime.logPath("shop-db-1", ".out"), "ready\n");
      assertEquals(
          "db-1  | ready\nweb-1 | a\nweb-1 | b\nweb-1 | c\nweb-2 | oops\n",
          stack.logs(LogOptions.all()));
      assertEquals("web-1 | c\nweb-2 | oops\n", stack.logs(LogOptions.tail(1, "web")));
      List<ComposeLogLine> lines = stack.logLines(LogOptions.tail(1, "web"));
      assertEquals(io.github.scompose.core.client.LogStream.ERR, lines.get(1).stream());
      assertEquals("shop-web-2", lines.get(1).instance());
      assertEquals("web", lines.get(1).service());
      assertEquals("", stack.logs(LogOptions.tail(0)));
      assertThrows(IllegalArgumentException.class, () -> stack.logs(LogOptions.tail(1, "nosuch")));
      assertThrows(IllegalArgumentException.class, () -> LogOptions.tail(-1));

      stack.stop("db");
      assertEquals("db-1 | ready\n", stack.logs(LogOptions.tail(5, "db")), "stopped: logs stay");
    }
  }

  @Test
  void followDeliversTheTailThenWhatIsAppendedUntilClosed() {
    String web1 = ComposeOpsRuntime.logPath("shop-web-1", ".out");
    runtime.files.put(web1, "earlier run\n");
    try (ComposeStack stack = engine().build().up(project(svc("web").withReplicas(2)))) {
      runtime.files.merge(web1, "old1\nold2\nold3\n", String::concat);
      List<String> got = Collections.synchronizedList(new ArrayList<>());
      List<String> timed = Collections.synchronizedList(new ArrayList<>());
      try (ComposeLogFollower f =
          stack.followLogs(
              LogOptions.tail(2, "web"),
              line -> {
                got.add(line.line());
                line.time().ifPresent(t -> timed.add(line.text()));
              })) {
        assertEquals(2, f.instances());
        f.pollOnce();
        assertEquals(List.of("web-1 | old2", "web-1 | old3"), got);
        runtime.files.merge(web1, "new1\npart", String::concat);
        runtime.files.put(ComposeOpsRuntime.logPath("shop-web-2", ".err"), "err1\n");
        assertTrue(f.pollOnce());
        assertEquals(List.of("web-1 | old2", "web-1 | old3", "web-1 | new1", "web-2 | err1"), got);
        runtime.files.merge(web1, "ial\n", String::concat);
        f.pollOnce();
        assertEquals("web-1 | partial", got.get(got.size() - 1));
        assertEquals(
            List.of("new1", "err1", "partial"),
            timed,
            "lines read as they were appended carry the read time; those already there none");
      }
    }
  }

  // ---- records --------------------------------------------------------------------------------

  @Test
  void theInstanceRecordsAreOwnerOnlyAndKeepEveryStartField() throws Exception {
    try (ComposeStack stack = engine().build().up(project(appWithSettings()))) {
      Path records = dir.resolve(".scompose/instances.json");
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(records)));
      assertFalse(Files.readString(dir.resolve(".scompose/state.json")).contains("hunter2"));
    }
    io.github.scompose.core.client.InstanceStart start =
        io.github.scompose.core.client.InstanceStart.builder()
            .image("/img/a b.sif")
            .name("x-1")
            .addArgs("one two", "quote\"d", "tab\tnl\nend", "ünï\u0001")
            .addBinds(io.github.scompose.core.client.Bind.parse("/a:/b:ro"))
            .addBinds(io.github.scompose.core.client.Bind.parse("/c"))
            .putEnvironment("K", "v\"\\\n")
            .envFile("/e.env")
            .hostname("h")
            .net(true)
            .network("bridge")
            .addNetworkArgs("IP=10.22.0.5", "portmap=80:80/tcp")
            .fakeroot(true)
            .contain(true)
            .containall(true)
            .cleanenv(true)
            .home("/h:/home")
            .pwd("/w")
            .nv(true)
            .rocm(true)
            .addOverlays("/o.img")
            .writableTmpfs(true)
            .addScratch("/scratch", "/tmp/x")
            .addOptions("--x=1")
            .build();
    Path state = dir.resolve("state");
    var content =
        new io.github.scompose.core.internal.compose.InstanceRecords.Content(
            List.of(
                new io.github.scompose.core.internal.compose.InstanceRecords.Record(
                    "x",
                    "x-1",
                    1,
                    2,
                    start,
                    List.of(
                        AfterStartStep.builder()
                            .command(
                                io.github.scompose.core.client.Exec.builder()
                                    .target("instance://x-1")
                                    .app("tool")
                                    .addOptions("cleanenv")
                                    .addCommand("migrate", "--now")
                                    .pwd("/work dir")
                                    .addBinds(io.github.scompose.core.client.Bind.parse("/d:/e"))
                                    .cleanenv(true)
                                    .build())
                            .build(),
                        AfterStartStep.builder()
                            .command(
                                io.github.scompose.core.client.Run.builder()
                                    .target("instance://x-1")
                                    .addArgs("a b")
                                    .pwd("/srv")
                                    .addScratch("/cache")
                                    .build())
                            .background(true)
                            .build()),
                    true,
                    true,
                    false),
                new io.github.scompose.core.internal.compose.InstanceRecords.Record(
                    "m", "m-1", 1, 0, start, List.of(), false, false, true)),
            Map.of("etc.hosts", "127.0.0.1\tx-1\n"));
    io.github.scompose.core.internal.compose.InstanceRecords.write(state, content);
    assertEquals(
        content,
        io.github.scompose.core.internal.compose.InstanceRecords.read(state).orElseThrow());
  }
}
