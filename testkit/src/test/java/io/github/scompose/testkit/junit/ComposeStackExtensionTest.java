package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.wait.NotReadyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * {@link ComposeStackUnderTest} fields and {@link WaitFor} waits, run through the JUnit Platform's
 * EngineTestKit on the fake runtime: a stack per class and per test, teardown after a failing test
 * and after a failing wait, waits that pass and waits that time out (with the log tail), all on the
 * fake's virtual clock. The compose files are in {@code stacks/} beside this source (the extension
 * resolves them against the working directory, the module's folder under Surefire).
 */
class ComposeStackExtensionTest {

  static final String ENGINE_KIT = SingularityExtensionTest.ENGINE_KIT;
  static final String CHAIN = "src/test/java/io/github/scompose/testkit/junit/stacks/chain.yml";
  static final String HEALTHY = "src/test/java/io/github/scompose/testkit/junit/stacks/healthy.yml";

  static final List<FakeRuntime> fakes = new CopyOnWriteArrayList<>();
  static final List<String> seen = new CopyOnWriteArrayList<>();
  static volatile VirtualTimeSource clock;

  @TempDir Path sessions;

  Events run(Class<?> type) {
    fakes.clear();
    seen.clear();
    System.setProperty(ENGINE_KIT, "true");
    System.setProperty(SessionRegistry.DIRECTORY_PROPERTY, sessions.toString());
    try {
      return EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(type))
          .execute()
          .allEvents();
    } finally {
      System.clearProperty(ENGINE_KIT);
      System.clearProperty(SessionRegistry.DIRECTORY_PROPERTY);
    }
  }

  /** Nothing of the run is left: no instance, no session file, no stack folder. */
  void assertNothingLeft() throws IOException {
    for (FakeRuntime fake : fakes) {
      assertEquals(List.of(), fake.instances(), "left running");
    }
    try (Stream<Path> left = Files.walk(sessions)) {
      assertEquals(List.of(sessions), left.toList(), "session files or stack folders left");
    }
  }

  static Optional<Throwable> failure(Events events) {
    return events.stream()
        .map(Event::getPayload)
        .flatMap(Optional::stream)
        .filter(p -> p instanceof org.junit.platform.engine.TestExecutionResult)
        .map(p -> (org.junit.platform.engine.TestExecutionResult) p)
        .flatMap(r -> r.getThrowable().stream())
        .findFirst();
  }

  // ---- lifecycle

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class StackPerClass {
    @ComposeStackUnderTest(file = CHAIN)
    static TestComposeStack stack;

    @Test
    @Order(1)
    void first(FakeRuntime fake) {
      fakes.add(fake);
      seen.add(stack.project().name());
      seen.addAll(fake.instances().stream().map(i -> i.name() + "@" + i.pid()).toList());
      assertEquals(1, stack.instances("db").size());
      assertEquals("hello\n", stack.exec("app", "echo", "hello").stdout());
      String app = stack.instances("app").get(0);
      assertEquals(
          "127.0.0.1",
          fake.instance(app).orElseThrow().environment().get("DB_HOST"),
          "environment: reaches the instance through an env file on the fake too");
    }

    @Test
    @Order(2)
    void second(FakeRuntime fake, TestComposeStack injected, ComposeStack engineHandle) {
      seen.addAll(fake.instances().stream().map(i -> i.name() + "@" + i.pid()).toList());
      assertTrue(injected == stack, "the field's handle is injected");
      assertTrue(engineHandle == stack.stack());
    }
  }

  @Test
  void aStaticStackLivesForTheClassAndIsDownAfterIt() throws IOException {
    run(StackPerClass.class).assertStatistics(s -> s.succeeded(4).failed(0));
    String project = seen.get(0);
    assertTrue(project.matches("stacks-[0-9a-f]{6}"), project);
    assertEquals(
        List.of(project + "-app-1@20001", project + "-db-1@20000"),
        seen.subList(1, 3),
        "both instances of one up");
    assertEquals(seen.subList(1, 3), seen.subList(3, 5), "the same instances in both tests");
    assertNothingLeft();
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class StackPerTest {
    @ComposeStackUnderTest(file = CHAIN, services = "db")
    ComposeStack stack;

    @Test
    void one(FakeRuntime fake) {
      fakes.add(fake);
      seen.add(stack.project());
      assertEquals(List.of(stack.project() + "-db-1"), names(fake));
    }

    @Test
    void two(FakeRuntime fake) {
      seen.add(stack.project());
      assertEquals(List.of(stack.project() + "-db-1"), names(fake));
    }
  }

  static List<String> names(FakeRuntime fake) {
    return fake.instances().stream().map(FakeInstance::name).toList();
  }

  @Test
  void anInstanceFieldStackIsUpForEachTestOnlyAndItsServicesSubsetHolds() throws IOException {
    run(StackPerTest.class).assertStatistics(s -> s.succeeded(4).failed(0));
    assertEquals(2, seen.size());
    assertNotEquals(seen.get(0), seen.get(1), "a new project per test");
    assertNothingLeft();
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class FailingTest {
    @ComposeStackUnderTest(file = CHAIN, project = "failing")
    TestComposeStack stack;

    @Test
    void fails(FakeRuntime fake) {
      fakes.add(fake);
      assertEquals(2, fake.instances().size());
      throw new AssertionError("the test body failed");
    }
  }

  @Test
  void aStackIsDownAfterAFailingTest() throws IOException {
    run(FailingTest.class).assertStatistics(s -> s.failed(1));
    assertEquals(1, fakes.size());
    assertNothingLeft();
  }

  // ---- waits

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class WaitsPass {
    @ComposeStackUnderTest(file = HEALTHY)
    @WaitFor(service = "db", logMessage = "ready to accept connections")
    @WaitFor(service = "db", healthcheck = true)
    @WaitFor(
        service = "app",
        command = {"app-ready"},
        timeoutSeconds = 10)
    @WaitFor(service = "app", listeningPortInInstance = 8080)
    static TestComposeStack stack;

    static FakeRuntime.Builder fakeRuntime() {
      clock = VirtualTimeSource.create();
      return FakeRuntime.builder()
          .timeSource(clock)
          .image(
              FakeImage.builder()
                  .path("/images/db.sif")
                  .addStartscriptStdout("booting", "ready to accept connections")
                  .build())
          .respondToExec("*", List.of("db-ready"), ScriptedResponse.ok("ok"))
          .respondToExec("*", List.of("app-ready"), ScriptedResponse.ok("up"))
          .respondToExec(
              "*",
              io.github.scompose.testkit.wait.Wait.listeningPortProbe(8080),
              ScriptedResponse.ok(""));
    }

    @Test
    void theTestRunsAfterEveryWait(FakeRuntime fake) {
      fakes.add(fake);
      assertEquals("up\n", stack.exec("app", "app-ready").stdout());
      assertTrue(stack.logs("db").contains("ready to accept connections"), stack.logs("db"));
    }
  }

  @Test
  void waitsThatPassLetTheTestRun() throws IOException {
    run(WaitsPass.class).assertStatistics(s -> s.succeeded(3).failed(0));
    assertNothingLeft();
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class WaitTimesOut {
    @ComposeStackUnderTest(file = CHAIN, project = "slow")
    @WaitFor(service = "db", logMessage = "never printed", timeoutSeconds = 30)
    TestComposeStack stack;

    static FakeRuntime.Builder fakeRuntime() {
      clock = VirtualTimeSource.create();
      return FakeRuntime.builder()
          .timeSource(clock)
          .image(
              FakeImage.builder()
                  .path("/images/db.sif")
                  .addStartscriptStdout("db 1.0 starting", "waiting for a disk that never comes")
                  .addStartscriptStderr("warning: slow disk")
                  .build());
    }

    @BeforeAll
    static void capture(FakeRuntime fake) {
      fakes.add(fake);
    }

    @Test
    void never() {
      seen.add("the test body ran");
    }
  }

  @Test
  void aWaitThatTimesOutFailsTheTestWithTheLogTailAndTheStackIsDown() throws IOException {
    Events events = run(WaitTimesOut.class);
    events.assertStatistics(s -> s.failed(1));
    assertEquals(List.of(), seen, "the body must not run");
    Throwable t = failure(events).orElseThrow();
    assertTrue(t instanceof NotReadyException, t.toString());
    NotReadyException e = (NotReadyException) t;
    assertEquals(NotReadyException.Reason.TIMED_OUT, e.reason());
    assertEquals("slow-db-1", e.instance());
    String m = e.getMessage();
    assertTrue(m.contains("timed out after 30 s"), m);
    assertTrue(m.contains("a log line matching \"never printed\""), m);
    assertTrue(m.contains("out | db 1.0 starting"), m);
    assertTrue(m.contains("out | waiting for a disk that never comes"), m);
    assertTrue(m.contains("err | warning: slow disk"), m);
    // polled on the fake's virtual clock: 30 s passed there, at once here
    Duration passed = Duration.between(VirtualTimeSource.DEFAULT_START, clock.now());
    assertTrue(passed.compareTo(Duration.ofSeconds(30)) >= 0, passed.toString());
    assertNothingLeft();
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class InstanceCrashesWhileWaited {
    @ComposeStackUnderTest(file = CHAIN, project = "crashy", services = "db")
    @WaitFor(
        service = "db",
        command = {"db-ready"})
    static TestComposeStack stack;

    static FakeRuntime.Builder fakeRuntime() {
      clock = VirtualTimeSource.create();
      return FakeRuntime.builder()
          .timeSource(clock)
          .crashAfter("crashy-db-1", Duration.ofSeconds(5))
          .respondToExec("*", List.of("db-ready"), ScriptedResponse.failure(1, "not yet"));
    }

    @Test
    void never() {
      seen.add("ran");
    }
  }

  @Test
  void aWaitGivesUpAtOnceWhenTheInstanceDies() throws IOException {
    Events events = run(InstanceCrashesWhileWaited.class);
    events.assertStatistics(s -> s.failed(1));
    assertEquals(List.of(), seen);
    NotReadyException e = (NotReadyException) failure(events).orElseThrow();
    assertEquals(NotReadyException.Reason.STOPPED, e.reason());
    assertTrue(e.getMessage().contains("stopped running"), e.getMessage());
    assertEquals("crashy-db-1", e.instance());
    assertTrue(e.getMessage().contains("command db-ready to exit 0"), e.getMessage());
    Duration passed = Duration.between(VirtualTimeSource.DEFAULT_START, clock.now());
    assertTrue(passed.compareTo(Duration.ofSeconds(60)) < 0, "gave up before the timeout");
    assertNothingLeft();
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class BadWait {
    @ComposeStackUnderTest(file = CHAIN)
    @WaitFor(service = "db", logMessage = "x", command = "true")
    static TestComposeStack stack;

    @Test
    void never() {}
  }

  @Test
  void aWaitNamingTwoConditionsIsAConfigurationError() throws IOException {
    Events events = run(BadWait.class);
    Throwable t = failure(events).orElseThrow();
    assertTrue(t.getMessage().contains("must name exactly one of"), t.getMessage());
    assertNothingLeft();
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class MissingFile {
    @ComposeStackUnderTest(file = "no/such/compose.yml")
    static TestComposeStack stack;

    @Test
    void never() {}
  }

  @Test
  void aMissingFileNamesWhereItLooked() {
    Throwable t = failure(run(MissingFile.class)).orElseThrow();
    assertTrue(t.getMessage().contains("relative paths resolve against the working directory"));
    assertTrue(
        t.getMessage().contains(Path.of("no/such/compose.yml").toAbsolutePath().toString()),
        t.getMessage());
    assertFalse(t.getMessage().isBlank());
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class SessionFileUnwritable {
    @ComposeStackUnderTest(file = CHAIN, project = "unrecorded")
    TestComposeStack stack;

    @Test
    void never() {
      seen.add("ran");
    }

    @org.junit.jupiter.api.AfterAll
    static void after(FakeRuntime fake) {
      fakes.add(fake);
      seen.addAll(names(fake));
    }
  }

  @Test
  void aStackWhoseSessionEntryCannotBeWrittenIsNeverStarted() throws IOException {
    Path notADirectory = Files.writeString(sessions.resolve("file"), "x");
    sessions = notADirectory.resolve("sessions");
    Events events = run(SessionFileUnwritable.class);
    Throwable t = failure(events).orElseThrow();
    assertTrue(t instanceof java.io.UncheckedIOException, t.toString());
    assertEquals(1, fakes.size(), "@AfterAll ran");
    assertEquals(List.of(), seen, "no body ran and nothing was up at @AfterAll");
  }
}
