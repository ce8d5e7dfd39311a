package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * As root on the bridge, a plan avoids the addresses the binary's CNI has handed to instances that
 * no listing shows (another tool's, e.g. singularity-compose's fixed 10.22.0.2...): the files of
 * {@code /var/lib/cni/networks/bridge}, one per address (recorded from SingularityCE 3.4.2).
 */
class CniLeasesPlanTest extends EngineFixture<RecordingTransport> {

  CniLeasesPlanTest() {
    super(new RecordingTransport(), false);
  }

  private Compose engine(boolean root) {
    return engine()
        .facts(
            RuntimeFacts.builder()
                .dialect(ReferenceToolUpPlanTest.V342.dialect())
                .root(root)
                .build())
        .leases(LeaseStore.open(dir.resolve("leases").resolve("leases.json")))
        .networkPlanner(NetworkPlanner.create().withHostPorts(new ComposeEngineTest.NoPorts()))
        .build();
  }

  private static List<String> addresses(UpPlan plan) {
    return plan.network().instances().stream()
        .map(i -> i.address().orElseThrow().toString())
        .sorted()
        .toList();
  }

  @Test
  void addressesTheCniLeasedToOtherInstancesAreNotPlanned() {
    runtime.hostStdout.put("ls", "10.22.0.2\n10.22.0.3\nlast_reserved_ip.0\nlock\n");

    UpPlan plan = engine(true).plan(project(svc("web"), svc("db", "web")));

    assertEquals(List.of("10.22.0.4", "10.22.0.5"), addresses(plan));
    assertTrue(
        runtime.argvs().contains(List.of("ls", "-1", "--", "/var/lib/cni/networks/bridge")),
        "the CNI's lease folder is read through the transport: " + runtime.argvs());
  }

  @Test
  void anUnreadableLeaseFolderChangesNothing() {
    runtime.hostExits.put("ls", 2); // ls: cannot access '/var/lib/cni/networks/bridge'

    UpPlan plan = engine(true).plan(project(svc("web"), svc("db", "web")));

    assertEquals(List.of("10.22.0.2", "10.22.0.3"), addresses(plan));
  }

  @Test
  void withoutRootTheFolderIsNotRead() {
    engine(false).plan(project(svc("web")));

    assertTrue(
        runtime.argvs().stream().noneMatch(a -> a.get(0).equals("ls")), runtime.argvs().toString());
  }
}
