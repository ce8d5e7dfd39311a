package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.ImageCache;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.InstanceContainer;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import io.github.scompose.testkit.wait.NotReadyException;
import io.github.scompose.testkit.wait.Wait;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InstanceContainer} (issue 14: Testcontainers' {@code GenericContainer}, Singularity's way)
 * on the in-JVM fake (SingularityCE 3.4.2) with virtual time: the start command it builds,
 * environment in {@code exec}, exec results for any exit code, the current run's logs, waits, host
 * networking's ports, leased ephemeral ports on the bridge, the image cache, and stop.
 */
class InstanceContainerOnFakeRuntimeTest {

  @TempDir Path dir;
  private FakeRuntime fake;
  private WatchingTransport transport;
  private SingularityClient client;
  private LeaseStore leases;
  private VirtualTimeSource time;

  @BeforeEach
  void fake() {
    time = VirtualTimeSource.create();
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .timeSource(time)
            .anyImageExists()
            .image(
                FakeImage.builder()
                    .path("/images/web.sif")
                    .addStartscriptStdout("web is ready")
                    .build())
            .build();
    transport = new WatchingTransport(fake.transport());
    client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                BinaryLocator.builder()
                    .explicitPath(FakeDialect.SINGULARITY_CE_3_4.program())
                    .build()
                    .locate(fake.transport()))
            .hostIdentity(
                HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name")))
            .build();
    leases = LeaseStore.open(dir.resolve("leases.json"));
  }

  @AfterEach
  void closeFake() {
    fake.close();
  }

  private InstanceContainer container(String image) {
    return InstanceContainer.of(client, image)
        .withLeaseStore(leases)
        .withHostPorts(fake.hostPorts())
        .withTime(new TimeSourceClock(time), time::sleep);
  }

  @Test
  void startsExecsLogsWaitsAndStops() {
    InstanceContainer web =
        container("/images/web.sif")
            .withName("web1")
            .withEnv("GREETING", "hello")
            .withBind(dir.toString(), "/data")
            .withOptions("--writable-tmpfs")
            .withCommand("--port", "8080")
            .withExposedPorts(8080)
            .waitingFor(Wait.forLogMessage(".*is ready.*", 1));
    try (web) {
      web.start();
      assertTrue(web.isStarted());
      String options =
          String.join(" ", fake.instance("web1").map(FakeInstance::options).orElseThrow());
      assertTrue(options.contains("--bind " + dir + ":/data"), options);
      assertTrue(options.contains("--writable-tmpfs"), options);
      assertFalse(options.contains("GREETING"), "no value in argv: " + options);
      assertEquals(
          java.util.List.of("--port", "8080"),
          fake.instance("web1").map(FakeInstance::arguments).orElseThrow());
      assertEquals("hello\n", web.exec("printenv", "GREETING").stdout());
      CommandResult missing = web.exec("no-such-command");
      assertEquals(255, missing.exitCode());
      assertTrue(web.logs().contains("web is ready"), web.logs());
      // host networking: the instance listens on the host's ports itself
      assertEquals(8080, web.mappedPort(8080));
      assertEquals("localhost", web.host());
      assertThrows(IllegalStateException.class, () -> web.withEnv("LATE", "x"));
      assertThrows(IllegalStateException.class, web::start);
    }
    assertTrue(fake.instance("web1").isEmpty(), "closed: stopped");
    web.stop(); // idempotent
  }

  @Test
  void onTheBridgeExposedPortsGetLeasedEphemeralHostPortsThatNeverCollide() {
    try (InstanceContainer a =
            container("/images/web.sif").withNetwork("bridge").withExposedPorts(80).start();
        InstanceContainer b =
            container("/images/web.sif")
                .withNetwork("bridge")
                .withExposedPorts(80)
                .withPortBinding(18443, 443)
                .start()) {
      int pa = a.mappedPort(80);
      int pb = b.mappedPort(80);
      assertNotEquals(pa, pb);
      assertEquals(18443, b.mappedPort(443));
      String options =
          String.join(" ", fake.instance(a.name()).map(FakeInstance::options).orElseThrow());
      assertTrue(options.contains("--net --network bridge"), options);
      assertTrue(options.contains("--network-args portmap=" + pa + ":80/tcp"), options);
      assertTrue(options.contains("--network-args IP=10.22.0."), options);
      assertEquals(2, leases.leases().size());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> a.mappedPort(8080));
      assertTrue(
          e.getMessage().contains("does not publish container port 8080/tcp"), e.getMessage());
      assertEquals(pa, ((java.net.InetSocketAddress) a.waitTarget().hostAddress(80)).getPort());
    }
    assertEquals(0, leases.leases().size(), "stop released the leases");
  }

  @Test
  void aWaitThatGivesUpStopsTheInstanceAndReleasesItsLease() {
    InstanceContainer c =
        container("/images/web.sif")
            .withName("never-ready")
            .withNetwork("bridge")
            .withExposedPorts(80)
            .waitingFor(Wait.forLogMessage("never printed", 1).withTimeout(Duration.ofSeconds(30)));
    assertThrows(NotReadyException.class, c::start);
    assertTrue(fake.instance("never-ready").isEmpty());
    assertEquals(0, leases.leases().size());
  }

  @Test
  void aUriImageComesFromTheImageCacheOncePerReference() {
    ImageCache cache = ImageCache.in(dir.resolve("images"));
    try (InstanceContainer one =
            container("docker://redis:7").withImageCache(cache).withName("one").start();
        InstanceContainer two =
            container("docker://redis:7").withImageCache(cache).withName("two").start()) {
      assertEquals(1, transport.count("pull"), "pulls: " + transport.commands);
      assertEquals(
          cache.path("docker://redis:7").toString(),
          fake.instance("two").map(FakeInstance::image).orElseThrow());
    }
  }
}
