package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.Protocol;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6's "Must show" for the compose engine, on the testkit's in-JVM fake runtime with a virtual
 * clock shared by the fake and the engine: order and parallelism, atomic rollback, restart
 * policies, healthcheck gating, {@code down} from another engine, two projects at once, reconcile
 * after a dead JVM, and the startup check against a start that reports success but dies at once.
 */
class ComposeOnFakeRuntimeTest {

  @TempDir Path dir;
  final VirtualTimeSource time = VirtualTimeSource.create();
  final List<ComposeEvent> events = Collections.synchronizedList(new ArrayList<>());
  final ExecutorService pool = Executors.newCachedThreadPool();
  FakeRuntime fake;
  WatchingTransport transport;

  @BeforeEach
  void fake() {
    fake = fake(FakeRuntime.builder());
  }

  FakeRuntime fake(FakeRuntime.Builder builder) {
    if (fake != null) {
      fake.close();
    }
    fake = builder.anyImageExists().timeSource(time).build();
    transport = new WatchingTransport(fake.transport());
    return fake;
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    fake.close();
  }

  /** The engine's clock is the fake's virtual time. */
  final Clock clock = new TimeSourceClock(time);

  SingularityClient client() {
    return SingularityClient.builder()
        .transport(transport)
        .binary(
            SingularityBinary.of(
                fake.dialect().program(),
                BinaryVersion.parse(fake.dialect().program() + " version " + fake.version())))
        .hostIdentity(
            HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name")))
        .clock(clock)
        .sleeper(time::sleep)
        .build();
  }

  Compose.Builder engine() {
    return Compose.builder()
        .client(client())
        .executor(pool)
        .parallelism(8)
        .listener(events::add)
        .clock(clock)
        .sleeper(time::sleep)
        .supervisionInterval(Duration.ZERO)
        .networkPlanner(NetworkPlanner.create().withHostPorts(new AnyPort()));
  }

  ComposeProject project(ServiceSpec... services) {
    return project("shop", dir, services);
  }

  static ComposeProject project(String name, Path directory, ServiceSpec... services) {
    return ComposeProject.builder()
        .name(name)
        .directory(directory)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(services)
        .build();
  }

  static ServiceSpec svc(String name, String... dependsOn) {
    ServiceSpec.Builder b = ServiceSpec.builder().name(name).image("/images/" + name + ".sif");
    for (String d : dependsOn) {
      b.addDependsOn(DependsOn.on(d));
    }
    return b.build();
  }

  /** db, cache (level 0) ← app (1) ← web ×2 (2). */
  ComposeProject threeLevels() {
    return project(
        svc("db"), svc("cache"), svc("app", "db", "cache"), svc("web", "app").withReplicas(2));
  }

  Set<String> listed() {
    return fake.instances().stream().map(FakeInstance::name).collect(Collectors.toSet());
  }

  List<String> eventInstances(ComposeEvent.Type type) {
    synchronized (events) {
      return events.stream()
          .filter(e -> e.type() == type)
          .map(e -> e.instance().orElse(""))
          .toList();
    }
  }

  int firstIndex(ComposeEvent.Type type, String instance) {
    synchronized (events) {
      for (int i = 0; i < events.size(); i++) {
        ComposeEvent e = events.get(i);
        if (e.type() == type && e.instance().orElse("").equals(instance)) {
          return i;
        }
      }
    }
    throw new AssertionError("no " + type + " event for " + instance + " in " + events);
  }

  // ---- order and parallelism

  @Test
  void upStartsInDependencyOrderAndTheFakeListsEveryInstance() {
    try (ComposeStack stack = engine().build().up(threeLevels())) {
      assertEquals(
          Set.of("shop-db-1", "shop-cache-1", "shop-app-1", "shop-web-1", "shop-web-2"), listed());
      for (String dep : List.of("shop-db-1", "shop-cache-1")) {
        assertTrue(
            firstIndex(ComposeEvent.Type.STARTED, dep)
                < firstIndex(ComposeEvent.Type.STARTING, "shop-app-1"),
            events.toString());
      }
      for (String web : List.of("shop-web-1", "shop-web-2")) {
        assertTrue(
            firstIndex(ComposeEvent.Type.STARTED, "shop-app-1")
                < firstIndex(ComposeEvent.Type.STARTING, web));
      }
      // the fake's own start times (virtual clock) agree with the order
      Map<String, Instant> started =
          fake.instances().stream()
              .collect(Collectors.toMap(FakeInstance::name, FakeInstance::startedAt));
      assertFalse(started.get("shop-app-1").isBefore(started.get("shop-db-1")));
      assertEquals(5, stack.ps().size());
      assertTrue(stack.ps().stream().allMatch(s -> s.state() == InstanceStatus.State.RUNNING));
    }
    assertEquals(Set.of(), listed());
    // down stops in reverse order
    assertTrue(
        firstIndex(ComposeEvent.Type.STOPPED, "shop-web-1")
            < firstIndex(ComposeEvent.Type.STOPPING, "shop-app-1"));
    assertTrue(
        firstIndex(ComposeEvent.Type.STOPPED, "shop-app-1")
            < firstIndex(ComposeEvent.Type.STOPPING, "shop-db-1"));
  }

  @Test
  void oneLevelStartsInParallelUpToTheBound() {
    ComposeProject wide = project(svc("a"), svc("b"), svc("c"), svc("d"), svc("e"), svc("f"));
    transport.startGate = new CountDownLatch(3); // holds each start until three are in flight
    engine().parallelism(3).build().up(wide).close();
    assertEquals(3, transport.maxInStart.get(), "max concurrent starts observed");
    assertEquals(6, transport.count("instance", "start"));

    transport.maxInStart.set(0);
    transport.startGate = new CountDownLatch(6);
    engine().parallelism(8).build().up(wide).close();
    assertEquals(6, transport.maxInStart.get(), "a level of 6 with parallelism 8");
    assertEquals(Set.of(), listed());
  }

  @Test
  void dependentLevelsNeverOverlap() {
    AtomicInteger overlap = new AtomicInteger();
    engine()
        .parallelism(4)
        .listener(
            e -> {
              if (e.type() == ComposeEvent.Type.STARTING
                  && e.instance().orElse("").startsWith("shop-web")
                  && !listed().contains("shop-app-1")) {
                overlap.incrementAndGet();
              }
            })
        .build()
        .up(threeLevels())
        .close();
    assertEquals(0, overlap.get(), "web started while app was not listed");
  }

  // ---- atomic rollback

  @ParameterizedTest(name = "start {0} of 5 fails")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void aFailedStartLeavesNothingRunning(int k) {
    List<String> order = List.of("shop-db-1", "shop-cache-1", "shop-app-1", "shop-web-1");
    String failing = k == 5 ? "shop-web-2" : order.get(k - 1);
    fake(FakeRuntime.builder().failStart(failing, 255, "could not open image: boom " + k));
    Compose compose = engine().parallelism(1).build();
    ComposeUpException e = assertThrows(ComposeUpException.class, () -> compose.up(threeLevels()));
    assertEquals(failing, e.instance());
    assertEquals(255, e.exitCode().orElseThrow());
    // the binary's own FATAL line reaches the user through the cause (see the note in the report)
    assertTrue(
        String.valueOf(e.getCause()).contains("could not open image: boom " + k),
        String.valueOf(e.getCause()));
    assertEquals(Set.of(), listed(), "zero instances left in the fake");
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
    assertTrue(eventInstances(ComposeEvent.Type.FAILED).contains(failing));
    // whatever this up started was stopped
    for (String started : eventInstances(ComposeEvent.Type.STARTED)) {
      assertTrue(eventInstances(ComposeEvent.Type.STOPPED).contains(started), started);
    }
  }

  // ---- restart policies on the virtual clock

  @Test
  void restartPolicyRestartsACrashedInstanceAfterItsDelayUpToMaxAttempts() {
    ServiceSpec worker =
        svc("worker")
            .withRestart(
                RestartPolicy.builder()
                    .condition(RestartPolicy.Condition.ON_FAILURE)
                    .maxAttempts(2)
                    .delay(Duration.ofSeconds(10))
                    .build());
    fake(FakeRuntime.builder().crashAfter("shop-worker-1", Duration.ofMinutes(1)));
    try (ComposeStack stack = engine().build().up(project(worker, svc("db")))) {
      long firstPid = fake.instance("shop-worker-1").orElseThrow().pid();
      assertEquals(List.of(), stack.superviseOnce());
      time.advance(Duration.ofSeconds(61)); // the scripted crash happens on the virtual clock
      assertFalse(listed().contains("shop-worker-1"));
      int listings = transport.count("instance", "list");
      assertEquals(List.of(), stack.superviseOnce(), "death seen, delay not over");
      time.advance(Duration.ofSeconds(10));
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      assertEquals(listings + 2, transport.count("instance", "list"), "one listing per round");
      FakeInstance again = fake.instance("shop-worker-1").orElseThrow();
      assertNotEquals(firstPid, again.pid());
      assertEquals(1, restarts(stack, "worker"));

      time.advance(Duration.ofSeconds(61)); // crashes again
      stack.superviseOnce();
      time.advance(Duration.ofSeconds(10));
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      assertEquals(2, restarts(stack, "worker"));

      time.advance(Duration.ofSeconds(61)); // and again: max_attempts 2 reached
      stack.superviseOnce();
      time.advance(Duration.ofMinutes(5));
      assertEquals(List.of(), stack.superviseOnce());
      assertFalse(listed().contains("shop-worker-1"));
      assertEquals(1, transport.starts("shop-db-1"), "db has no restart policy");
      assertTrue(eventInstances(ComposeEvent.Type.RESTARTING).contains("shop-worker-1"));
    }
    assertEquals(Set.of(), listed());
  }

  @Test
  void withoutAPolicyACrashedInstanceStaysDownAndPsShowsIt() {
    fake(FakeRuntime.builder().crashAfter("shop-db-1", Duration.ofSeconds(30)));
    try (ComposeStack stack = engine().build().up(project(svc("db")))) {
      time.advance(Duration.ofSeconds(31));
      assertEquals(List.of(), stack.superviseOnce());
      assertEquals(InstanceStatus.State.EXITED, stack.ps().get(0).state());
      assertEquals(1, transport.starts("shop-db-1"));
    }
  }

  static int restarts(ComposeStack stack, String service) {
    return stack.ps().stream()
        .filter(s -> s.service().equals(service))
        .findFirst()
        .orElseThrow()
        .restarts();
  }

  // ---- healthcheck gating

  static ComposeProject gated(Path dir, List<String> test, int retries) {
    ServiceSpec db =
        svc("db")
            .withHealthcheck(
                Healthcheck.builder()
                    .test(test)
                    .interval(Duration.ofSeconds(5))
                    .retries(retries)
                    .build());
    ServiceSpec app =
        ServiceSpec.builder()
            .from(svc("app"))
            .dependsOn(
                List.of(
                    DependsOn.builder()
                        .service("db")
                        .condition(DependsOn.Condition.SERVICE_HEALTHY)
                        .build()))
            .build();
    return project("shop", dir, db, app);
  }

  @Test
  void serviceHealthyHoldsTheDependentUntilTheHealthcheckPasses() {
    // pg_isready fails twice, then passes: the fake runs `false`, `false`, then `true`
    AtomicInteger probes = new AtomicInteger();
    transport.rewrite =
        argv -> {
          int i = argv.indexOf("pg_isready");
          if (i < 0) {
            return argv;
          }
          List<String> copy = new ArrayList<>(argv);
          copy.set(i, probes.incrementAndGet() <= 2 ? "false" : "true");
          return copy;
        };
    Instant before = time.now();
    try (ComposeStack stack = engine().build().up(gated(dir, List.of("CMD", "pg_isready"), 5))) {
      assertEquals(3, probes.get());
      assertTrue(
          Duration.between(before, time.now()).compareTo(Duration.ofSeconds(10)) >= 0,
          "two intervals passed on the virtual clock");
      assertTrue(
          firstIndex(ComposeEvent.Type.HEALTHY, "shop-db-1")
              < firstIndex(ComposeEvent.Type.STARTING, "shop-app-1"));
      assertEquals(Set.of("shop-db-1", "shop-app-1"), listed());
    }
  }

  @Test
  void aDependencyThatNeverGetsHealthyFailsUpAndStartsNothingAfterIt() {
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () -> engine().build().up(gated(dir, List.of("CMD-SHELL", "exit 3"), 2)));
    assertEquals("shop-db-1", e.instance());
    assertEquals(3, e.exitCode().orElseThrow());
    assertEquals(0, transport.starts("shop-app-1"));
    assertEquals(Set.of(), listed());
  }

