package io.github.scompose.core.compose;

import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine the compose engine tests drive: a stub {@code runtime} as the transport of a
 * SingularityCE 3.4.2 client, a manual clock, a pool stopped after each test, and the events it
 * emits. On a root engine instances get bridge addresses, supervision runs without delay and no
 * host port is checked.
 */
abstract class EngineFixture<R extends Transport> {

  @TempDir Path dir;
  final R runtime;
  final List<ComposeEvent> events = Collections.synchronizedList(new ArrayList<>());
  final ExecutorService pool = Executors.newCachedThreadPool();
  final ComposeEngineTest.ManualClock clock = new ComposeEngineTest.ManualClock();
  private final boolean root;

  /** A fixture on {@code runtime}; {@code root} as the class comment says. */
  EngineFixture(R runtime, boolean root) {
    this.runtime = runtime;
    this.root = root;
  }

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  SingularityClient client() {
    return SingularityClient.builder()
        .transport(runtime)
        .binary(ReferenceToolUpPlanTest.V342)
        .hostIdentity(HostIdentity.of("/home/u", "host", "u"))
        .clock(clock)
        .sleeper(clock::sleep)
        .build();
  }

  Compose.Builder engine() {
    Compose.Builder b = Compose.builder().client(client());
    if (root) {
      b.facts(
          RuntimeFacts.builder()
              .dialect(ReferenceToolUpPlanTest.V342.dialect())
              .root(true)
              .build());
    }
    b.executor(pool)
        .parallelism(8)
        .listener(events::add)
        .clock(clock)
        .sleeper(clock::sleep)
        .goneWait(Duration.ofSeconds(5));
    if (root) {
      return b.supervisionInterval(Duration.ZERO)
          .networkPlanner(NetworkPlanner.create().withHostPorts(new ComposeEngineTest.NoPorts()));
    }
    return b.networkPlanner(NetworkPlanner.create());
  }

  /** Project "shop" in {@code dir}, in the singularity-compose 2.0 format. */
  ComposeProject project(ServiceSpec... services) {
    return ComposeProject.builder()
        .name("shop")
        .directory(dir)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(services)
        .build();
  }

  static ServiceSpec svc(String name, String... deps) {
    return UpPlannerTest.service(name, deps);
  }
}
