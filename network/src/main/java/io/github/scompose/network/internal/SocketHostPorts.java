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

/** {@link HostPorts} answered by binding real sockets. */
public final class SocketHostPorts implements HostPorts {

  private static final int TRIES = 50;

  @Override
  public boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port) {
    try {
      bind(protocol, hostIp, port);
      return true;
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
