package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PortPublicationTest {

  @Test
  void parsesTheComposeShortSyntax() {
    assertEquals("80/tcp", PortPublication.parse("80").toString());
    assertEquals("8080:80/tcp", PortPublication.parse("8080:80").toString());
    assertEquals(
        "127.0.0.1:8080:80/udp", PortPublication.parse("127.0.0.1:8080:80/udp").toString());
    assertEquals("127.0.0.1::80/tcp", PortPublication.parse("127.0.0.1::80").toString());
    assertEquals("[::1]:8080:80/tcp", PortPublication.parse("[::1]:8080:80").toString());
    assertEquals(
        "9000-9002:8000-8002/tcp", PortPublication.parse("9000-9002:8000-8002").toString());
    for (String bad : new String[] {"0", "70000", "80/sctp", "1:2:3:4", "9000-9001:80", "x:80"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PortPublication.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("port '" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void portmapArgumentsExpandRanges() {
    // recorded from SingularityCE 3.4.2: --network-args portmap=8080:80/tcp
    assertEquals(
        List.of("portmap=8080:80/tcp"),
        PortPublication.portmapArgs(PortRange.single(8080), PortRange.single(80), Protocol.TCP));
    assertEquals(
        List.of("portmap=9000:8000/udp", "portmap=9001:8001/udp", "portmap=9002:8002/udp"),
        PortPublication.portmapArgs(
            PortRange.parse("9000-9002"), PortRange.parse("8000-8002"), Protocol.UDP));
  }

  @Property(tries = 300)
  void parseOfToStringIsIdentity(
      @ForAll @IntRange(min = 1, max = 60000) int host,
      @ForAll @IntRange(min = 1, max = 60000) int container,
      @ForAll @IntRange(min = 0, max = 5) int extra,
      @ForAll boolean udp) {
    PortPublication p =
        PortPublication.builder()
            .hostPorts(PortRange.of(host, host + extra))
            .containerPorts(PortRange.of(container, container + extra))
            .protocol(udp ? Protocol.UDP : Protocol.TCP)
            .build();
    assertEquals(p, PortPublication.parse(p.toString()));
    assertEquals(
        extra + 1,
        PortPublication.portmapArgs(p.hostPorts().get(), p.containerPorts(), p.protocol()).size());
  }

  @Test
  void systemHostPortsSeesABoundPortAndFindsFreeOnes() throws IOException {
    HostPorts ports = HostPorts.system();
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      assertEquals(false, ports.isFree(Protocol.TCP, Optional.empty(), port));
      int free = ports.findFree(Protocol.TCP, Optional.empty(), Set.of(port));
      assertTrue(free != port && free > 0 && free <= 65535);
      assertTrue(ports.isFree(Protocol.TCP, Optional.empty(), free));
    }
  }
}
