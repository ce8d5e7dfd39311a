package io.github.scompose.network;

import io.github.scompose.network.internal.SocketHostPorts;
import java.util.Optional;
import java.util.Set;

/**
 * Facts about ports on this host, injected into the {@link NetworkPlanner} so that tests need not
 * bind real sockets.
 *
 * <p>{@link #system()} answers by trying: a port is free when a socket can bind it right now (TCP:
 * a server socket without {@code SO_REUSEADDR}; UDP: a datagram socket). This is a snapshot:
 * another process may take the port before the instance starts. Ports forwarded by CNI portmap
 * (iptables DNAT) hold no socket and are not seen by it.
 */
public interface HostPorts {

  /** {@code true} when {@code port} can be bound on {@code hostIp} (empty: all addresses). */
  boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port);

  /**
   * A port that is free now and not in {@code exclude}, chosen by the operating system from its
   * ephemeral range.
   *
   * @throws NetworkException when no such port was found after several tries
   */
  int findFree(Protocol protocol, Optional<IpAddress> hostIp, Set<Integer> exclude);

  /** Answers by binding real sockets on this host. */
  static HostPorts system() {
    return new SocketHostPorts();
  }
}
