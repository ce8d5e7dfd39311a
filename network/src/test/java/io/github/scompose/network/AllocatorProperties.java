package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class AllocatorProperties {

  record Case(Cidr cidr, int count, Set<IpAddress> taken) {}

  @Provide
  Arbitrary<Case> ipv4Cases() {
    Arbitrary<Integer> prefix = Arbitraries.integers().between(22, 30);
    Arbitrary<Integer> base = Arbitraries.integers();
    return Combinators.combine(prefix, base)
        .as((p, b) -> Cidr.of(maskV4(b, p), p))
        .flatMap(
            cidr -> {
              int size = cidr.size().intValueExact();
              Arbitrary<Set<IpAddress>> taken =
                  Arbitraries.integers()
                      .between(-4, size + 4)
                      .map(off -> IpAddress.ipv4((int) cidr.network().low() + off))
                      .set()
                      .ofMaxSize(Math.min(40, size));
              return Combinators.combine(
                      Arbitraries.integers().between(0, Math.min(size, 60)), taken)
                  .as((n, t) -> new Case(cidr, n, t));
            });
  }

  @Provide
  Arbitrary<Case> ipv6Cases() {
    Arbitrary<Integer> prefix = Arbitraries.integers().between(64, 126);
    Arbitrary<Long> hi = Arbitraries.longs();
    return Combinators.combine(prefix, hi, Arbitraries.longs())
        .as((p, h, l) -> Cidr.of(maskV6(h, l, p), p))
        .flatMap(
            cidr -> {
              Arbitrary<Set<IpAddress>> taken =
                  Arbitraries.integers()
                      .between(0, 70)
                      .map(off -> cidr.network().plus(off))
                      .filter(cidr::contains)
                      .set()
                      .ofMaxSize(20);
              int max = cidr.prefixLength() >= 120 ? (1 << (128 - cidr.prefixLength())) : 60;
              return Combinators.combine(
                      Arbitraries.integers().between(0, Math.min(max, 60)), taken)
                  .as((n, t) -> new Case(cidr, n, t));
            });
  }

  private static IpAddress maskV4(int bits, int prefix) {
    return IpAddress.ipv4(bits & (int) ((0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL));
  }

  private static IpAddress maskV6(long hi, long lo, int prefix) {
    long loMask = prefix == 128 ? -1L : -1L << (128 - prefix);
    return IpAddress.ipv6(hi, prefix <= 64 ? 0 : lo & loMask);
  }

  private static List<String> names(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "svc" + i).toList();
  }

  @Property(tries = 300)
  void ipv4AllocationsAreUniqueInsideAndNeverReserved(@ForAll("ipv4Cases") Case c) {
    checkAllocation(c);
  }

  @Property(tries = 300)
  void ipv6AllocationsAreUniqueInsideAndNeverReserved(@ForAll("ipv6Cases") Case c) {
    checkAllocation(c);
  }

  private static void checkAllocation(Case c) {
    AddressAllocator allocator = AddressAllocator.of(c.cidr());
    BigInteger free = expectedFree(c.cidr(), c.taken());
    if (free.compareTo(BigInteger.valueOf(c.count())) < 0) {
      AddressExhaustedException e =
          assertThrows(
              AddressExhaustedException.class,
              () -> allocator.allocate(names(c.count()), c.taken()));
      assertEquals(free, e.free());
      assertEquals(c.count(), e.requested());
      assertTrue(e.getMessage().contains(c.cidr().toString()), e.getMessage());
      return;
    }
    Map<String, IpAddress> got = allocator.allocate(names(c.count()), c.taken());
    assertEquals(names(c.count()), new ArrayList<>(got.keySet()), "order of the requested names");
    assertEquals(c.count(), new HashSet<>(got.values()).size(), "unique");
    for (IpAddress a : got.values()) {
      assertTrue(c.cidr().contains(a), a + " inside " + c.cidr());
      assertFalse(a.equals(c.cidr().network()), "never the network address");
      assertFalse(a.equals(allocator.gateway()), "never the gateway");
      assertFalse(c.cidr().broadcast().map(a::equals).orElse(false), "never the broadcast");
      assertFalse(c.taken().contains(a), "never a taken address");
    }
    assertEquals(got, allocator.allocate(names(c.count()), c.taken()), "deterministic");
    assertEquals(
        got,
        allocator.allocate(names(c.count()), reversed(c.taken())),
        "independent of the order of taken addresses");
  }

  private static List<IpAddress> reversed(Set<IpAddress> set) {
    List<IpAddress> l = new ArrayList<>(set);
    java.util.Collections.reverse(l);
    return l;
  }

  /** Brute-force count of host addresses that are neither gateway nor taken. */
  private static BigInteger expectedFree(Cidr cidr, Set<IpAddress> taken) {
    BigInteger hosts = cidr.size().subtract(BigInteger.valueOf(cidr.isIpv6() ? 1 : 2));
    hosts = hosts.max(BigInteger.ZERO);
    Set<IpAddress> blocked = new HashSet<>(taken);
    blocked.add(cidr.firstHost());
    long inRange =
        blocked.stream()
            .filter(cidr::contains)
            .filter(a -> !a.equals(cidr.network()))
            .filter(a -> cidr.broadcast().map(b -> !b.equals(a)).orElse(true))
            .count();
    return hosts.subtract(BigInteger.valueOf(inRange)).max(BigInteger.ZERO);
  }

  @Property(tries = 200)
  void firstAddressesAreConsecutiveAfterTheGateway(@ForAll @IntRange(min = 1, max = 200) int n) {
    Map<String, IpAddress> got =
        AddressAllocator.of(Cidr.parse("10.22.0.0/16")).allocate(names(n), Set.of());
    List<String> expected =
        IntStream.rangeClosed(2, n + 1)
            .mapToObj(i -> "10.22." + (i / 256) + "." + (i % 256))
            .toList();
    assertEquals(expected, got.values().stream().map(IpAddress::toString).toList());
  }

  @Example
  void slash29GivesExactlyFiveWithTheGatewayReserved() {
    AddressAllocator allocator = AddressAllocator.of(Cidr.parse("192.168.7.0/29"));
    Map<String, IpAddress> five = allocator.allocate(names(5), Set.of());
    assertEquals(
        "192.168.7.2 192.168.7.3 192.168.7.4 192.168.7.5 192.168.7.6",
        five.values().stream().map(IpAddress::toString).collect(Collectors.joining(" ")));
    AddressExhaustedException e =
        assertThrows(AddressExhaustedException.class, () -> allocator.allocate(names(6), Set.of()));
    assertEquals(
        "192.168.7.0/29 has 5 free host addresses, 6 requested (network, broadcast, gateway"
            + " 192.168.7.1 and 0 taken addresses excluded)",
        e.getMessage());
  }

  @Example
  void takenAddressesAreSkippedAndCounted() {
    AddressAllocator allocator = AddressAllocator.of(Cidr.parse("10.22.0.0/29"));
    Set<IpAddress> taken = Set.of(IpAddress.parse("10.22.0.2"), IpAddress.parse("10.22.0.4"));
    assertEquals(
        List.of("10.22.0.3", "10.22.0.5", "10.22.0.6"),
        allocator.allocate(names(3), taken).values().stream().map(Object::toString).toList());
    AddressExhaustedException e =
        assertThrows(AddressExhaustedException.class, () -> allocator.allocate(names(4), taken));
    assertEquals(BigInteger.valueOf(3), e.free());
    assertTrue(e.getMessage().contains("2 taken addresses"), e.getMessage());
  }

  @Example
  void ipv6FirstInstanceGetsTwo() {
    Map<String, IpAddress> got =
        AddressAllocator.of(Cidr.parse("fd00:22::/64")).allocate(names(2), Set.of());
    assertEquals(
        List.of("fd00:22::2", "fd00:22::3"), got.values().stream().map(Object::toString).toList());
  }

  @Example
  void configurableGatewayIsSkipped() {
    AddressAllocator allocator =
        AddressAllocator.builder()
            .cidr(Cidr.parse("10.0.0.0/29"))
            .gateway(IpAddress.parse("10.0.0.6"))
            .build();
    assertEquals(
        List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"),
        allocator.allocate(names(5), Set.of()).values().stream().map(Object::toString).toList());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AddressAllocator.builder()
                .cidr(Cidr.parse("10.0.0.0/29"))
                .gateway(IpAddress.parse("10.0.1.1"))
                .build());
  }

  @Example
  void repeatedNameIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AddressAllocator.of(Cidr.parse("10.0.0.0/24"))
                .allocate(List.of("a", "b", "a"), Set.of()));
  }

  /**
   * Preferred addresses: a name keeps its preferred address when it is a free host address not
   * claimed by an earlier name; every result stays distinct, inside and never reserved or taken.
   */
  @Property(tries = 300)
  void preferredAddressesAreKeptWhenFreeAndNeverBreakUniqueness(
      @ForAll("ipv4Cases") Case c, @ForAll @IntRange(min = -3, max = 40) int shift) {
    List<String> names = names(c.count());
    Map<String, IpAddress> preferred = new java.util.HashMap<>();
    for (int k = 0; k < names.size(); k += 2) {
      // every other name prefers some address near the network, possibly taken or outside
      preferred.put(names.get(k), IpAddress.ipv4((int) c.cidr().network().low() + shift + k / 2));
    }
    AddressAllocator plain = AddressAllocator.of(c.cidr());
    AddressAllocator allocator = plain.withPreferred(preferred);
    long free;
    try {
      plain.allocate(names, c.taken());
      free = 1;
    } catch (AddressExhaustedException e) {
      free = 0;
    }
    if (free == 0) {
      assertThrows(AddressExhaustedException.class, () -> allocator.allocate(names, c.taken()));
      return;
    }
    Map<String, IpAddress> got = allocator.allocate(names, c.taken());
    assertEquals(names, new ArrayList<>(got.keySet()));
    assertEquals(got.size(), new HashSet<>(got.values()).size(), "distinct");
    Set<IpAddress> claimed = new HashSet<>();
    for (String n : names) {
      IpAddress a = got.get(n);
      assertTrue(c.cidr().contains(a));
      assertFalse(c.taken().contains(a), a + " is taken");
      assertFalse(a.equals(plain.gateway()), "gateway");
      IpAddress p = preferred.get(n);
      if (p != null
          && c.cidr().contains(p)
          && !c.taken().contains(p)
          && !p.equals(plain.gateway())
          && !p.equals(c.cidr().network())
          && !java.util.Optional.of(p).equals(c.cidr().broadcast())
          && claimed.add(p)) {
        assertEquals(p, a, n + " keeps its free preferred address");
      }
    }
  }

  @Example
  void replanningWithTheRunningAddressesAsPreferredKeepsThem() {
    AddressAllocator allocator = AddressAllocator.of(Cidr.parse("10.22.0.0/16"));
    Map<String, IpAddress> first = allocator.allocate(names(3), Set.of());
    // another project took .9 since; our three run with their addresses
    Map<String, IpAddress> again =
        allocator
            .withPreferred(first)
            .allocate(names(4), Set.of(IpAddress.parse("10.22.0.9"), IpAddress.parse("10.22.0.5")));
    assertEquals(first.get(names(3).get(0)), again.get(names(3).get(0)));
    assertEquals(first.get(names(3).get(2)), again.get(names(3).get(2)));
    assertEquals(IpAddress.parse("10.22.0.6"), again.get(names(4).get(3)), "skips kept and taken");
  }
}
