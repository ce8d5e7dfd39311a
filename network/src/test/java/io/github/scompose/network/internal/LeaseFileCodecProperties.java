package io.github.scompose.network.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.network.Cidr;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.Lease;
import io.github.scompose.network.Protocol;
import io.github.scompose.network.PublishedPort;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LeaseFileCodecProperties {

  @Provide
  Arbitrary<List<Lease>> leaseLists() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12);
    Arbitrary<IpAddress> address =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 0xFFFF).map(i -> IpAddress.ipv4(0x0A160000 | i)),
            Arbitraries.longs().map(l -> IpAddress.ipv6(0xfd00002200000000L, l)));
    Arbitrary<Instant> when =
        Arbitraries.longs().between(0, 4_000_000_000L).map(s -> Instant.ofEpochSecond(s, 0));
    Arbitrary<List<io.github.scompose.network.PublishedPort>> ports =
        Combinators.combine(
                Arbitraries.integers().between(1, 65535),
                Arbitraries.integers().between(1, 65535),
                Arbitraries.of(Protocol.class))
            .as(
                (h, c, p) ->
                    (io.github.scompose.network.PublishedPort)
                        PublishedPort.builder().hostPort(h).containerPort(c).protocol(p).build())
            .list()
            .ofMaxSize(3);
    Arbitrary<Lease> lease =
        Combinators.combine(text, text, address, when, ports)
            .as(
                (p, i, a, t, ps) ->
                    Lease.builder()
                        .project(p)
                        .instance(i)
                        .cidr(Cidr.parse(a.isIpv6() ? "fd00:22::/64" : "10.22.0.0/16"))
                        .address(a)
                        .leasedAt(t)
                        .ports(ps)
                        .build());
    return lease.list().ofMaxSize(20);
  }

  @Property(tries = 300)
  void encodeThenDecodeGivesTheSameLeases(@ForAll("leaseLists") List<Lease> leases)
      throws Exception {
    String text = LeaseFileCodec.encode(leases);
    assertEquals(leases, LeaseFileCodec.decode(text));
  }

  @Example
  void badContentIsDescribed() {
    String[][] cases = {
      {"[]", "not a scompose lease file"},
      {"{\"format\":\"scompose-leases\",\"version\":\"1\",\"leases\":[]}", "version 1 is not"},
      {"{\"format\":\"scompose-leases\",\"version\":1}", "\"leases\" is missing"},
      {
        "{\"format\":\"scompose-leases\",\"version\":1,\"leases\":[{\"project\":\"p\"}]}",
        "leases[0].instance is missing"
      },
      {
        "{\"format\":\"scompose-leases\",\"version\":1,\"leases\":[{\"project\":\"p\","
            + "\"instance\":\"i\",\"cidr\":\"10.22.0.0/16\",\"address\":\"10.22.0.300\","
            + "\"leasedAt\":\"2026-11-21T12:00:00Z\"}]}",
        "leases[0]: invalid IP address '10.22.0.300'"
      },
    };
    for (String[] c : cases) {
      LeaseFileCodec.BadContent e =
          assertThrows(LeaseFileCodec.BadContent.class, () -> LeaseFileCodec.decode(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }
}
