package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The engine's execution on {@link RecordingTransport} (a stub runtime). The final engine tests on
 * the testkit's emulator belong in {@code testkit}, which core cannot depend on.
 */
class ComposeEngineTest extends EngineFixture<RecordingTransport> {

  ComposeEngineTest() {
    super(new RecordingTransport(), false);
  }

  /** db, cache (level 0) ← app (1) ← web ×2 (2). */
  ComposeProject threeLevels() {
    return project(
        svc("db"), svc("cache"), svc("app", "db", "cache"), svc("web", "app").withReplicas(2));
  }

  @Test
  void upStartsByLevelAndDownFromAnotherEngineStopsInReverse() throws Exception {
    Compose compose = engine().build();
    ComposeStack stack = compose.up(threeLevels());
    List<String> started = runtime.startedNames();
    assertEquals(5, started.size());
    assertTrue(started.indexOf("shop-app-1") > started.indexOf("shop-db-1"));
    assertTrue(started.indexOf("shop-app-1") > started.indexOf("shop-cache-1"));
    assertTrue(started.indexOf("shop-web-1") > started.indexOf("shop-app-1"));
    assertTrue(started.indexOf("shop-web-2") > started.indexOf("shop-app-1"));
    assertTrue(Files.exists(dir.resolve(".scompose/state.json")));
    assertTrue(Files.readString(dir.resolve(".scompose/etc.hosts")).contains("shop-web-2"));

    // a second engine (as another process would) sees and stops the project through the state
    Compose other = engine().build();
    List<InstanceStatus> ps = other.ps(dir);
    assertEquals(5, ps.size());
    assertTrue(ps.stream().allMatch(s -> s.state() == InstanceStatus.State.RUNNING));
    List<String> stopped = other.down(dir);
    assertEquals(
        List.of("shop-web-1", "shop-web-2", "shop-app-1", "shop-db-1", "shop-cache-1"), stopped);
    List<String> order = List.copyOf(runtime.stopped);
    assertTrue(order.indexOf("shop-app-1") > order.indexOf("shop-web-1"));
    assertTrue(order.indexOf("shop-db-1") > order.indexOf("shop-app-1"));
    assertTrue(runtime.running.isEmpty());
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
    assertEquals(List.of(), stack.down().isEmpty() ? List.of() : List.of("nothing left"));
  }

  @Test
  void instancesOfOneLevelStartInParallel() {
    runtime.startGate = new CountDownLatch(4);
    engine().parallelism(4).build().up(project(svc("a"), svc("b"), svc("c"), svc("d"))).close();
    assertEquals(4, runtime.maxInStart.get());
  }

  @Test
  void parallelismBoundsConcurrentStarts() {
    runtime.startGate = new CountDownLatch(2);
    engine().parallelism(2).build().up(project(svc("a"), svc("b"), svc("c"), svc("d"))).close();
    assertEquals(2, runtime.maxInStart.get());
    assertEquals(4, runtime.startedNames().size());
  }

  @Test
  void aFailedStartStopsEverythingThisUpStarted() {
    runtime.failStart.put("shop-app-1", 1);
    Compose compose = engine().build();
    ComposeUpException e = assertThrows(ComposeUpException.class, () -> compose.up(threeLevels()));
    assertEquals("shop-app-1", e.instance());
    assertEquals(255, e.exitCode().orElseThrow());
    assertTrue(String.join(" ", e.maskedArgv()).contains("instance start"), e.getMessage());
    assertTrue(e.logTail().contains("boom: cannot bind port"), e.getMessage());
    assertTrue(runtime.running.isEmpty(), "left running: " + runtime.running);
    assertTrue(runtime.stopped.containsAll(List.of("shop-db-1", "shop-cache-1")));
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
    assertFalse(runtime.startedNames().contains("shop-web-1"));
    assertTrue(events.stream().anyMatch(ev -> ev.type() == ComposeEvent.Type.FAILED));
  }

