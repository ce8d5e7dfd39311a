package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * One port as the plan publishes it: a concrete host port (ephemeral ports already chosen), the
 * container port and the protocol. In host networking both numbers are equal.
 */
@Value.Immutable
@ValueStyle
public interface PublishedPort {

  /** Host port, 1..65535. */
  int hostPort();

  /** Container port, 1..65535. */
  int containerPort();

  /** Protocol. */
  Protocol protocol();

  /** The CNI argument {@code portmap=HOST:CONTAINER/PROTO}. */
  default String portmapArg() {
    return "portmap=" + hostPort() + ":" + containerPort() + "/" + protocol().text();
  }
}
