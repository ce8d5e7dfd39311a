package io.github.scompose.core.nodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node label file: one node per line, {@code NODE KEY=VALUE …}, blank lines and {@code #}
 * comments ignored, e.g. {@code n2 gpu=true rack=b address=10.0.0.2}. The key {@code address} is
 * the node's address, not a label. Keys: {@code [A-Za-z0-9._-]+}; values: any text without
 * whitespace. A node named twice gets the labels of both lines (a later value wins).
 */
public final class NodeLabels {

  private final Map<String, Map<String, String>> labels;

  private NodeLabels(Map<String, Map<String, String>> labels) {
    this.labels = labels;
  }

  /** No labels. */
  public static NodeLabels none() {
    return new NodeLabels(Map.of());
  }

  /**
   * Reads a label file's text.
   *
   * @param source the file's name, for messages
   * @throws IllegalArgumentException naming {@code source} and the 1-based line of a word that is
   *     not {@code KEY=VALUE}
   */
  public static NodeLabels parse(String text, String source) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      String[] words = line.strip().split("\\s+");
      if (words.length == 0 || words[0].isEmpty()) {
        continue;
      }
      Map<String, String> mine = out.computeIfAbsent(words[0], k -> new LinkedHashMap<>());
      for (int w = 1; w < words.length; w++) {
        int eq = words[w].indexOf('=');
        if (eq < 1 || !words[w].substring(0, eq).matches("[A-Za-z0-9._-]+")) {
          throw new IllegalArgumentException(
              source
                  + ":"
                  + (n + 1)
                  + ": \""
                  + words[w]
                  + "\" is not KEY=VALUE (lines are NODE KEY=VALUE ...)");
        }
        mine.put(words[w].substring(0, eq), words[w].substring(eq + 1));
      }
    }
    return new NodeLabels(out);
  }

  /** The labels of {@code node} (with {@code address} when given), empty when it has none. */
  public Map<String, String> of(String node) {
    return labels.getOrDefault(node, Map.of());
  }

  /**
   * {@code nodes} with their labels added and, where the node has no address yet, the file's {@code
   * address}.
   */
  public List<Node> apply(List<Node> nodes) {
    List<Node> out = new ArrayList<>();
    for (Node n : nodes) {
      Map<String, String> l = new LinkedHashMap<>(of(n.name()));
      String address = l.remove("address");
      Node.Builder b = Node.builder().from(n).putAllLabels(l);
      if (n.address().isEmpty() && address != null) {
        b.address(address);
      }
      out.add(b.build());
    }
    return out;
  }
}