  // ---- state file: down from another engine, reconcile after a dead JVM

  @Test
  void downFromASecondEngineUsesTheStateFile() {
    engine().build().up(threeLevels()); // handle dropped: as if another process ran up
    assertEquals(5, listed().size());
    Compose other = engine().build();
    List<InstanceStatus> ps = other.ps(dir);
    assertEquals(5, ps.size());
    for (InstanceStatus s : ps) {
      assertEquals(InstanceStatus.State.RUNNING, s.state());
      assertEquals(fake.instance(s.name()).orElseThrow().pid(), s.pid().orElseThrow());
    }
    List<String> stopped = other.down(dir);
    assertEquals(5, stopped.size());
    assertTrue(stopped.indexOf("shop-app-1") > stopped.indexOf("shop-web-1"));
    assertTrue(stopped.indexOf("shop-db-1") > stopped.indexOf("shop-app-1"));
    assertEquals(Set.of(), listed());
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
    assertEquals(List.of(), other.down(dir), "a second down finds nothing");
  }

  @Test
  void upAfterADeadJvmKeepsWhatRunsAndStartsWhatDied() {
    ComposeProject p = threeLevels();
    engine().build().up(p); // the JVM "dies": no down, the state file stays
    Map<String, Long> pids =
        fake.instances().stream().collect(Collectors.toMap(FakeInstance::name, FakeInstance::pid));
    assertTrue(fake.crash("shop-cache-1")); // and one instance died meanwhile
    events.clear();

    try (ComposeStack stack = engine().build().up(p)) {
      assertEquals(2, transport.starts("shop-cache-1"));
      for (String n : List.of("shop-db-1", "shop-app-1", "shop-web-1", "shop-web-2")) {
        assertEquals(1, transport.starts(n), n);
        assertEquals(pids.get(n), fake.instance(n).orElseThrow().pid(), n + " kept");
      }
      assertNotEquals(pids.get("shop-cache-1"), fake.instance("shop-cache-1").orElseThrow().pid());
      assertEquals(5, stack.ps().size());
    }
    assertEquals(Set.of(), listed());
  }

