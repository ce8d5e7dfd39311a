package io.github.scompose.samples.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.junit.ComposeStackUnderTest;
import io.github.scompose.testkit.junit.SingularityTest;
import io.github.scompose.testkit.junit.TestComposeStack;
import io.github.scompose.testkit.junit.WaitFor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Example: a JUnit 5 test over a two-service compose stack with the testkit's extension.
 *
 * <p>{@code src/test/resources/two-service-stack.yml} declares a Redis {@code cache} with a
 * healthcheck and a {@code web} service that {@code depends_on} it with {@code condition:
 * service_healthy}, so the engine starts {@code web} only after {@code redis-cli ping} succeeded in
 * {@code cache} ({@link HealthGateExampleTest} shows that gate with the engine's events: web starts
 * after the cache is healthy, and never while its healthcheck fails).
 *
 * <ul>
 *   <li>{@link SingularityTest} picks the runtime: the real {@code apptainer}/{@code singularity}
 *       when one is on {@code PATH}, the testkit's fake otherwise (force one with {@code
 *       -Dscompose.runtime=real|fake}). This project's own build runs its tests on the fake unless
 *       {@code mvn -Dscompose.runtime=real} asks for the real binary.
 *   <li>The {@code static} field gets one stack for the whole class, brought down after the last
 *       test — also when a test fails, and by a shutdown hook if the JVM exits first.
 *   <li>{@link WaitFor} runs before the first test: here it waits until {@code web} can reach the
 *       cache.
 * </ul>
 *
 * <p>On the fake runtime nothing of the images runs, so {@link #fakeRuntime()} answers the commands
 * this test runs the way the real images would. On a real runtime that method is not used.
 */
@SingularityTest
class TwoServiceStackExampleTest {

  /** The file is found relative to the working directory: the {@code samples} module's folder. */
  @ComposeStackUnderTest(file = "src/test/resources/two-service-stack.yml")
  @WaitFor(
      service = "web",
      command = {"redis-cli", "-h", "127.0.0.1", "ping"},
      timeoutSeconds = 30)
  static TestComposeStack stack;

  /** Programs the fake runtime (used only when no real binary is chosen). */
  static FakeRuntime.Builder fakeRuntime() {
    return FakeRuntime.builder()
        .timeSource(VirtualTimeSource.create()) // waits and healthchecks never really sleep
        .respondToExec("*", List.of("redis-cli", "ping"), ScriptedResponse.ok("PONG"))
        .respondToExec(
            "*", List.of("redis-cli", "-h", "127.0.0.1", "ping"), ScriptedResponse.ok("PONG"))
        .respondToExec(
            "*",
            List.of("redis-cli", "-h", "127.0.0.1", "set", "greeting", "hello"),
            ScriptedResponse.ok("OK"))
        .respondToExec("*", List.of("redis-cli", "get", "greeting"), ScriptedResponse.ok("hello"));
  }

  @Test
  void bothServicesRun() {
    List<InstanceStatus> instances = stack.ps();

    assertEquals(2, instances.size());
    for (InstanceStatus instance : instances) {
      assertEquals(InstanceStatus.State.RUNNING, instance.state(), instance.name());
    }
  }

  @Test
  void theCacheAnswersItsHealthcheck() {
    CommandResult ping = stack.exec("cache", "redis-cli", "ping");

    assertEquals(0, ping.exitCode(), ping.stderr());
    assertEquals("PONG\n", ping.stdout());
  }

  @Test
  void webWritesWhatTheCacheThenReads() {
    CommandResult set =
        stack.exec("web", "redis-cli", "-h", "127.0.0.1", "set", "greeting", "hello");
    CommandResult get = stack.exec("cache", "redis-cli", "get", "greeting");

    assertEquals("OK\n", set.stdout());
    assertEquals("hello\n", get.stdout());
  }
}
