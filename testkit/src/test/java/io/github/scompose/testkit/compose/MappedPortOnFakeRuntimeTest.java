package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.network.LeaseLiveness;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.Protocol;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ComposeStack#mappedPort} (issue 14, Testcontainers' {@code getMappedPort}) on the in-JVM
 * fake (SingularityCE 3.4.2): a fixed mapping, an ephemeral host port for {@code "80"} on the
 * bridge taken through the lease store so that two projects never share it, the container port
 * itself in host networking, and clear errors for what is not published.
 */
class MappedPortOnFakeRuntimeTest {

  @TempDir Path dir;
  private FakeRuntime fake;

  @AfterEach
  void closeFake() {
    if (fake != null) {
      fake.close();
    }
  }

  private Compose engine(boolean root) {
    fake = FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).anyImageExists().build();
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
    return Compose.builder()
        .client(client)
        .facts(RuntimeFacts.builder().dialect(client.dialect()).root(root).build())
        .networkPlanner(
            NetworkPlanner.create()
                .withHostPorts(fake.hostPorts())
                .withUnprivilegedPortStart(1024)
                .withLeases(
                    LeaseStore.open(dir.resolve("leases.json")), LeaseLiveness.assumeAlive()))
        .build();
  }

  private ComposeProject project(String name, String... ports) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    String yaml =
        """
        name: %s
        services:
          db:
            image: /images/db.sif
          web:
            image: /images/web.sif
            ports: [%s]
        """
            .formatted(name, "\"" + String.join("\", \"", ports) + "\"");
    return ComposeLoader.defaults().load(Files.writeString(folder.resolve("compose.yaml"), yaml));
  }

  @Test
  void aBridgedServiceGivesItsFixedAndEphemeralHostPorts() throws IOException {
    Compose compose = engine(true);
    try (ComposeStack a = compose.up(project("shop", "80", "18080:8080"));
        ComposeStack b = compose.up(project("blog", "80"))) {
      assertEquals(18080, a.mappedPort("web", 8080));
      int ephemeralA = a.mappedPort("web", 80);
      int ephemeralB = b.mappedPort("web", 80, Protocol.TCP);
      assertNotEquals(ephemeralA, ephemeralB, "two projects never share an ephemeral host port");
      assertTrue(ephemeralA >= 49152, "from the dynamic range: " + ephemeralA);
      // the portmap the binary got is the one looked up
      String options =
          String.join(" ", fake.instance("shop-web-1").map(FakeInstance::options).orElseThrow());
      assertTrue(options.contains("--network-args portmap=" + ephemeralA + ":80/tcp"), options);
      IllegalArgumentException notPublished =
          assertThrows(IllegalArgumentException.class, () -> a.mappedPort("web", 9090));
      assertEquals(
          "service 'web' does not publish container port 9090/tcp (its ports: ["
              + ephemeralA
              + ":80/tcp, 18080:8080/tcp])",
          notPublished.getMessage());
      assertThrows(IllegalArgumentException.class, () -> a.mappedPort("web", 80, Protocol.UDP));
      assertThrows(IllegalArgumentException.class, () -> a.mappedPort("nosuch", 80));
      assertThrows(IllegalArgumentException.class, () -> a.mappedPort("web", 0));
      // a second up of the same project keeps the ephemeral port
      try (ComposeStack again = compose.up(project("shop", "80", "18080:8080"))) {
        assertEquals(ephemeralA, again.mappedPort("web", 80));
      }
    }
  }

  @Test
  void inHostNetworkingTheContainerPortIsTheHostPort() throws IOException {
    Compose compose = engine(false);
    try (ComposeStack stack = compose.up(project("rootless", "18090:18090"))) {
      assertEquals(18090, stack.mappedPort("web", 18090));
      // the instance shares the host's ports: any port it listens on is that host port
      assertEquals(5432, stack.mappedPort("db", 5432));
    }
  }

  @Test
  void afterDownThereIsNothingToLookUp() throws IOException {
    Compose compose = engine(true);
    ComposeStack stack = compose.up(project("gone", "80"));
    stack.down();
    assertThrows(RuntimeException.class, () -> stack.mappedPort("web", 80));
  }
}
