package io.github.scompose.core.nodes;

import java.util.Map;

/**
 * An operation across nodes failed on at least one node: the message has one line {@code node NAME:
 * WHAT} per failed node; {@link #failures()} has them as a map.
 */
public final class NodesFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Map<String, String> failures;

  /** The exception of {@code what} failing on the nodes of {@code failures}. */
  public NodesFailedException(String what, Map<String, String> failures) {
    super(what + ":\n" + new NodeResults<>(Map.of(), failures).describeFailures());
    this.failures = Map.copyOf(failures);
  }

  /** Node name → what went wrong. */
  public Map<String, String> failures() {
    return failures;
  }
}
