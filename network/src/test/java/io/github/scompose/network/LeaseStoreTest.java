package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseStoreTest {

  @TempDir Path dir;

  private static final AddressAllocator BRIDGE = AddressAllocator.of(Cidr.parse("10.22.0.0/16"));
  private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

  private static List<String> ips(Map<String, IpAddress> m) {
    return m.values().stream().map(IpAddress::toString).toList();
  }

  @Test
  void twoProjectsGetDistinctAddressesAndRerunsKeepTheirs() {
    LeaseStore store = LeaseStore.open(dir.resolve("state/leases.json"));
    Map<String, IpAddress> a =
        store.lease("alpha", BRIDGE, List.of("web1", "db1"), Set.of(), LeaseLiveness.assumeAlive());
    Map<String, IpAddress> b =
        store.lease("beta", BRIDGE, List.of("web1", "db1"), Set.of(), LeaseLiveness.assumeAlive());
    assertEquals(List.of("10.22.0.2", "10.22.0.3"), ips(a));
    assertEquals(List.of("10.22.0.4", "10.22.0.5"), ips(b));
    // re-running alpha with one more instance keeps the old addresses
    Map<String, IpAddress> again =
        store.lease(
            "alpha",
            BRIDGE,
            List.of("cache1", "web1", "db1"),
            Set.of(),
            LeaseLiveness.assumeAlive());
    assertEquals(List.of("10.22.0.6", "10.22.0.2", "10.22.0.3"), ips(again));
    assertEquals(5, store.leases().size());
  }

  @Test
  void addressesSeenInUseAreSkipped() {
    LeaseStore store = LeaseStore.open(dir.resolve("leases.json"));
    Map<String, IpAddress> a =
        store.lease(
            "p", BRIDGE, List.of("web1"), Set.of(IpAddress.parse("10.22.0.2")), lease -> true);
    assertEquals(List.of("10.22.0.3"), ips(a));
  }

  @Test
  void releaseDropsAProjectsLeases() {
    LeaseStore store = LeaseStore.open(dir.resolve("leases.json"));
    store.lease("alpha", BRIDGE, List.of("web1", "db1"), Set.of(), lease -> true);
    store.lease("beta", BRIDGE, List.of("web1"), Set.of(), lease -> true);
    assertEquals(2, store.release("alpha"));
    assertEquals(0, store.release("alpha"));
    assertTrue(store.release("beta", "web1"));
    assertEquals(List.of(), store.leases());
    // freed addresses are handed out again
    assertEquals(
        List.of("10.22.0.2"), ips(store.lease("gamma", BRIDGE, List.of("x"), Set.of(), l -> true)));
  }

  @Test
  void staleLeasesOfOtherProjectsAreReclaimedAfterTheGrace() {
    Path file = dir.resolve("leases.json");
    LeaseStore atT0 = LeaseStore.open(file).withClock(Clock.fixed(T0, ZoneOffset.UTC));
    atT0.lease("crashed", BRIDGE, List.of("web1"), Set.of(), l -> true);
    List<Lease> asked = new ArrayList<>();
    LeaseLiveness nothingRuns =
        lease -> {
          asked.add(lease);
          return false;
        };
    // within the grace: the crashed project's lease is kept (its instance may still be starting)
    LeaseStore soon =
        LeaseStore.open(file).withClock(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
    assertEquals(
        List.of("10.22.0.3"),
        ips(soon.lease("next", BRIDGE, List.of("web1"), Set.of(), nothingRuns)));
    assertEquals(List.of(), asked, "not even asked within the grace");
    // after the grace: reclaimed, the address is free again
    LeaseStore later =
        LeaseStore.open(file)
            .withClock(Clock.fixed(T0.plus(Duration.ofSeconds(150)), ZoneOffset.UTC));
    assertEquals(
        List.of("10.22.0.2"),
        ips(later.lease("third", BRIDGE, List.of("web1"), Set.of(), nothingRuns)));
    assertEquals(1, asked.size(), "asked about the other projects' old leases only: " + asked);
    assertEquals("crashed", asked.get(0).project());
    assertEquals(Set.of("next", "third"), projects(later.leases()));
  }

  @Test
  void reclaimStaleDropsDeadLeasesOnly() {
    Path file = dir.resolve("leases.json");
    LeaseStore store =
        LeaseStore.open(file)
            .withClock(Clock.fixed(T0, ZoneOffset.UTC))
            .withReclaimGrace(Duration.ZERO);
    store.lease("alive", BRIDGE, List.of("a"), Set.of(), l -> true);
    store.lease("dead", BRIDGE, List.of("b"), Set.of(), l -> true);
    List<Lease> dropped = store.reclaimStale(l -> l.project().equals("alive"));
    assertEquals(List.of("dead"), dropped.stream().map(Lease::project).toList());
    assertEquals(Set.of("alive"), projects(store.leases()));
  }

  private static Set<String> projects(List<Lease> leases) {
    Set<String> s = new HashSet<>();
    leases.forEach(l -> s.add(l.project()));
    return s;
  }

  @Test
  void exhaustionLeavesTheFileUnchanged() throws Exception {
    Path file = dir.resolve("leases.json");
    LeaseStore store = LeaseStore.open(file);
    AddressAllocator small = AddressAllocator.of(Cidr.parse("10.9.0.0/29"));
    store.lease("a", small, List.of("1", "2", "3"), Set.of(), l -> true);
    byte[] before = Files.readAllBytes(file);
    AddressExhaustedException e =
        assertThrows(
            AddressExhaustedException.class,
            () -> store.lease("b", small, List.of("1", "2", "3"), Set.of(), l -> true));
    assertEquals(
        "10.9.0.0/29 has 2 free host addresses, 3 requested (network, broadcast, gateway 10.9.0.1"
            + " and 3 taken addresses excluded)",
        e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void corruptFileIsNeverOverwrittenAndIsBackedUp() throws Exception {
    Path file = dir.resolve("leases.json");
    String garbage = "{\"format\": \"scompose-leases\", \"version\": 1, \"leases\": [ {\"proj";
    Files.writeString(file, garbage);
    LeaseStore store = LeaseStore.open(file);
    LeaseFileException e =
        assertThrows(
            LeaseFileException.class,
            () -> store.lease("p", BRIDGE, List.of("web1"), Set.of(), l -> true));
    assertTrue(
        e.getMessage().startsWith("lease file " + file + ": not valid JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1, column"), e.getMessage());
    Path bak = dir.resolve("leases.json.bak");
    assertEquals(bak, e.backup().orElseThrow());
    assertEquals(garbage, Files.readString(file), "left untouched");
    assertEquals(garbage, Files.readString(bak));
    // a second failure reuses the identical backup instead of piling up copies
    assertThrows(LeaseFileException.class, store::leases);
    assertTrue(Files.notExists(dir.resolve("leases.json.bak.1")));
    // recovery is explicit
    assertEquals(Set.of(bak), Set.of(store.recover().orElseThrow()));
    assertEquals(List.of(), store.leases());
    assertEquals(garbage, Files.readString(bak));
  }

  @Test
  void foreignVersionIsRefusedWithAClearMessage() throws Exception {
    Path file = dir.resolve("leases.json");
    String v2 = "{\"format\": \"scompose-leases\", \"version\": 2, \"leases\": []}\n";
    Files.writeString(file, v2);
    LeaseFileException e =
        assertThrows(LeaseFileException.class, () -> LeaseStore.open(file).release("x"));
    assertTrue(
        e.getMessage().contains("lease file version 2 is not the version this library reads (1)"),
        e.getMessage());
    assertEquals(v2, Files.readString(file));
    Files.writeString(file, "{\"something\": \"else\"}");
    e = assertThrows(LeaseFileException.class, () -> LeaseStore.open(file).leases());
    assertTrue(e.getMessage().contains("not a scompose lease file"), e.getMessage());
    assertEquals(dir.resolve("leases.json.bak.1"), e.backup().orElseThrow(), "older backup kept");
  }

  @Test
  void fileIsReadableJsonWithTheDocumentedShape() throws Exception {
    Path file = dir.resolve("leases.json");
    LeaseStore.open(file)
        .withClock(Clock.fixed(T0, ZoneOffset.UTC))
        .lease(
            "demo",
            AddressAllocator.of(Cidr.parse("fd00:22::/64")),
            List.of("web1"),
            Set.of(),
            l -> true);
    assertEquals(
        """
        {
          "format": "scompose-leases",
          "version": 1,
          "leases": [
            {
              "project": "demo",
              "instance": "web1",
              "cidr": "fd00:22::/64",
              "address": "fd00:22::2",
              "leasedAt": "2026-11-21T12:00:00Z"
            }
          ]
        }
        """,
        Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void defaultFileFollowsXdgStateHome() {
    assertEquals(
        Path.of("/xdg/state/scompose/leases.json"),
        LeaseStore.defaultFile(Map.of("XDG_STATE_HOME", "/xdg/state"), "/home/u"));
    assertEquals(
        Path.of("/home/u/.local/state/scompose/leases.json"),
        LeaseStore.defaultFile(Map.of(), "/home/u"));
    assertEquals(
        Path.of("/home/u/.local/state/scompose/leases.json"),
        LeaseStore.defaultFile(Map.of("XDG_STATE_HOME", "relative/dir"), "/home/u"),
        "a relative XDG_STATE_HOME is ignored, as the XDG spec says");
  }

  @Test
  void threadsOfOneJvmAlsoNeverShareAnAddress() throws Exception {
    Path file = dir.resolve("leases.json");
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Map<String, IpAddress>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        String project = "t" + t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return LeaseStore.open(file)
                      .lease(project, BRIDGE, List.of("a", "b", "c"), Set.of(), l -> true);
                }));
      }
      start.countDown();
      Set<IpAddress> all = new HashSet<>();
      for (Future<Map<String, IpAddress>> f : results) {
        for (IpAddress a : f.get().values()) {
          assertTrue(all.add(a), "duplicate " + a);
        }
      }
      assertEquals(threads * 3, LeaseStore.open(file).leases().size());
    } finally {
      pool.shutdownNow();
    }
  }
}
