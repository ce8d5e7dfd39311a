package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.LatencyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, {@code down} at the binary's floor: a real {@code instance stop} returns only when the
 * host's init has reaped the instance's dead monitor process, seconds after the instance and its
 * record are gone on a host whose init reaps on a tick. {@code down} ends when the records are
 * gone. Here the fake's stops wait an hour for the reaping (on the system clock): {@code down}
 * returns, with nothing listed, because it does not wait for them (the timeout only guards against
 * a hang).
 */
class DownBeforeReapingTest {

  @TempDir Path dir;
  final ExecutorService pool = Executors.newCachedThreadPool();
  FakeRuntime fake;

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  @Timeout(120)
  void downEndsWhenTheInstancesRecordsAreGoneNotWhenTheBinaryHasWaitedForTheReaping()
      throws Exception {
    LatencyModel reapsInAnHour =
        LatencyModel.none().toBuilder()
            .reapMin(Duration.ofHours(1))
            .reapMax(Duration.ofHours(1))
            .build();
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .anyImageExists()
            .latencyModel(reapsInAnHour)
            .build();
    SingularityClient client =
        SingularityClient.builder()
            .transport(fake.transport())
            .binary(
                SingularityBinary.of(
                    "singularity", BinaryVersion.parse("singularity version " + fake.version())))
            .hostIdentity(
                HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name")))
            .build();
    Compose compose =
        Compose.builder()
            .client(client)
            .executor(pool)
            .supervisionInterval(Duration.ZERO)
            .networkPlanner(
                NetworkPlanner.create().withHostPorts(new ComposeOnFakeRuntimeTest.AnyPort()))
            .build();
    compose.up(
        ComposeOnFakeRuntimeTest.project(
            "reap",
            dir,
            ComposeOnFakeRuntimeTest.svc("a"),
            ComposeOnFakeRuntimeTest.svc("b", "a")));
    assertEquals(2, fake.instances().size());

    assertEquals(2, compose.down(dir).size());

    assertEquals(List.of(), fake.instances(), "nothing is listed after down");
    assertTrue(client.list().isEmpty());
  }
}
