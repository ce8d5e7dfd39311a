package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of the hosts file (expected texts in src/test/resources/hosts) and its round trip.
 */
class HostsFileTest {

  static String golden(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            HostsFileTest.class.getResourceAsStream("/hosts/" + name), "golden file " + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void ipv4BridgeFirstInstanceGetsDotTwoAndFirstReplicasTheServiceAlias() throws IOException {
    List<String> order = List.of("web1", "web2", "db1", "cache1");
    var ips = AddressAllocator.of(Cidr.parse("10.22.0.0/16")).allocate(order, List.of());
    HostsFile f =
        HostsFile.forProject(
            List.of(
                InstanceAddress.of("web", "web1", ips.get("web1")),
                InstanceAddress.builder()
                    .service("web")
                    .instance("web2")
                    .replica(2)
                    .address(ips.get("web2"))
                    .build(),
                InstanceAddress.of("db", "db1", ips.get("db1")),
                InstanceAddress.of("cache", "cache1", ips.get("cache1"))),
            List.of(
                HostsEntry.of(IpAddress.parse("192.0.2.10"), "registry.example.org", "registry"),
                HostsEntry.parseExtraHost("web=203.0.113.9")));
    assertEquals(golden("bridge-ipv4.hosts"), f.render());
    assertEquals(f, HostsFile.parse(f.render()));
  }

  @Test
  void ipv6Bridge() throws IOException {
    var ips =
        AddressAllocator.of(Cidr.parse("fd00:22::/64")).allocate(List.of("app1", "db1"), List.of());
    HostsFile f =
        HostsFile.forProject(
            List.of(
                InstanceAddress.of("app", "app1", ips.get("app1")),
                InstanceAddress.of("db", "db1", ips.get("db1"))),
            List.of());
    assertEquals(golden("bridge-ipv6.hosts"), f.render());
  }

  @Test
  void readsTheReferenceToolsFileAndSingularityCesRecordedFile() {
    // singularity-compose 0.1.19's etc.hosts (tab-separated, a comment, a blank line)
    String reference =
        "10.22.0.4\tcache1\n10.22.0.3\tdb1\n10.22.0.2\tweb1\n127.0.0.1\tlocalhost\n\n"
            + "# The following lines are desirable for IPv6 capable hosts\n"
            + "::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\n"
            + "ff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n";
    HostsFile parsed = HostsFile.parse(reference);
    assertEquals(9, parsed.entries().size());
    assertEquals(HostsEntry.of(IpAddress.parse("fe00::"), "ip6-localnet"), parsed.entries().get(5));
    // recorded from SingularityCE 3.4.2: cat /etc/hosts inside instance app
    HostsFile recorded = HostsFile.parse("127.0.0.1 localhost\n10.22.0.2 app\n10.22.0.3 app2\n");
    assertEquals(
        List.of("127.0.0.1\tlocalhost", "10.22.0.2\tapp", "10.22.0.3\tapp2"),
        recorded.render().lines().toList());
  }

  @Test
  void badLinesNameTheirNumber() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HostsFile.parse("127.0.0.1 localhost\n10.0.0.x web\n"));
    assertEquals(
        "hosts file line 2: invalid IP address '10.0.0.x': 'x' is not a number", e.getMessage());
    assertEquals(
        "hosts file line 1: an address needs at least one name",
        assertThrows(IllegalArgumentException.class, () -> HostsFile.parse("10.0.0.1   # web\n"))
            .getMessage());
  }

  @Test
  void extraHostsSyntax() {
    assertEquals(
        HostsEntry.of(IpAddress.parse("162.242.195.82"), "somehost"),
        HostsEntry.parseExtraHost("somehost:162.242.195.82"));
    assertEquals(
        HostsEntry.of(IpAddress.parse("::1"), "myhostv6"),
        HostsEntry.parseExtraHost("myhostv6:::1"));
    assertEquals(
        HostsEntry.of(IpAddress.parse("::1"), "myhostv6"),
        HostsEntry.parseExtraHost("myhostv6=[::1]"));
    assertThrows(IllegalArgumentException.class, () -> HostsEntry.parseExtraHost("nohost"));
  }

  @Provide
  Arbitrary<HostsFile> files() {
    Arbitrary<IpAddress> v4 = Arbitraries.integers().map(IpAddress::ipv4);
    Arbitrary<IpAddress> v6 =
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(IpAddress::ipv6);
    Arbitrary<String> name =
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyz0123456789-._")
            .ofMinLength(1)
            .ofMaxLength(20);
    Arbitrary<HostsEntry> entry =
        Combinators.combine(Arbitraries.oneOf(v4, v6), name.list().ofMinSize(1).ofMaxSize(4))
            .as((a, n) -> HostsEntry.builder().address(a).hostnames(n).build());
    return entry.list().ofMaxSize(30).map(l -> HostsFile.builder().entries(l).build());
  }

  @Property(tries = 300)
  void renderThenParseIsIdentity(@ForAll("files") HostsFile file) {
    assertEquals(file, HostsFile.parse(file.render()));
  }

  @Provide
  Arbitrary<List<InstanceAddress>> projects() {
    Arbitrary<String> service = Arbitraries.of("web", "db", "cache", "api", "web1");
    return Combinators.combine(service, Arbitraries.integers().between(1, 3))
        .as((svc, replicas) -> List.of(svc, "" + replicas))
        .list()
        .ofMaxSize(6)
        .map(
            specs -> {
              List<InstanceAddress> out = new java.util.ArrayList<>();
              java.util.Set<String> seen = new java.util.HashSet<>();
              int host = 2;
              for (List<String> spec : specs) {
                for (int r = 1; r <= Integer.parseInt(spec.get(1)); r++) {
                  String name = spec.get(0) + r;
                  if (seen.add(name)) {
                    out.add(
                        InstanceAddress.builder()
                            .service(spec.get(0))
                            .instance(name)
                            .replica(r)
                            .address(IpAddress.ipv4(0x0A160000 + host++))
                            .build());
                  }
                }
              }
              return out;
            });
  }

  @Property(tries = 300)
  void everyInstanceResolvesToItsAddressAndEveryNameIsWrittenOnce(
      @ForAll("projects") List<InstanceAddress> instances) {
    HostsFile f = HostsFile.forProject(instances, List.of());
    java.util.Map<String, IpAddress> firstMatch = new java.util.HashMap<>();
    List<String> allNames = new java.util.ArrayList<>();
    for (HostsEntry e : f.entries()) {
      for (String n : e.hostnames()) {
        allNames.add(n);
        firstMatch.putIfAbsent(n, e.address());
      }
    }
    assertEquals(allNames.size(), new java.util.HashSet<>(allNames).size(), "each name once");
    for (InstanceAddress i : instances) {
      if (!i.instance().equals(i.service())) {
        // an instance name can only lose to an earlier first-replica alias of the same text
        IpAddress got = firstMatch.get(i.instance());
        boolean shadowed =
            instances.stream()
                .anyMatch(o -> o.replica() == 1 && o.service().equals(i.instance()) && o != i);
        if (!shadowed) {
          assertEquals(i.address(), got, i.instance());
        }
      }
    }
    assertEquals(IpAddress.parse("127.0.0.1"), firstMatch.get("localhost"));
    assertEquals(f, HostsFile.parse(f.render()));
  }
}
