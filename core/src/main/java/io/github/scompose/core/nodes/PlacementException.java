package io.github.scompose.core.nodes;

/**
 * No node fits a service: its {@code deploy.placement.constraints} exclude every node, a constraint
 * cannot be read, or there is no node at all. The message names the service, its constraints and
 * the nodes.
 */
public final class PlacementException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public PlacementException(String message) {
    super(message);
  }
}
