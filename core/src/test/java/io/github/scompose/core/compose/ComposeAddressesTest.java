package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.network.LeaseStore;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bridge addresses across plans: {@code up} again keeps the addresses of the project's own
 * instances (so nothing is recreated), and a stopped instance keeps its lease against another
 * project; on {@link ComposeOpsRuntime}, as root (bridge).
 */
class ComposeAddressesTest extends EngineFixture<ComposeOpsRuntime> {

  ComposeAddressesTest() {
    super(new ComposeOpsRuntime(), true);
  }

  ComposeProject project(String name, Path directory) {
    return ComposeProject.builder()
        .name(name)
        .directory(directory)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(
            ComposeOpsTest.svc("db"),
            ComposeOpsTest.svc("app", "db"),
            ComposeOpsTest.svc("web", "app").withReplicas(2))
        .build();
  }

  long kept() {
    return events.stream().filter(e -> e.message().equals("running and unchanged: kept")).count();
  }

  @Test
  void upTwiceOnABridgeKeepsTheAddressesAndRestartsNothing() throws Exception {
    Compose compose = engine().build();
    ComposeProject p = project("shop", dir);
    compose.up(p);
    Map<String, String> ips = Map.copyOf(runtime.ips);
    assertEquals(4, ips.size());
    String hosts = Files.readString(dir.resolve(".scompose/etc.hosts"));

    ComposeStack again = compose.up(p);
    assertEquals(
        Map.of("shop-db-1", 1, "shop-app-1", 1, "shop-web-1", 1, "shop-web-2", 1),
        Map.copyOf(runtime.startCalls),
        "nothing restarted");
    assertEquals(4, kept());
    assertEquals(ips, runtime.ips);
    assertEquals(hosts, Files.readString(dir.resolve(".scompose/etc.hosts")));
    assertEquals(
        ips.get("shop-app-1"),
        again.ps().stream()
            .filter(i -> i.name().equals("shop-app-1"))
            .findFirst()
            .orElseThrow()
            .ip()
            .orElseThrow());
    again.down();
  }

  @Test
  void deadInstancesStartAgainWithTheirRecordedAddresses() {
    // another project's instance holds 10.22.0.2 during the first up
    runtime.running.put("other-x-1", 1L);
    runtime.ips.put("other-x-1", "10.22.0.2");
    Compose compose = engine().build();
    ComposeProject p = project("shop", dir);
    compose.up(p);
    Map<String, String> ips = new java.util.HashMap<>(runtime.ips);
    ips.remove("other-x-1");
    assertTrue(!ips.containsValue("10.22.0.2"));
    // everything died (e.g. the host rebooted); the state file remains
    runtime.running.clear();
    runtime.ips.clear();
    compose.up(p);
    assertEquals(ips, Map.copyOf(runtime.ips), "not renumbered into the freed 10.22.0.2");
  }

  @Test
  void aStoppedInstanceKeepsItsLeaseAgainstAnotherProject() throws Exception {
    LeaseStore leases = LeaseStore.open(dir.resolve("leases.json")).withReclaimGrace(Duration.ZERO);
    Compose compose = engine().leases(leases).build();
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    ComposeStack shop = compose.up(project("shop", a));
    Map<String, String> shopIps = Map.copyOf(runtime.ips);
    shop.stop();
    assertTrue(runtime.running.isEmpty());

    ComposeStack other = compose.up(project("other", b));
    for (Map.Entry<String, String> e : runtime.ips.entrySet()) {
      if (e.getKey().startsWith("other-")) {
        assertTrue(
            !shopIps.containsValue(e.getValue()),
            e.getKey() + " got " + e.getValue() + ", an address of a stopped shop instance");
      }
    }
    assertEquals(8, leases.leases().size());
    List<String> started = shop.start();
    assertEquals(4, started.size());
    for (String name : shopIps.keySet()) {
      assertEquals(shopIps.get(name), runtime.ips.get(name));
    }
    shop.down();
    assertEquals(4, leases.leases().size());
    other.down();
    assertTrue(leases.leases().isEmpty());
    assertNotEquals(List.of(), runtime.stopOrder);
  }
}
