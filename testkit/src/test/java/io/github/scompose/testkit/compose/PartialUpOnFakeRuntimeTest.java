package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A partial {@code up} ({@code up SERVICE}, {@code up --no-deps SERVICE}) after a full one, on a
 * bridge (root facts): the instances it does not plan keep running with their addresses, no planned
 * instance gets one of their addresses, and the hosts file still names every instance of the
 * project (before the fix it named only the planned ones, and {@code up --no-deps web} gave web the
 * address redis held).
 */
class PartialUpOnFakeRuntimeTest {

  @TempDir Path dir;
  final VirtualTimeSource time = VirtualTimeSource.create();
  final ExecutorService pool = Executors.newCachedThreadPool();
  final Clock clock = new TimeSourceClock(time);
  FakeRuntime fake;

  @BeforeEach
  void fake() {
    fake = FakeRuntime.builder().anyImageExists().timeSource(time).build();
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    fake.close();
  }

  Compose engine(boolean withLeases) {
    SingularityClient client =
        SingularityClient.builder()
            .transport(fake.transport())
            .binary(
                SingularityBinary.of(
                    fake.dialect().program(),
                    BinaryVersion.parse(fake.dialect().program() + " version " + fake.version())))
            .hostIdentity(
                HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name")))
            .clock(clock)
            .sleeper(time::sleep)
            .build();
    RuntimeFacts root = RuntimeFacts.builder().dialect(client.dialect()).root(true).build();
    Compose.Builder b =
        Compose.builder()
            .client(client)
            .facts(root)
            .executor(pool)
            .parallelism(4)
            .clock(clock)
            .sleeper(time::sleep)
            .supervisionInterval(Duration.ZERO)
            .networkPlanner(
                NetworkPlanner.create().withHostPorts(new ComposeOnFakeRuntimeTest.AnyPort()));
    if (withLeases) {
      b.leases(LeaseStore.open(dir.resolve("leases.json")));
    }
    return b.build();
  }

  ComposeProject project() {
    return ComposeProject.builder()
        .name("shop")
        .directory(dir)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(svc("redis"), svc("web").withDependsOn(DependsOn.on("redis")))
        .build();
  }

  static ServiceSpec svc(String name) {
    return ServiceSpec.builder().name(name).image("/images/" + name + ".sif").build();
  }

  Map<String, String> listedAddresses() {
    return fake.instances().stream()
        .collect(Collectors.toMap(FakeInstance::name, i -> i.ip().orElse("")));
  }

  /** The lines of the project's hosts file that name an instance: address and first name. */
  Map<String, String> hostsFile() throws Exception {
    return Files.readAllLines(dir.resolve(".scompose").resolve(NetworkPlanner.HOSTS_FILE)).stream()
        .map(String::trim)
        .filter(l -> l.startsWith("10."))
        .map(l -> l.split("\\s+"))
        .collect(Collectors.toMap(p -> p[1], p -> p[0], (a, c) -> a));
  }

  @ParameterizedTest(name = "lease store: {0}")
  @ValueSource(booleans = {false, true})
  void aPartialUpKeepsTheOtherInstancesAddressesAndHostsLines(boolean withLeases) throws Exception {
    Compose compose = engine(withLeases);
    compose.up(project());
    Map<String, String> before = listedAddresses();
    assertEquals(Set.of("shop-redis-1", "shop-web-1"), before.keySet());
    assertEquals(2, Set.copyOf(before.values()).size(), "distinct addresses: " + before);
    assertEquals(before, hostsFile());

    PlanOptions onlyRedis = PlanOptions.builder().services(List.of("redis")).build();
    compose.up(project(), onlyRedis);
    assertEquals(before, listedAddresses(), "web keeps running with its address");
    assertEquals(before, hostsFile(), "the hosts file still names web");

    PlanOptions webNoDeps =
        PlanOptions.builder().services(List.of("web")).dependencies(false).build();
    compose.up(project(), webNoDeps);
    assertEquals(before, listedAddresses(), "web keeps its address, not redis's");
    assertEquals(before, hostsFile(), "the hosts file still names redis");
    assertTrue(Optional.ofNullable(before.get("shop-web-1")).isPresent());
  }
}
