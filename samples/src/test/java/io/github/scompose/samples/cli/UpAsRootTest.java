package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.Lease;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.testkit.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as root on the fake runtime (facts made root through {@link CliRuntime#factsOverride},
 * whatever the real effective uid): {@code up} plans a bridge, says so in one line, and takes
 * addresses from the per-user lease file, so a second project gets other addresses (before the
 * default wiring, the second {@code up} failed with "requested IP address 10.22.0.2 is not
 * available").
 */
class UpAsRootTest {

  @TempDir Path temp;
  private Path leases;

  @BeforeEach
  void rootOnTheFake() {
    leases = temp.resolve("state/scompose/leases.json");
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
    System.setProperty(ComposeWiring.LEASE_FILE_PROPERTY, leases.toString());
    CliRuntime.factsOverride = f -> f.withRoot(true).withFakerootAllowed(false);
  }

  @AfterEach
  void reset() {
    CliRuntime.factsOverride = UnaryOperator.identity();
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    System.clearProperty(ComposeWiring.LEASE_FILE_PROPERTY);
    Path state = temp.resolve("fake");
    if (Files.isDirectory(state)) {
      FakeRuntime.builder().stateDirectory(state).build().close();
    }
  }

  private Path project(String name) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(name));
    Files.writeString(
        dir.resolve("docker-compose.yml"),
        "name: "
            + name
            + "\nservices:\n"
            + "  web:\n"
            + "    image: docker://nginx:1.27\n"
            + "    depends_on: [db]\n"
            + "  db:\n"
            + "    image: docker://redis:7-alpine\n");
    return dir;
  }

  private static ScomposeCommandTest.Run ok(Path dir, String... command) {
    String[] args = new String[command.length + 4];
    args[0] = "--runtime";
    args[1] = "fake";
    args[2] = "--project-directory";
    args[3] = dir.toString();
    System.arraycopy(command, 0, args, 4, command.length);
    ScomposeCommandTest.Run r = ScomposeCommandTest.run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  @Test
  void twoProjectsUpOneAfterTheOtherOnTheBridgeGetDistinctLeasedAddresses() throws Exception {
    Path one = project("one");
    Path two = project("two");

    ScomposeCommandTest.Run up = ok(one, "up", "-d");
    List<String> network = up.err().lines().filter(l -> l.startsWith("network: ")).toList();
    assertEquals(
        List.of(
            "network: bridge (no network mode requested, running as root: bridge network"
                + " 'bridge')"),
        network,
        "one line on the mode and its reason\n" + up.err());
    assertTrue(Files.isRegularFile(leases), "the lease file is written: " + leases);

    ok(two, "up", "-d");
    List<Lease> held = LeaseStore.open(leases).leases();
    assertEquals(
        Set.of("one", "two"),
        new HashSet<>(held.stream().map(Lease::project).toList()),
        held.toString());
    List<IpAddress> addresses = held.stream().map(Lease::address).toList();
    assertEquals(4, addresses.size(), held.toString());
    assertEquals(4, new HashSet<>(addresses).size(), "every address distinct: " + addresses);
    String ps = ok(two, "ps", "--format", "json").out();
    for (Lease l : held.stream().filter(x -> x.project().equals("two")).toList()) {
      assertTrue(ps.contains(l.address().toString()), l + " listed by ps:\n" + ps);
    }

    ok(one, "down");
    assertFalse(
        LeaseStore.open(leases).leases().stream().anyMatch(l -> l.project().equals("one")),
        "down releases the project's leases");
    ok(two, "down");
    assertEquals(List.of(), LeaseStore.open(leases).leases());
  }

  @Test
  void aDryRunPrintsTheNetworkLineOnStderrAndKeepsNoLease() throws Exception {
    Path one = project("one");
    ScomposeCommandTest.Run dry = ok(one, "up", "--dry-run");
    assertTrue(
        dry.err().contains("network: bridge (no network mode requested, running as root"),
        dry.err());
    assertFalse(dry.out().contains("network: "), "stdout holds only the command lines");
    assertTrue(dry.out().contains("--net --network bridge"), dry.out());
    assertEquals(List.of(), LeaseStore.open(leases).leases(), "a dry run keeps no lease");
  }

  @Test
  void aPartialUpKeepsTheOtherServiceAddressAndHostsLine() throws Exception {
    Path one = project("one");
    ok(one, "up", "-d");
    Set<Lease> before = new HashSet<>(LeaseStore.open(leases).leases());
    Path hosts = one.resolve(".scompose/etc.hosts");
    String full = Files.readString(hosts);
    for (Lease l : before) {
      assertTrue(full.contains(l.address() + "\t" + l.instance()), l + " in\n" + full);
    }

    ok(one, "up", "-d", "db");
    ok(one, "up", "-d", "--no-deps", "web");
    Set<String> held = new HashSet<>();
    LeaseStore.open(leases).leases().forEach(l -> held.add(l.instance() + "=" + l.address()));
    Set<String> was = new HashSet<>();
    before.forEach(l -> was.add(l.instance() + "=" + l.address()));
    assertEquals(was, held, "a partial up hands out no address again");
    String after = Files.readString(hosts);
    for (Lease l : before) {
      assertTrue(
          after.contains(l.address() + "\t" + l.instance()),
          "a partial up keeps every instance in the hosts file: " + l + " in\n" + after);
    }
    ok(one, "down");
  }
}
