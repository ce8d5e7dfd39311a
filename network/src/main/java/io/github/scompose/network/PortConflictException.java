package io.github.scompose.network;

import java.util.List;

/**
 * Published ports that cannot all be honoured: two instances of a project publish the same host
 * port (or, in host networking, listen on the same container port), or a host port is already bound
 * on this host. Thrown by {@link NetworkPlanner#plan} before anything starts; {@link #conflicts()}
 * lists every problem found, one sentence each, e.g. {@code "host port 8080/tcp is published by
 * both web1 and api1"}.
 */
public final class PortConflictException extends NetworkException {
  private static final long serialVersionUID = 1L;

  private final List<String> conflicts;

  /** An exception listing {@code conflicts} (at least one). */
  public PortConflictException(String project, List<String> conflicts) {
    super("port conflicts in project " + project + ": " + String.join("; ", conflicts));
    this.conflicts = List.copyOf(conflicts);
  }

  /** Every conflict found, in instance order. */
  public List<String> conflicts() {
    return conflicts;
  }
}
