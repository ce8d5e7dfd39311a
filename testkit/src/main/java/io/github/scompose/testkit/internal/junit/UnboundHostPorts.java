package io.github.scompose.testkit.internal.junit;

import io.github.scompose.network.HostPorts;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.NetworkException;
import io.github.scompose.network.Protocol;
import java.util.Optional;
import java.util.Set;

/**
 * Host ports as the fake runtime sees them: instances there bind nothing, so every port is free; a
 * free port is the lowest of 49152..65535 (the IANA dynamic range) not excluded.
 */
public final class UnboundHostPorts implements HostPorts {

  @Override
  public boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port) {
    return true;
  }

  @Override
  public int findFree(Protocol protocol, Optional<IpAddress> hostIp, Set<Integer> exclude) {
    for (int p = 49152; p <= 65535; p++) {
      if (!exclude.contains(p)) {
        return p;
      }
    }
    throw new NetworkException("every port of 49152..65535 is excluded");
  }
}
