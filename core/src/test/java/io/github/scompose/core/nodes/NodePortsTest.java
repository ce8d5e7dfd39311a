package io.github.scompose.core.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.Protocol;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link NodePorts}: the kernel's socket tables, read through a transport. */
class NodePortsTest {

  static final String TCP =
      """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
         1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1
         2: 0B00000A:C350 0C00000A:0016 01 00000000:00000000 00:00000000 00000000     0        0 3 1
      """;

  @Test
  void listeningSocketsAreReadWithTheirAddress() {
    assertEquals(
        Set.of(new NodePorts.Bound("00000000", 80), new NodePorts.Bound("0100007F", 8080)),
        NodePorts.parse(TCP, true));
    assertEquals(3, NodePorts.parse(TCP, false).size(), "udp: every bound socket");
    assertEquals("0100007F", NodePorts.hex(IpAddress.parse("127.0.0.1")));
    assertEquals("0B00000A", NodePorts.hex(IpAddress.parse("10.0.0.11")));
  }

  @Test
  void aPortListenedOnHereIsTakenThroughTheTransport() throws Exception {
    Optional<byte[]> table = LocalProcessTransport.create().readFile("/proc/net/tcp", 0);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        table.isPresent(), "no /proc/net/tcp on this system: NodePorts reads Linux's tables");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      NodePorts ports = NodePorts.of(LocalProcessTransport.create());
      assertFalse(ports.isFree(Protocol.TCP, Optional.empty(), s.getLocalPort()));
      assertFalse(
          ports.isFree(Protocol.TCP, Optional.of(IpAddress.parse("127.0.0.1")), s.getLocalPort()));
      assertTrue(
          ports.isFree(Protocol.TCP, Optional.of(IpAddress.parse("10.255.0.1")), s.getLocalPort()),
          "bound to 127.0.0.1 only");
      int free = ports.findFree(Protocol.TCP, Optional.empty(), Set.of(s.getLocalPort()));
      assertTrue(free >= 32768 && free <= 60999 && free != s.getLocalPort());
    }
  }
}
