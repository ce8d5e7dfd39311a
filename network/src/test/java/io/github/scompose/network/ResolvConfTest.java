package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {

  @TempDir Path dir;

  @Test
  void readsTheHostsOwnEntriesFromAnInjectablePath() throws IOException {
    Path file = dir.resolve("resolv.conf");
    Files.writeString(
        file,
        "# site resolver\n; old comment\nnameserver 10.1.0.53\nnameserver fe80::1%eth0\n"
            + "domain old.example\nsearch cluster.example.org example.org\noptions ndots:2 edns0\n"
            + "sortlist 130.155.160.0/255.255.240.0\n");
    ResolvConf r = ResolvConf.readHost(file, dir.resolve("absent"));
    assertEquals(List.of("10.1.0.53", "fe80::1%eth0"), r.nameservers());
    assertEquals(List.of("cluster.example.org", "example.org"), r.searchDomains());
    assertEquals(List.of("ndots:2", "edns0"), r.options());
    assertEquals(
        "nameserver 10.1.0.53\nnameserver fe80::1%eth0\nsearch cluster.example.org example.org\n"
            + "options ndots:2 edns0\n",
        r.render());
    assertEquals(r, ResolvConf.parse(r.render()));
  }

  @Test
  void loopbackOnlyStubIsReplacedByTheUpstreamServers() throws IOException {
    Path stub = dir.resolve("resolv.conf");
    Path upstream = dir.resolve("upstream.conf");
    Files.writeString(stub, "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n");
    Files.writeString(upstream, "nameserver 192.168.1.1\nnameserver 127.0.0.1\n");
    ResolvConf r = ResolvConf.readHost(stub, upstream);
    assertEquals(List.of("192.168.1.1"), r.nameservers());
    assertEquals(List.of("lan"), r.searchDomains());
    // without an upstream file the stub is kept as is
    assertEquals(List.of("127.0.0.53"), ResolvConf.readHost(stub, dir.resolve("no")).nameservers());
  }

  @Test
  void missingFileGivesEmptyConfiguration() {
    assertEquals(List.of(), ResolvConf.read(dir.resolve("missing")).nameservers());
  }
}
