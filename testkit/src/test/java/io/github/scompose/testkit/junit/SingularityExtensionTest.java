package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension run through the JUnit Platform's EngineTestKit on the fake runtime. */
class SingularityExtensionTest {

  /** Set only while EngineTestKit runs the nested classes, which are skipped otherwise. */
  static final String ENGINE_KIT = "scompose.testkit.engine-kit";

  static final List<FakeRuntime> runtimes = new CopyOnWriteArrayList<>();
  static final List<Long> pids = new CopyOnWriteArrayList<>();

  /**
   * The fake's instances as an {@code @AfterAll} method of the run class saw them: after every
   * method-level teardown, before the class-level one and before the runtime is closed (which ends
   * whatever is left, so that a check after the run could not tell whether the extension stopped
   * anything).
   */
  static final List<String> atAfterAll = new CopyOnWriteArrayList<>();

  /** The session directory of the last run. */
  static volatile Path sessions;

  /**
   * What the last run left recorded in its session: an instance is released only after its {@code
   * instance stop} succeeded (or it was gone), so this is empty only when the extension stopped
   * everything itself, before the runtime was closed.
   */
  static volatile List<SessionRegistry.Entry> leftInSession = List.of();

  static List<String> names(FakeRuntime fake) {
    return fake.instances().stream().map(FakeInstance::name).toList();
  }