  @Test
  void aDeadInstanceIsStartedAgainWithOneListingPerRound() {
    runtime.dieAtStart.put("shop-db-1", 2);
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(project(svc("db"), svc("cache")))) {
      assertEquals(3, runtime.startCalls.get("shop-db-1"));
      assertEquals(1, runtime.startCalls.get("shop-cache-1"));
      // one listing for planning, then one per check round (3 rounds)
      assertEquals(4, runtime.count("instance", "list"));
      InstanceStatus db =
          stack.ps().stream().filter(s -> s.name().equals("shop-db-1")).findFirst().orElseThrow();
      assertEquals(2, db.restarts());
      assertEquals(InstanceStatus.State.RUNNING, db.state());
    }
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void anInstanceThatNeverStaysUpFailsAfterTheAttempts() {
    runtime.dieAtStart.put("shop-db-1", 99);
    Compose compose = engine().startupAttempts(3).build();
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> compose.up(project(svc("db"), svc("cache"))));
    assertEquals("shop-db-1", e.instance());
    assertTrue(e.getMessage().contains("after 3 attempt(s)"), e.getMessage());
    assertTrue(e.logTail().contains("status 151"), e.getMessage());
    assertEquals(3, runtime.startCalls.get("shop-db-1"));
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void serviceHealthyWaitsForTheHealthcheckOnTheInjectedClock() {
    ServiceSpec db =
        svc("db")
            .withHealthcheck(
                Healthcheck.builder()
                    .addTest("CMD", "pg_isready")
                    .interval(Duration.ofSeconds(5))
                    .retries(5)
                    .build());
    ServiceSpec app =
        ServiceSpec.builder()
            .from(svc("app"))
            .dependsOn(List.of(UpPlannerTest.healthy("db")))
            .build();
    runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(1, 1, 0)));
    Instant before = clock.instant();
    try (ComposeStack stack = engine().build().up(project(db, app))) {
      assertEquals(Duration.ofSeconds(10), Duration.between(before, clock.instant()));
      List<ComposeEvent.Type> types =
          events.stream()
              .filter(ev -> ev.instance().orElse("").startsWith("shop-"))
              .map(ComposeEvent::type)
              .toList();
      int healthy = types.indexOf(ComposeEvent.Type.HEALTHY);
      List<String> startingApp =
          events.stream()
              .filter(ev -> ev.type() == ComposeEvent.Type.STARTING)
              .map(ev -> ev.instance().orElseThrow())
              .toList();
      assertTrue(healthy >= 0);
      assertEquals(List.of("shop-db-1", "shop-app-1"), startingApp);
      assertTrue(
          events.indexOf(
                  events.stream()
                      .filter(ev -> ev.type() == ComposeEvent.Type.HEALTHY)
                      .findFirst()
                      .orElseThrow())
              < events.indexOf(
                  events.stream()
                      .filter(
                          ev ->
                              ev.type() == ComposeEvent.Type.STARTING
                                  && ev.instance().orElse("").equals("shop-app-1"))
                      .findFirst()
                      .orElseThrow()));
      assertEquals(3, runtime.count("exec", "instance://shop-db-1", "pg_isready"));
    }
  }

  @Test
  void anUnhealthyDependencyFailsUpAndRollsBack() {
    ServiceSpec db =
        svc("db")
            .withHealthcheck(
                Healthcheck.builder().addTest("CMD-SHELL", "exit 1").retries(2).build());
    ServiceSpec app =
        ServiceSpec.builder()
            .from(svc("app"))
            .dependsOn(List.of(UpPlannerTest.healthy("db")))
            .build();
    runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(1, 1, 1)));
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> engine().build().up(project(db, app)));
    assertEquals("shop-db-1", e.instance());
    assertEquals(1, e.exitCode().orElseThrow());
    assertTrue(String.join(" ", e.maskedArgv()).contains("/bin/sh -c exit 1"), e.getMessage());
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void closeIsDownAndEventsTellTheStory() {
    try (ComposeStack stack = engine().build().up(project(svc("db")))) {
      assertEquals(List.of("shop-db-1"), stack.instances("db"));
      assertEquals(0, stack.exec("db", "true").exitCode());
    }
    assertTrue(runtime.running.isEmpty());
    assertEquals(
        List.of(
            ComposeEvent.Type.STARTING,
            ComposeEvent.Type.STARTED,
            ComposeEvent.Type.STOPPING,
            ComposeEvent.Type.STOPPED),
        events.stream().map(ComposeEvent::type).toList());
  }

  @Test
  void logsAreMergedWithAnInstancePrefix() {
    runtime.files.put(RecordingTransport.logPath("shop-web-1", ".out"), "hello\nworld\n");
    runtime.files.put(RecordingTransport.logPath("shop-web-2", ".err"), "oops\n");
    try (ComposeStack stack = engine().build().up(project(svc("web").withReplicas(2)))) {
      assertEquals(
          "shop-web-1 | hello\nshop-web-1 | world\nshop-web-2 | oops\n", stack.logs("web", 10));
    }
  }

  @Test
  void restartPolicyRestartsWithOneListingPerRoundUpToMaxAttempts() {
    ServiceSpec worker =
        svc("worker")
            .withRestart(
                io.github.scompose.spec.RestartPolicy.builder()
                    .condition(io.github.scompose.spec.RestartPolicy.Condition.ON_FAILURE)
                    .maxAttempts(2)
                    .delay(Duration.ofSeconds(10))
                    .build());
    try (ComposeStack stack =
        engine().supervisionInterval(Duration.ZERO).build().up(project(worker, svc("db")))) {
      assertEquals(List.of(), stack.superviseOnce());
      runtime.running.remove("shop-worker-1"); // it dies
      long listings = runtime.count("instance", "list");
      assertEquals(List.of(), stack.superviseOnce()); // death seen, delay not over
      clock.sleep(Duration.ofSeconds(10));
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      assertEquals(listings + 2, runtime.count("instance", "list"));
      assertTrue(runtime.running.containsKey("shop-worker-1"));
      InstanceStatus w =
          stack.ps().stream().filter(x -> x.service().equals("worker")).findFirst().orElseThrow();
      assertEquals(1, w.restarts());

      runtime.running.remove("shop-worker-1");
      clock.sleep(Duration.ofSeconds(10));
      stack.superviseOnce();
      clock.sleep(Duration.ofSeconds(10));
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      runtime.running.remove("shop-worker-1");
      clock.sleep(Duration.ofSeconds(60));
      assertEquals(List.of(), stack.superviseOnce()); // max_attempts 2 reached
      assertFalse(runtime.running.containsKey("shop-worker-1"));
      assertEquals(1, runtime.startCalls.get("shop-db-1")); // db has no policy
    }
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void twoProjectsAtOnceGetDisjointNamesAndAddresses() throws Exception {
    io.github.scompose.network.LeaseStore leases =
        io.github.scompose.network.LeaseStore.open(dir.resolve("leases.json"));
    RuntimeFacts root =
        RuntimeFacts.builder().dialect(ReferenceToolUpPlanTest.V342.dialect()).root(true).build();
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Compose compose =
        engine()
            .facts(root)
            .leases(leases)
            .networkPlanner(NetworkPlanner.create().withHostPorts(new NoPorts()))
            .build();
    ComposeProject pa = project(svc("web"), svc("db")).withName("a").withDirectory(a);
    ComposeProject pb = project(svc("web"), svc("db")).withName("b").withDirectory(b);
    var fa = pool.submit(() -> compose.up(pa));
    var fb = pool.submit(() -> compose.up(pb));
    try (ComposeStack sa = fa.get();
        ComposeStack sb = fb.get()) {
      List<String> ipsA = sa.ps().stream().map(x -> x.ip().orElseThrow()).toList();
      List<String> ipsB = sb.ps().stream().map(x -> x.ip().orElseThrow()).toList();
      assertEquals(2, ipsA.size());
      assertTrue(Collections.disjoint(ipsA, ipsB), ipsA + " " + ipsB);
      assertEquals(4, runtime.running.size());
      assertTrue(
          runtime.running.keySet().containsAll(List.of("a-web-1", "a-db-1", "b-web-1", "b-db-1")));
      assertEquals(4, leases.leases().size());
    }
    assertTrue(leases.leases().isEmpty());
    assertTrue(runtime.running.isEmpty());
  }

  record NoPorts() implements io.github.scompose.network.HostPorts {
    @Override
    public boolean isFree(
        io.github.scompose.network.Protocol protocol,
        java.util.Optional<io.github.scompose.network.IpAddress> hostIp,
        int port) {
      return true;
    }

    @Override
    public int findFree(
        io.github.scompose.network.Protocol protocol,
        java.util.Optional<io.github.scompose.network.IpAddress> hostIp,
        java.util.Set<Integer> exclude) {
      return 40000;
    }
  }

  @Test
  void upAfterADeadJvmKeepsWhatRunsStartsWhatDiedAndRecreatesWhatChanged() {
    ComposeProject p = threeLevels();
    engine().build().up(p); // the JVM "dies": no down, the state file stays
    runtime.running.remove("shop-cache-1"); // and one instance died meanwhile
    events.clear();

    Compose again = engine().build();
    ComposeStack stack = again.up(p);
    assertEquals(2, runtime.startCalls.get("shop-cache-1"));
    for (String n : List.of("shop-db-1", "shop-app-1", "shop-web-1", "shop-web-2")) {
      assertEquals(1, runtime.startCalls.get(n), n);
    }
    assertEquals(
        4, events.stream().filter(e -> e.message().equals("running and unchanged: kept")).count());

    // a changed image recreates that instance only
    ComposeProject changed =
        p.withServices(
            p.services().stream()
                .map(x -> x.name().equals("app") ? x.withImage("/img/app-v2.sif") : x)
                .toList());
    again.up(changed);
    assertEquals(2, runtime.startCalls.get("shop-app-1"));
    assertTrue(runtime.stopped.contains("shop-app-1"));
    assertEquals(1, runtime.startCalls.get("shop-db-1"));
    assertEquals(5, stack.ps().size());
    stack.down();
    assertTrue(runtime.running.isEmpty());
  }

  /** db and cache (own SIFs) ← web ×2 (one SIF), images real files in {@code dir}. */
  ComposeProject stampedImages() throws Exception {
    FileTime t = FileTime.from(Instant.parse("2026-03-04T05:06:07.125Z"));
    for (String n : List.of("db", "cache", "web")) {
      Files.setLastModifiedTime(Files.write(dir.resolve(n + ".sif"), new byte[100]), t);
    }
    return project(
        svc("db").withImage(dir.resolve("db.sif").toString()),
        svc("cache").withImage(dir.resolve("cache.sif").toString()),
        svc("web", "db", "cache").withImage(dir.resolve("web.sif").toString()).withReplicas(2));
  }

  long kept() {
    return events.stream().filter(e -> e.message().equals("running and unchanged: kept")).count();
  }

  @Test
  void aSifRebuiltAtTheSamePathRecreatesItsServiceOnlyWithOneStatPerImage() throws Exception {
    ComposeProject p = stampedImages();
    Path web = dir.resolve("web.sif");
    Compose engine = engine().build();
    engine.up(p);
    assertEquals(1, runtime.stats(web.toString()), "one stat for two instances of one image");
    String state = Files.readString(dir.resolve(".scompose/state.json"));
    assertEquals(5, state.split("\"imageSize\": 100", -1).length, state);

    // unchanged: all kept, one stat per image again
    events.clear();
    runtime.stats.clear();
    engine.up(p);
    assertEquals(4, kept());
    assertEquals(3, runtime.stats.size(), runtime.stats.toString());
    runtime.startCalls.values().forEach(c -> assertEquals(1, c));

    // web.sif rebuilt: same size, a later mtime → both web instances recreated, the rest kept
    Files.setLastModifiedTime(web, FileTime.from(Instant.parse("2026-03-04T05:06:08Z")));
    events.clear();
    engine.up(p);
    assertEquals(2, runtime.startCalls.get("shop-web-1"));
    assertEquals(2, runtime.startCalls.get("shop-web-2"));
    assertTrue(runtime.stopped.containsAll(List.of("shop-web-1", "shop-web-2")));
    assertEquals(1, runtime.startCalls.get("shop-db-1"));
    assertEquals(1, runtime.startCalls.get("shop-cache-1"));
    assertEquals(2, kept());
    List<ComposeEvent> recreated =
        events.stream()
            .filter(e -> e.type() == ComposeEvent.Type.STOPPING)
            .filter(e -> e.message().startsWith("image changed (" + web + ": 100 bytes"))
            .toList();
    assertEquals(2, recreated.size(), events.toString());

    // db.sif pulled again: another size, the same mtime → db recreated; web now kept
    FileTime dbTime = Files.getLastModifiedTime(dir.resolve("db.sif"));
    Files.setLastModifiedTime(Files.write(dir.resolve("db.sif"), new byte[101]), dbTime);
    events.clear();
    engine.up(p);
    assertEquals(2, runtime.startCalls.get("shop-db-1"));
    assertEquals(1, runtime.startCalls.get("shop-cache-1"));
    assertEquals(2, runtime.startCalls.get("shop-web-1"));
    assertEquals(3, kept());
    assertTrue(
        Files.readString(dir.resolve(".scompose/state.json")).contains("\"imageSize\": 101"));

    // unchanged once more: nothing recreated
    events.clear();
    engine.up(p);
    assertEquals(4, kept());
    engine.down(dir);
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void startRecordsTheStampOfTheImageItStartedSoTheNextUpKeepsIt() throws Exception {
    ComposeProject p = stampedImages();
    Compose engine = engine().build();
    engine.up(p);
    engine.stop(dir, null, "web");
    Files.setLastModifiedTime(
        dir.resolve("web.sif"), FileTime.from(Instant.parse("2026-05-05T00:00:00Z")));
    runtime.stats.clear();
    assertEquals(List.of("shop-web-1", "shop-web-2"), engine.start(dir, "web"));
    assertEquals(List.of(dir.resolve("web.sif").toString()), runtime.stats, "one stat");
    assertTrue(
        Files.readString(dir.resolve(".scompose/state.json"))
            .contains("\"imageModified\": \"2026-05-05T00:00:00Z\""));

    events.clear();
    engine.up(p);
    assertEquals(4, kept(), events.toString());
    assertEquals(2, runtime.startCalls.get("shop-web-1"));
    engine.down(dir);
  }

  @Test
  void aStateFileWithoutImageStampsReadsFineAndKeepsWhatRuns() throws Exception {
    ComposeProject p = stampedImages();
    Compose engine = engine().build();
    engine.up(p);
    Path file = dir.resolve(".scompose/state.json");
    String old =
        Files.readString(file)
            .replaceAll(", \"imageSize\": \\d+, \"imageModified\": \"[^\"]*\"", "");
    assertFalse(old.contains("image" + "Size"), old);
    Files.writeString(file, old);
    // the image changed meanwhile: without a recorded stamp this is no evidence of a change
    Files.setLastModifiedTime(
        dir.resolve("web.sif"), FileTime.from(Instant.parse("2027-01-01T00:00:00Z")));

    events.clear();
    engine.up(p);
    assertEquals(4, kept());
    runtime.startCalls.values().forEach(c -> assertEquals(1, c));
    assertTrue(Files.readString(file).contains("\"imageModified\": \"2027-01-01T00:00:00Z\""));
  }

  @Test
  void imagesArePulledWhenMissingAndAFailedPullStartsNothing() throws Exception {
    ServiceSpec app = ServiceSpec.builder().name("app").image("docker://alpine:3").build();
    ServiceSpec cached = ServiceSpec.builder().name("cached").image("docker://busybox:1").build();
    runtime.files.put(dir.resolve(".scompose/images/cached.sif").toString(), "SIF");
    try (ComposeStack stack = engine().build().up(project(app, cached))) {
      assertEquals(1, runtime.count("pull"));
      assertEquals(
          1,
          runtime.count(
              "pull", dir.resolve(".scompose/images/app.sif").toString(), "docker://alpine:3"));
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e.type() == ComposeEvent.Type.PULLING
                          && e.service().orElse("").equals("app")));
    }
    runtime.failCommand = "pull";
    events.clear();
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> engine().build().up(project(app)));
    assertEquals("app", e.instance());
    assertTrue(e.getMessage().contains("pull failed"), e.getMessage());
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void aFailingAfterStartStepRollsBack() {
    ServiceSpec app =
        ServiceSpec.builder()
            .from(svc("app"))
            .exec(
                io.github.scompose.spec.Invocation.builder()
                    .addArg("migrate --now")
                    .argsAsOneString(true)
                    .build())
            .build();
    runtime.execExits.put("shop-app-1", new ArrayDeque<>(List.of(3)));
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> engine().build().up(project(svc("db"), app)));
    assertEquals("shop-app-1", e.instance());
    assertEquals(3, e.exitCode().orElseThrow());
    assertTrue(
        String.join(" ", e.maskedArgv()).endsWith("exec instance://shop-app-1 migrate --now"),
        e.getMessage());
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void downWithVolumesRemovesNamedVolumesOnly() throws Exception {
    ServiceSpec db =
        svc("db")
            .withVolumes(
                io.github.scompose.spec.VolumeMount.builder()
                    .type(io.github.scompose.spec.VolumeMount.Type.VOLUME)
                    .source("data")
                    .target("/data")
                    .build());
    Compose compose = engine().build();
    compose.up(project(db));
    Path volume = dir.resolve(".scompose/volumes/data");
    assertTrue(Files.isDirectory(volume));
    Files.writeString(volume.resolve("table"), "rows");
    compose.down(dir);
    assertTrue(Files.exists(volume.resolve("table")), "plain down keeps named volumes");
    compose.up(project(db));
    compose.down(dir, true);
    assertFalse(Files.exists(volume));
    assertTrue(runtime.running.isEmpty());
  }

  /** A clock that only moves when slept on. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    synchronized void sleep(Duration d) {
      now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
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
  }
}
