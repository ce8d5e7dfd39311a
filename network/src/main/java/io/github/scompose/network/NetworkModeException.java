package io.github.scompose.network;

import java.util.List;

/**
 * Settings of a project that the chosen {@link NetworkMode} cannot honour, found before anything
 * starts: a published port whose host port differs from its container port in host networking (the
 * instance listens on the container port itself), a privileged port that a non-root instance would
 * have to listen on itself, ports with network {@code none}, a fixed address without a bridge.
 * Thrown by {@link NetworkPlanner#plan} (and by core's planner for the keys it owns); {@link
 * #problems()} lists every one, one sentence each naming the service, the setting and why the mode
 * is what it is, e.g. {@code service web: ports "18090:80" cannot be published: host networking
 * (not root, no fakeroot) shares the host's ports, so the instance listens on 80 itself; publish
 * "80:80", or run as root for a bridge with portmap}.
 */
public final class NetworkModeException extends NetworkException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** An exception listing {@code problems} (at least one) of project {@code project}. */
  public NetworkModeException(String project, List<String> problems) {
    super(
        (problems.size() == 1 ? "" : problems.size() + " settings of project " + project + ": ")
            + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in instance order. */
  public List<String> problems() {
    return problems;
  }
}