  /** Runs {@code type} with a fresh session directory, removed after the run when empty. */
  static Events run(Class<?> type) {
    Path directory;
    try {
      directory = Files.createTempDirectory("scompose-extension-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Events events = run(type, directory, Optional.empty());
    try (Stream<Path> left = Files.list(directory)) {
      if (left.findAny().isEmpty()) {
        Files.delete(directory);
      }
    } catch (IOException e) {
      // a leftover empty temporary folder is harmless
    }
    return events;
  }

  /**
   * Runs {@code type} through EngineTestKit with the session directory {@code sessionDirectory}
   * and, when given, the system property {@code scompose.runtime} set to {@code runtimeProperty}.
   */
  static Events run(Class<?> type, Path sessionDirectory, Optional<String> runtimeProperty) {
    runtimes.clear();
    pids.clear();
    atAfterAll.clear();
    sessions = sessionDirectory;
    String previousSessions = System.getProperty(SingularityExtension.SESSION_DIRECTORY_PROPERTY);
    String previousRuntime = System.getProperty(SingularityExtension.RUNTIME_PROPERTY);
    System.setProperty(ENGINE_KIT, "true");
    System.setProperty(
        SingularityExtension.SESSION_DIRECTORY_PROPERTY, sessionDirectory.toString());
    runtimeProperty.ifPresent(v -> System.setProperty(SingularityExtension.RUNTIME_PROPERTY, v));
    Events events;
    try {
      events =
          EngineTestKit.engine("junit-jupiter").selectors(selectClass(type)).execute().allEvents();
    } finally {
      System.clearProperty(ENGINE_KIT);
      restore(SingularityExtension.SESSION_DIRECTORY_PROPERTY, previousSessions);
      restore(SingularityExtension.RUNTIME_PROPERTY, previousRuntime);
    }
    leftInSession = SessionRegistry.in(sessionDirectory).entries();
    return events;
  }

  private static void restore(String property, String previous) {
    if (previous == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, previous);
    }
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
              FakeImage.builder()
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

    @AfterAll
    static void after(FakeRuntime fake) {
      atAfterAll.addAll(names(fake));
    }
  }

  @Test
  void staticFieldsLiveForTheClass() {
    run(PerClass.class).assertStatistics(stats -> stats.succeeded(4).failed(0));
    assertEquals(pids.get(0), pids.get(1), "one instance for both tests");
    assertEquals(List.of("cache"), atAfterAll, "still running until the class ends");
    assertEquals(List.of(), leftInSession, "stopped by the extension after the class");
    assertFalse(Files.exists(SessionRegistry.in(sessions).sessionFile()));
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

    @AfterAll
    static void after(FakeRuntime fake) {
      atAfterAll.addAll(names(fake));
    }
  }

  @Test
  void instanceFieldsLiveForEachTest() {
    run(PerMethod.class).assertStatistics(stats -> stats.succeeded(4).failed(0));
    assertNotEquals(pids.get(0), pids.get(1), "a new instance per test");
    assertEquals(List.of(), atAfterAll, "each test's instance stopped after it");
    assertEquals(List.of(), leftInSession);
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class Failing {
    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle db;

    @Test
    void fails(FakeRuntime fake) {
      runtimes.add(fake);
      pids.add(fake.instance("db").orElseThrow().pid());
      throw new AssertionError("the test body failed");
    }

    @AfterAll
    static void after(FakeRuntime fake) {
      atAfterAll.addAll(names(fake));
    }
  }

  @Test
  void instancesAreStoppedAfterAFailure() {
    run(Failing.class).assertStatistics(stats -> stats.failed(1));
    assertEquals(1, pids.size(), "db ran during the test");
    assertEquals(List.of(), atAfterAll, "db stopped after the failed test");
    assertEquals(List.of(), leftInSession);
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
              FakeImage.builder()
                  .path("/images/redis.sif")
                  .addStartscriptStdout("Ready to accept connections")
                  .build())
          .respondToExec("cache", List.of("redis-cli", "ping"), ScriptedResponse.ok("PONG"));
    }

    @org.junit.jupiter.api.BeforeAll
    static void capture(FakeRuntime fake) {
      runtimes.add(fake);
    }

    @AfterAll
    static void after(FakeRuntime fake) {
      atAfterAll.addAll(names(fake));
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
    assertEquals(List.of(), atAfterAll, "cache and slow stopped after the failed wait");
    assertEquals(List.of(), leftInSession);
  }

  // ---- teardown when a stop fails, when the instance is gone, and when start's follow-up fails

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class StopFails {
    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle stuck;

    static FakeRuntime.Builder fakeRuntime() {
      return FakeRuntime.builder()
          .anyImageExists()
          .timeSource(VirtualTimeSource.create())
          .respondToCommand(
              List.of("instance", "stop", "stuck"),
              ScriptedResponse.failure(255, "FATAL:   could not stop stuck: permission denied\n"));
    }

    @Test
    void runs(FakeRuntime fake) {
      runtimes.add(fake);
    }

    @AfterAll
    static void after(FakeRuntime fake) {
      atAfterAll.addAll(names(fake));
    }
  }

  @Test
  void aFailedStopFailsTheTestAndStaysRecordedForTheShutdownHookAndTheNextRun(
      @TempDir Path directory) throws IOException {
    Events events = run(StopFails.class, directory, Optional.empty());
    events.assertStatistics(stats -> stats.failed(1));
    Throwable t = ComposeStackExtensionTest.failure(events).orElseThrow();
    while (!(t instanceof SingularityException) && t.getCause() != null) {
      t = t.getCause(); // JUnit wraps what the closing store threw
    }
    assertTrue(t instanceof SingularityException, t.toString());
    assertTrue(t.getMessage().contains("permission denied"), t.getMessage());
    assertEquals(List.of("stuck"), atAfterAll, "the failed stop left it running");
    assertEquals(1, leftInSession.size(), leftInSession.toString());
    assertEquals("stuck", leftInSession.get(0).value());
    SessionRegistry registry = SessionRegistry.in(directory);
    String file = Files.readString(registry.sessionFile(), StandardCharsets.UTF_8);
    assertTrue(file.contains("\tstuck\t"), file);

    // what the shutdown hook does: the runtime was closed since (its instances ended), so the
    // retried stop finds it gone, which counts as stopped, and the session file is removed
    assertEquals(1, registry.stopEverything());
    assertEquals(List.of(), registry.entries());
    assertFalse(Files.exists(registry.sessionFile()));
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class StoppedByTheTest {
    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle crashes;

    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle stoppedEarly;

    @Test
    void endsBothItself(FakeRuntime fake) {
      runtimes.add(fake);
      assertTrue(fake.crash("crashes"));
      stoppedEarly.stop();
      stoppedEarly.stop(); // idempotent
      assertEquals(List.of(), names(fake));
    }
  }

  @Test
  void anInstanceAlreadyGoneAtTeardownCountsAsStopped() {
    run(StoppedByTheTest.class).assertStatistics(stats -> stats.succeeded(3).failed(0));
    assertEquals(List.of(), leftInSession);
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class ListingFailsAfterStart {
    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle orphan;

    static FakeRuntime.Builder fakeRuntime() {
      return FakeRuntime.builder()
          .anyImageExists()
          .timeSource(VirtualTimeSource.create())
          .respondToCommand(
              List.of("instance", "list"), ScriptedResponse.failure(255, "FATAL:   list broke\n"));
    }

    @Test
    void never() {
      pids.add(-1L);
    }

    @AfterAll
    static void after(FakeRuntime fake) {
      atAfterAll.addAll(names(fake));
    }
  }

  @Test
  void anInstanceIsStoppedWhenFindingItsPidFailsAfterItsStart() {
    Events events = run(ListingFailsAfterStart.class);
    events.assertStatistics(stats -> stats.failed(1));
    assertEquals(List.of(), pids, "the body never ran");
    Throwable t = ComposeStackExtensionTest.failure(events).orElseThrow();
    assertTrue(t.getMessage().contains("list broke"), t.getMessage());
    assertEquals(List.of(), atAfterAll, "stopped although it was never registered");
    assertEquals(List.of(), leftInSession);
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class SessionFileUnwritable {
    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle orphan;

    @Test
    void never() {
      pids.add(-1L);
    }

    @AfterAll
    static void after(FakeRuntime fake) {
      atAfterAll.addAll(names(fake));
    }
  }

  @Test
  void anInstanceIsStoppedWhenItsSessionEntryCannotBeWritten(@TempDir Path directory)
      throws IOException {
    Path notADirectory = Files.writeString(directory.resolve("file"), "x");
    Events events =
        run(SessionFileUnwritable.class, notADirectory.resolve("sessions"), Optional.empty());
    events.assertStatistics(stats -> stats.failed(1));
    assertEquals(List.of(), pids, "the body never ran");
    Throwable t = ComposeStackExtensionTest.failure(events).orElseThrow();
    assertTrue(t instanceof UncheckedIOException, t.toString());
    assertEquals(List.of(), atAfterAll, "stopped although it was never registered");
    assertEquals(List.of(), leftInSession);
  }

  // ---- runtime choice through the system property

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest
  static class ChosenByProperty {
    @Test
    void runs(FakeRuntime fake) {
      runtimes.add(fake);
    }
  }

  @Test
  void thePropertyForcesTheFakeRuntime(@TempDir Path directory) {
    run(ChosenByProperty.class, directory, Optional.of(" Fake "))
        .assertStatistics(stats -> stats.succeeded(3).failed(0));
    assertEquals(1, runtimes.size(), "a FakeRuntime was injected");
  }

  @Test
  void thePropertyForcingTheRealRuntimeWithoutABinaryIsAConfigurationError(
      @TempDir Path directory) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        SingularityExtension.realProgram().isEmpty(), "a real binary is on PATH here");
    Events events = run(ChosenByProperty.class, directory, Optional.of("real"));
    events.assertStatistics(stats -> stats.failed(1));
    Throwable t = ComposeStackExtensionTest.failure(events).orElseThrow();
    assertTrue(t instanceof ExtensionConfigurationException, t.toString());
    assertEquals(
        "runtime real (from system property scompose.runtime) was chosen, but no apptainer or"
            + " singularity is on PATH",
        t.getMessage());
    assertEquals(List.of(), runtimes);
  }

  @Test
  void anInvalidPropertyValueIsAConfigurationErrorNamingTheChoices(@TempDir Path directory) {
    Events events = run(ChosenByProperty.class, directory, Optional.of("docker"));
    Throwable t = ComposeStackExtensionTest.failure(events).orElseThrow();
    assertTrue(t instanceof ExtensionConfigurationException, t.toString());
    assertEquals(
        "runtime \"docker\" from system property scompose.runtime is not one of auto, real, fake",
        t.getMessage());
    assertEquals(List.of(), runtimes);
  }

  @Test
  void autoPicksTheFakeWhereNoBinaryIsOnPath(@TempDir Path directory) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        SingularityExtension.realProgram().isEmpty(), "a real binary is on PATH here");
    run(ChosenByProperty.class, directory, Optional.of("auto"))
        .assertStatistics(stats -> stats.succeeded(3).failed(0));
    assertEquals(1, runtimes.size());
  }

