package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: {@code up} and {@code down} make N+2 binary calls (one listing before, N starts or
 * stops, one confirming listing; the version probe is cached per binary, see {@code
 * BinaryVersionCacheTest}), counted from the argv the in-JVM fake receives, over several dependency
 * levels; extra listings only where a start died or a healthcheck gate needs its instance running.
 */
class BinaryCallsOnFakeRuntimeTest {

  @TempDir Path dir;
  final VirtualTimeSource time = VirtualTimeSource.create();
  final Clock clock = new TimeSourceClock(time);
  final List<ComposeEvent> events = Collections.synchronizedList(new ArrayList<>());
  final ExecutorService pool = Executors.newCachedThreadPool();
  FakeRuntime fake;
  WatchingTransport transport;

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (fake != null) {
      fake.close();
    }
  }

  Compose engine(FakeRuntime.Builder builder) {
    fake = builder.anyImageExists().timeSource(time).build();
    transport = new WatchingTransport(fake.transport());
    SingularityClient client =
        SingularityClient.builder()
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
    return Compose.builder()
        .client(client)
        .executor(pool)
        .listener(events::add)
        .clock(clock)
        .sleeper(time::sleep)
        .supervisionInterval(Duration.ZERO)
        .networkPlanner(
            NetworkPlanner.create().withHostPorts(new ComposeOnFakeRuntimeTest.AnyPort()))
        .build();
  }

  static ServiceSpec svc(String name, String... dependsOn) {
    ServiceSpec.Builder b = ServiceSpec.builder().name(name).image("/images/" + name + ".sif");
    for (String d : dependsOn) {
      b.addDependsOn(DependsOn.on(d));
    }
    return b.build();
  }

  /** db, cache (level 0) ← app (1) ← web ×2 (2): five instances in three levels. */
  ComposeProject threeLevels() {
    return ComposeOnFakeRuntimeTest.project(
        "shop",
        dir,
        svc("db"),
        svc("cache"),
        svc("app", "db", "cache"),
        svc("web", "app").withReplicas(2));
  }

  /** Binary calls seen so far (everything the fake received), then forgets them. */
  List<List<String>> drain() {
    synchronized (transport.commands) {
      List<List<String>> out = List.copyOf(transport.commands);
      transport.commands.clear();
      return out;
    }
  }

  static long count(List<List<String>> calls, String... words) {
    List<String> w = List.of(words);
    return calls.stream().filter(c -> Collections.indexOfSubList(c, w) >= 0).count();
  }

  Set<String> listed() {
    return fake.instances().stream().map(FakeInstance::name).collect(Collectors.toSet());
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

  @Test
  void upAndDownOfFiveInstancesInThreeLevelsMakeAtMostNPlusTwoCalls() {
    Compose compose = engine(FakeRuntime.builder());
    compose.up(threeLevels());
    List<List<String>> up = drain();
    assertEquals(5, listed().size());
    assertEquals(5, count(up, "instance", "start"), up.toString());
    assertEquals(2, count(up, "instance", "list"), "one listing to plan, one to confirm: " + up);
    assertTrue(up.size() <= 5 + 2, "up made " + up.size() + " calls: " + up);
    // the levels stay exact: each level's starts returned before the next level's began
    for (String dep : List.of("shop-db-1", "shop-cache-1")) {
      assertTrue(
          firstIndex(ComposeEvent.Type.STARTED, dep)
              < firstIndex(ComposeEvent.Type.STARTING, "shop-app-1"),
          events.toString());
    }
    for (String web : List.of("shop-web-1", "shop-web-2")) {
      assertTrue(
          firstIndex(ComposeEvent.Type.STARTED, "shop-app-1")
              < firstIndex(ComposeEvent.Type.STARTING, web),
          events.toString());
    }

    assertEquals(5, compose.down(dir).size());
    List<List<String>> down = drain();
    assertEquals(Set.of(), listed());
    assertEquals(5, count(down, "instance", "stop"), down.toString());
    assertEquals(1, count(down, "instance", "list"), "one listing to see them gone: " + down);
    assertTrue(down.size() <= 5 + 2, "down made " + down.size() + " calls: " + down);
  }

  @Test
  void aStartThatDiesCostsOneMoreListingAndStartNotOneListingPerLevel() {
    Compose compose = engine(FakeRuntime.builder().dieAtStart("shop-db-1"));
    ComposeUpException e = assertThrows(ComposeUpException.class, () -> compose.up(threeLevels()));
    assertEquals("shop-db-1", e.instance());
    List<List<String>> up = drain();
    // plan's listing, 5 starts, then per round one listing and one more start of db (3 attempts
    // in all), then the rollback's stops and its one listing to see them gone
    assertEquals(5 + 2, count(up, "instance", "start"), up.toString());
    assertEquals(1 + 3 + 1, count(up, "instance", "list"), up.toString());
    assertEquals(4, count(up, "instance", "stop"), up.toString());
    assertEquals(Set.of(), listed(), "the rollback stopped everything");
  }

  @Test
  void aHealthcheckGateConfirmsItsLevelFirstAndStillWaitsForHealth() {
    ServiceSpec db =
        svc("db")
            .withHealthcheck(
                Healthcheck.builder()
                    .test(List.of("CMD", "pg_isready"))
                    .interval(Duration.ofSeconds(5))
                    .retries(3)
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
    Compose compose =
        engine(
            FakeRuntime.builder()
                .respondToExec("shop-db-1", List.of("pg_isready"), ScriptedResponse.ok("ok")));
    compose.up(ComposeOnFakeRuntimeTest.project("shop", dir, db, app, svc("cache")));
    List<List<String>> up = drain();
    assertEquals(3, count(up, "instance", "start"));
    // plan, confirm db before its gate, confirm app at the end
    assertEquals(3, count(up, "instance", "list"), up.toString());
    assertTrue(
        firstIndex(ComposeEvent.Type.HEALTHY, "shop-db-1")
            < firstIndex(ComposeEvent.Type.STARTING, "shop-app-1"),
        events.toString());
    compose.down(dir);
  }
}