  // ---- two projects at once

  @Test
  void twoProjectsUpAtOnceGetDisjointNamesAndAddresses() throws Exception {
    LeaseStore leases = LeaseStore.open(dir.resolve("leases.json"));
    RuntimeFacts root = RuntimeFacts.builder().dialect(client().dialect()).root(true).build();
    Compose compose = engine().facts(root).leases(leases).build();
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    var fa = pool.submit(() -> compose.up(project("a", a, svc("web"), svc("db", "web"))));
    var fb = pool.submit(() -> compose.up(project("b", b, svc("web"), svc("db", "web"))));
    try (ComposeStack sa = fa.get();
        ComposeStack sb = fb.get()) {
      assertEquals(Set.of("a-web-1", "a-db-1", "b-web-1", "b-db-1"), listed());
      List<String> ips =
          fake.instances().stream().map(i -> i.ip().orElse("")).filter(s -> !s.isEmpty()).toList();
      assertEquals(4, ips.size(), "every instance has a bridge address in the fake's listing");
      assertEquals(4, Set.copyOf(ips).size(), "addresses are disjoint: " + ips);
      List<String> fromPs = new ArrayList<>();
      sa.ps().forEach(s -> fromPs.add(s.ip().orElseThrow()));
      sb.ps().forEach(s -> fromPs.add(s.ip().orElseThrow()));
      assertEquals(Set.copyOf(ips), Set.copyOf(fromPs));
      assertEquals(4, leases.leases().size());
    }
    assertTrue(leases.leases().isEmpty());
    assertEquals(Set.of(), listed());
  }