  @Test
  void theAnnotationWinsOverTheProperty(@TempDir Path directory) {
    run(PerMethod.class, directory, Optional.of("real"))
        .assertStatistics(stats -> stats.succeeded(4).failed(0));
  }

  // ---- parameter injection

  static final List<String> injected = new CopyOnWriteArrayList<>();

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class Injection {
    @InstanceUnderTest(image = "/images/any.sif")
    static TestInstanceHandle web;

    @Test
    void everyHandleIsInjected(
        Transport transport,
        SingularityClient client,
        Compose compose,
        TestInstanceHandle handle,
        FakeRuntime fake) {
      assertSame(web, handle, "the field's handle");
      long pid = fake.instance("web").orElseThrow().pid();
      String listing = transport.run(CommandRequest.of("apptainer", "instance", "list")).stdout();
      assertTrue(listing.contains("web") && listing.contains(Long.toString(pid)), listing);
      assertEquals(pid, client.find("web").orElseThrow().pid(), "the client sees the fake");
      assertSame(client, compose.client(), "the engine runs on the same client");
      injected.add("ran");
    }
  }

  @Test
  void transportClientComposeAndTheInstanceHandleAreInjected() {
    injected.clear();
    run(Injection.class).assertStatistics(stats -> stats.succeeded(3).failed(0));
    assertEquals(List.of("ran"), injected);
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class AmbiguousInjection {
    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle one;

    @InstanceUnderTest(image = "/images/any.sif")
    TestInstanceHandle two;

    @Test
    void which(TestInstanceHandle handle) {
      injected.add("ran");
    }
  }

  @Test
  void anInstanceHandleParameterNeedsExactlyOneField() {
    injected.clear();
    Events events = run(AmbiguousInjection.class);
    events.assertStatistics(stats -> stats.failed(1));
    Throwable t = ComposeStackExtensionTest.failure(events).orElseThrow();
    assertTrue(t.getMessage().contains("exactly one matching annotated field"), t.getMessage());
    assertTrue(t.getMessage().contains("found 2"), t.getMessage());
    assertEquals(List.of(), injected);
    assertEquals(List.of(), leftInSession, "both instances stopped");
  }
}
