package io.github.scompose.network;

/**
 * How instances of a project are networked.
 *
 * <ul>
 *   <li>{@link #BRIDGE}: each instance in its own network namespace on a CNI bridge, with its own
 *       address, reachable from the others by name; needs root, or {@code --fakeroot} with the
 *       {@code fakeroot} CNI network.
 *   <li>{@link #HOST}: no network namespace; instances share the host's network, every name in the
 *       hosts file maps to {@code 127.0.0.1}, services must listen on distinct ports. The rootless
 *       default on clusters.
 *   <li>{@link #NONE}: a network namespace with loopback only ({@code --net --network none}).
 * </ul>
 */
public enum NetworkMode {
  /** A CNI bridge network with an address per instance. */
  BRIDGE,
  /** The host's network, shared. */
  HOST,
  /** Loopback only. */
  NONE
}
