package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link TestComposeStack}'s wait targets know the host port the engine chose for a port
 * published as {@code "80"} on the bridge (issue 14), so {@code Wait.forListeningPort(80)} and
 * {@code Wait.forHttp} work on it; a fixed mapping stays as written.
 */
class StackWaitTargetPortsTest {

  @TempDir Path dir;

  @Test
  void waitTargetsResolveEphemeralHostPorts() throws Exception {
    try (FakeRuntime fake =
        FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).anyImageExists().build()) {
      SingularityClient client =
          SingularityClient.builder()
              .transport(fake.transport())
              .binary(
                  BinaryLocator.builder()
                      .explicitPath(FakeDialect.SINGULARITY_CE_3_4.program())
                      .build()
                      .locate(fake.transport()))
              .hostIdentity(HostIdentity.of(fake.homeDirectory(), "fakehost", "tester"))
              .build();
      Compose compose =
          Compose.builder()
              .client(client)
              .facts(RuntimeFacts.builder().dialect(client.dialect()).root(true).build())
              .networkPlanner(NetworkPlanner.create().withHostPorts(fake.hostPorts()))
              .build();
      ComposeProject project =
          ComposeLoader.defaults()
              .load(
                  Files.writeString(
                      dir.resolve("compose.yaml"),
                      "name: ports\nservices:\n  web:\n    image: /images/web.sif\n"
                          + "    ports: [\"80\", \"18081:81\"]\n"));
      try (ComposeStack stack = compose.up(project)) {
        TestComposeStack handle =
            new TestComposeStack(
                stack,
                project,
                client,
                instance ->
                    TestComposeStack.target(
                        client, project, "web", instance, Clock.systemUTC(), Sleeper.system()));
        InetSocketAddress web = handle.waitTarget("ports-web-1").hostAddress(80);
        assertEquals(stack.mappedPort("web", 80), web.getPort());
        assertEquals(handle.mappedPort("web", 80), web.getPort());
        assertTrue(web.getPort() >= 49152, web.toString());
        assertEquals(18081, handle.waitTarget("ports-web-1").hostAddress(81).getPort());
      }
    }
  }
}
