package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;

import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ImmutableFakeImage;
import io.github.scompose.testkit.ScriptedResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension run through the JUnit Platform's EngineTestKit on the fake runtime. */
class SingularityExtensionTest {

  /** Set only while EngineTestKit runs the nested classes, which are skipped otherwise. */
  static final String ENGINE_KIT = "scompose.testkit.engine-kit";

  static final List<FakeRuntime> runtimes = new CopyOnWriteArrayList<>();
  static final List<Long> pids = new CopyOnWriteArrayList<>();

  static Events run(Class<?> type) {
    runtimes.clear();
    pids.clear();
    System.setProperty(ENGINE_KIT, "true");
    Events events;
    try {
      events =
          EngineTestKit.engine("junit-jupiter").selectors(selectClass(type)).execute().allEvents();
    } finally {
      System.clearProperty(ENGINE_KIT);
    }
    return events;
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClass {
    @InstanceUnderTest(
        image = "/images/redis.sif",
        args = {"a"})
    static TestInstanceHandle cache;

    static FakeRuntime.Builder fakeRuntime() {
      return FakeRuntime.builder()
          .image(
              ImmutableFakeImage.builder()
                  .path("/images/redis.sif")
                  .addStartscriptStdout("ready $@")
                  .build())
          .respondToExec("cache", List.of("redis-cli", "ping"), ScriptedResponse.ok("PONG"));
    }

    @Test
    @Order(1)
    void first(FakeRuntime fake) {
      runtimes.add(fake);
      pids.add(fake.instance("cache").orElseThrow().pid());
      assertEquals("PONG\n", cache.exec("redis-cli", "ping").stdout());
      assertEquals("ready a\n", cache.stdoutLog());
    }

    @Test
    @Order(2)
    void second(FakeRuntime fake) {
      pids.add(fake.instance("cache").orElseThrow().pid());
    }
  }

  @Test
  void staticFieldsLiveForTheClass() {
    run(PerClass.class).assertStatistics(stats -> stats.succeeded(4).failed(0));
    assertEquals(pids.get(0), pids.get(1), "one instance for both tests");
    assertTrue(runtimes.get(0).instances().isEmpty(), "stopped after the class");
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class PerMethod {
    @InstanceUnderTest(image = "/images/any.sif", name = "web")
    TestInstanceHandle web;

    @Test
    void one(FakeRuntime fake) {
      runtimes.add(fake);
      pids.add(fake.instance("web").orElseThrow().pid());
      assertEquals(1, fake.instances().size());
    }

    @Test
    void two(FakeRuntime fake) {
      runtimes.add(fake);
      pids.add(fake.instance("web").orElseThrow().pid());
      assertEquals(1, fake.instances().size());
    }
  }

  @Test
  void instanceFieldsLiveForEachTest() {
    run(PerMethod.class).assertStatistics(stats -> stats.succeeded(4).failed(0));
    assertNotEquals(pids.get(0), pids.get(1), "a new instance per test");
    assertTrue(runtimes.get(0).instances().isEmpty());
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class Failing {
    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle db;

    @Test
    void fails(FakeRuntime fake) {
      runtimes.add(fake);
      throw new AssertionError("the test body failed");
    }
  }

  @Test
  void instancesAreStoppedAfterAFailure() {
    run(Failing.class).assertStatistics(stats -> stats.failed(1));
    assertTrue(runtimes.get(0).instances().isEmpty());
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake", requireReal = true)
  static class NeedsReal {
    @Test
    void never() {}
  }

  @Test
  void requiringTheRealBinaryWhereThereIsNoneSkipsWithTheReason() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        SingularityExtension.realProgram().isEmpty(), "a real binary is on PATH here");
    run(NeedsReal.class)
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                container(NeedsReal.class),
                skippedWithReason(r -> r.contains("requires a real apptainer or singularity"))));
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class InstanceWaits {
    @InstanceUnderTest(image = "/images/redis.sif")
    @WaitFor(logMessage = "Ready to accept connections")
    @WaitFor(
        command = {"redis-cli", "ping"},
        timeoutSeconds = 5)
    TestInstanceHandle cache;

    @InstanceUnderTest(image = "/images/any.sif")
    @WaitFor(logMessage = "never printed", timeoutSeconds = 5)
    TestInstanceHandle slow;

    static FakeRuntime.Builder fakeRuntime() {
      return FakeRuntime.builder()
          .timeSource(io.github.scompose.testkit.VirtualTimeSource.create())
          .anyImageExists()
          .image(
              ImmutableFakeImage.builder()
                  .path("/images/redis.sif")
                  .addStartscriptStdout("Ready to accept connections")
                  .build())
          .respondToExec("cache", List.of("redis-cli", "ping"), ScriptedResponse.ok("PONG"));
    }

    @org.junit.jupiter.api.BeforeAll
    static void capture(FakeRuntime fake) {
      runtimes.add(fake);
    }

    @Test
    void never() {
      pids.add(-1L);
    }
  }

  @Test
  void instanceFieldWaitsRunInOrderAndATimeoutFailsTheTestAndStopsBoth() {
    Events events = run(InstanceWaits.class);
    events.assertStatistics(stats -> stats.failed(1));
    assertEquals(List.of(), pids, "the body never ran");
    Throwable t = ComposeStackExtensionTest.failure(events).orElseThrow();
    assertTrue(
        t.getMessage()
            .startsWith(
                "instance slow is not ready: timed out after 5 s waiting for a log line matching"
                    + " \"never printed\""),
        t.getMessage());
    assertTrue(runtimes.get(0).instances().isEmpty(), "cache and slow stopped");
  }
}