  // ---- startup check

  @Test
  void aStartThatReportsSuccessButDiesIsRetriedThenFailsAndRollsBack() {
    fake(FakeRuntime.builder().dieAtStart("shop-db-1"));
    Compose compose = engine().startupAttempts(3).build();
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> compose.up(project(svc("db"), svc("cache"))));
    assertEquals("shop-db-1", e.instance());
    assertTrue(e.getMessage().contains("3 attempt"), e.getMessage());
    assertEquals(3, transport.starts("shop-db-1"));
    assertEquals(1, transport.starts("shop-cache-1"));
    assertEquals(Set.of(), listed());
  }

  @Test
  void theStartupCheckTakesOneListingPerRound() {
    engine().build().up(project(svc("a"), svc("b"), svc("c"), svc("d"))).close();
    // one listing to plan, one to confirm the level's starts, then down's gone-wait
    int upListings = transport.count("instance", "list");
    assertTrue(upListings <= 4, "listings: " + upListings);
  }

  /** Every host port is free (the tests publish none, but the planner asks). */
  record AnyPort() implements HostPorts {
    @Override
    public boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port) {
      return true;
    }

    @Override
    public int findFree(Protocol protocol, Optional<IpAddress> hostIp, Set<Integer> exclude) {
      return 40000;
    }
  }

  static Function<String, String> id() {
    return Function.identity();
  }
}
