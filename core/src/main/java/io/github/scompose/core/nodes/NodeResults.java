package io.github.scompose.core.nodes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one operation across nodes gave: each answering node's result and, for each node that did
 * not answer or failed, what went wrong in words ({@code ssh: connect to host n2 port 22:
 * Connection refused}). Nodes in the record's order. A failed node is never left out silently:
 * callers report {@link #failures()} and exit non-zero when it is not empty.
 *
 * @param <T> the result of one node
 */
public final class NodeResults<T> {

  private final Map<String, T> results;
  private final Map<String, String> failures;

  NodeResults(Map<String, T> results, Map<String, String> failures) {
    this.results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    this.failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
  }

  /** Node name → result, for the nodes that answered. */
  public Map<String, T> results() {
    return results;
  }

  /** Node name → what went wrong, for the nodes that did not answer or failed. */
  public Map<String, String> failures() {
    return failures;
  }

  /** {@code true} when every node answered. */
  public boolean ok() {
    return failures.isEmpty();
  }

  /** One line per failure: {@code node NAME: WHAT}. */
  public String describeFailures() {
    StringBuilder b = new StringBuilder();
    failures.forEach(
        (n, w) ->
            b.append(b.length() == 0 ? "" : "\n").append("node ").append(n).append(": ").append(w));
    return b.toString();
  }
}
