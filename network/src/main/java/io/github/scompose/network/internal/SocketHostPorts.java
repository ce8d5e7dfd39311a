package io.github.scompose.network.internal;

import io.github.scompose.network.HostPorts;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.NetworkException;
import io.github.scompose.network.Protocol;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.Set;

/**
 * {@link HostPorts} answered by binding real sockets. A port this process may not bind ({@code
 * EACCES}: privileged, not root) counts as free, because whether it is in use cannot be told
 * without privileges; the network planner reports privileged ports in host networking itself.
 */
public final class SocketHostPorts implements HostPorts {

  private static final int TRIES = 50;

  @Override
  public boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port) {
    try {
      bind(protocol, hostIp, port);
      return true;
    } catch (java.net.BindException e) {
      // EACCES: a privileged port this process may not bind; whether it is in use cannot be told
      // from here (CNI portmap, run by root or through fakeroot, may still forward it)
      return e.getMessage() != null && e.getMessage().contains("Permission denied");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public int findFree(Protocol protocol, Optional<IpAddress> hostIp, Set<Integer> exclude) {
    for (int i = 0; i < TRIES; i++) {
      try {
        int port = bind(protocol, hostIp, 0);
        if (!exclude.contains(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new NetworkException("cannot bind an ephemeral " + protocol.text() + " port", e);
      }
    }
    throw new NetworkException(
        "no free ephemeral " + protocol.text() + " port found in " + TRIES + " tries");
  }

  private static int bind(Protocol protocol, Optional<IpAddress> hostIp, int port)
      throws IOException {
    InetAddress address = hostIp.map(IpAddress::toInetAddress).orElse(null);
    InetSocketAddress endpoint = new InetSocketAddress(address, port);
    if (protocol == Protocol.TCP) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(endpoint);
        return s.getLocalPort();
      }
    }
    try (DatagramSocket s = new DatagramSocket(null)) {
      s.setReuseAddress(false);
      s.bind(endpoint);
      return s.getLocalPort();
    }
  }
}
