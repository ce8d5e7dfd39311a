package io.github.scompose.samples.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.VirtualTimeSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example: what {@link TwoServiceStackExampleTest} relies on, shown with the engine directly — in
 * {@code two-service-stack.yml}, {@code web} depends on {@code cache} with {@code condition:
 * service_healthy}, so the engine starts {@code web} only once the cache's healthcheck ({@code
 * redis-cli ping}) succeeded, and never when it keeps failing.
 *
 * <p>The engine reports each step as a {@link ComposeEvent} to its listeners; the test records them
 * and asserts their order. The fake runtime answers {@code redis-cli ping} as programmed, on a
 * virtual clock, so the healthcheck's retries ({@code interval: 1s}, {@code retries: 30}) take no
 * real time.
 */
class HealthGateExampleTest {

  @TempDir Path project;

  /** "cache-1 HEALTHY", "web-1 STARTING", … in the order the engine reported them. */
  final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void webStartsOnlyAfterTheCacheIsHealthy() {
    FakeRuntime fake = fakeWhereThePingAnswers(ScriptedResponse.ok("PONG"));

    try (ComposeStack stack = engineOn(fake).up(twoServiceStack())) {
      assertTrue(
          events.indexOf("cache-1 STARTED") < events.indexOf("cache-1 HEALTHY"), events.toString());
      assertTrue(
          events.indexOf("cache-1 HEALTHY") < events.indexOf("web-1 STARTING"), events.toString());
      assertEquals(2, stack.ps().size());
    } finally {
      fake.close();
    }
  }

  @Test
  void webNeverStartsWhileTheCacheFailsItsHealthcheck() {
    FakeRuntime fake =
        fakeWhereThePingAnswers(
            ScriptedResponse.failure(1, "Could not connect to Redis at 127.0.0.1:6379"));

    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> engineOn(fake).up(twoServiceStack()));

    assertEquals("gate-cache-1", e.instance());
    assertTrue(e.getMessage().contains("the healthcheck failed 30 times"), e.getMessage());
    assertTrue(events.stream().noneMatch(x -> x.startsWith("web-1")), events.toString());
    List<FakeInstance> running = fake.instances();
    assertEquals(List.of(), running, "the failed up stopped the cache it had started");
    fake.close();
  }

  // ---- set-up --------------------------------------------------------------------------------

  private FakeRuntime fakeWhereThePingAnswers(ScriptedResponse ping) {
    return FakeRuntime.builder()
        .anyImageExists()
        .timeSource(VirtualTimeSource.create())
        .respondToExec("*", List.of("redis-cli", "ping"), ping)
        .build();
  }

  private ComposeProject twoServiceStack() {
    return ComposeLoader.defaults()
        .withProjectDirectory(project)
        .withProjectName("gate")
        .load(List.of(Path.of("src/test/resources/two-service-stack.yml").toAbsolutePath()));
  }

  /** The engine on the fake, its healthcheck waits on the fake's virtual clock, events recorded. */
  private Compose engineOn(FakeRuntime fake) {
    SingularityClient client =
        SingularityClient.builder()
            .transport(fake.transport())
            .binary(
                BinaryLocator.builder()
                    .explicitPath(fake.dialect().program())
                    .build()
                    .locate(fake.transport()))
            .hostIdentity(
                HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name")))
            .build();
    return Compose.builder()
        .client(client)
        .sleeper(fake.timeSource()::sleep)
        .networkPlanner(NetworkPlanner.create().withHostPorts(fake.hostPorts()))
        .listener(e -> events.add(e.instance().orElse("-").replace("gate-", "") + " " + e.type()))
        .build();
  }
}
