package io.github.scompose.testkit.internal;

import io.github.scompose.network.HostPorts;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.NetworkException;
import io.github.scompose.network.Protocol;
import java.util.Optional;
import java.util.Set;

/**
 * Host ports as the fake runtime sees them: its instances bind nothing on the host, so every port
 * is free; a free port is the lowest of 49152..65535 (the IANA dynamic range) not excluded, so
 * plans are deterministic. Served by {@code FakeRuntime.hostPorts()}.
 */
public final class UnboundHostPorts implements HostPorts {

  /** The first port of the IANA dynamic (ephemeral) range, RFC 6335 section 6. */
  public static final int FIRST_DYNAMIC_PORT = 49152;

  /** The last valid port. */
  public static final int LAST_PORT = 65535;

  @Override
  public boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port) {
    return true;
  }

  @Override
  public int findFree(Protocol protocol, Optional<IpAddress> hostIp, Set<Integer> exclude) {
    for (int p = FIRST_DYNAMIC_PORT; p <= LAST_PORT; p++) {
      if (!exclude.contains(p)) {
        return p;
      }
    }
    throw new NetworkException(
        "every port of " + FIRST_DYNAMIC_PORT + ".." + LAST_PORT + " is excluded");
  }
}
