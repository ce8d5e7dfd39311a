package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Typed reads of {@link YNode}s that report a located problem instead of failing. */
final class Nodes {

  private final Problems problems;
  private final Map<String, List<io.github.scompose.spec.internal.yaml.Loc>> portLocs =
      new java.util.HashMap<>();

  Nodes(Problems problems) {
    this.problems = problems;
  }

  /** Remembers where the next {@code count} ports of {@code service} were written. */
  void portsAt(String service, io.github.scompose.spec.internal.yaml.Loc loc, int count) {
    List<io.github.scompose.spec.internal.yaml.Loc> locs =
        portLocs.computeIfAbsent(service, k -> new ArrayList<>());
    for (int i = 0; i < count; i++) {
      locs.add(loc);
    }
  }

  /** Where each port of {@code service} was written, in order. */
  List<io.github.scompose.spec.internal.yaml.Loc> portLocs(String service) {
    return portLocs.getOrDefault(service, List.of());
  }

  Problems problems() {
    return problems;
  }

  void wrongType(YNode node, String path, String expected) {
    problems.error(node.loc(), path, "expected " + expected + ", found " + node.describe());
  }

  /** A mapping, or empty (with a problem) when the node is something else; null is empty map. */
  Optional<YMap> map(YNode node, String path) {
    if (node instanceof YMap m) {
      return Optional.of(m);
    }
    if (node instanceof YScalar s && s.isNull()) {
      return Optional.of(new YMap(Map.of(), Map.of(), s.loc(), null));
    }
    wrongType(node, path, "a mapping");
    return Optional.empty();
  }

  /** A scalar's text (strings, numbers, booleans); a problem for null and collections. */
  Optional<String> string(YNode node, String path) {
    if (node instanceof YScalar s && !s.isNull()) {
      return Optional.of(s.value());
    }
    wrongType(node, path, "a string");
    return Optional.empty();
  }

  Optional<Integer> integer(YNode node, String path) {
    if (node instanceof YScalar s && !s.isNull()) {
      try {
        return Optional.of(Integer.parseInt(s.value().trim()));
      } catch (NumberFormatException e) {
        problems.error(node.loc(), path, "expected a whole number, found \"" + s.value() + "\"");
        return Optional.empty();
      }
    }
    wrongType(node, path, "a whole number");
    return Optional.empty();
  }

  Optional<Boolean> bool(YNode node, String path) {
    if (node instanceof YScalar s && !s.isNull()) {
      String v = s.value().trim().toLowerCase(java.util.Locale.ROOT);
      if (v.equals("true")) {
        return Optional.of(true);
      }
      if (v.equals("false")) {
        return Optional.of(false);
      }
      // YAML 1.1 booleans: compose-go casts them (with a warning), PyYAML (singularity-compose)
      // reads them unquoted as booleans
      Boolean yaml11 =
          switch (v) {
            case "y", "yes", "on" -> Boolean.TRUE;
            case "n", "no", "off" -> Boolean.FALSE;
            default -> null;
          };
      if (yaml11 != null) {
        problems.warning(
            node.loc(),
            path,
            "\""
                + s.value()
                + "\" read as "
                + yaml11
                + " (a YAML 1.1 boolean); write "
                + yaml11
                + " (YAML 1.2)");
        return Optional.of(yaml11);
      }
      problems.error(node.loc(), path, "expected true or false, found \"" + s.value() + "\"");
      return Optional.empty();
    }
    wrongType(node, path, "true or false");
    return Optional.empty();
  }

  /** A list of strings; each non-string item is reported. */
  List<String> strings(YNode node, String path) {
    List<String> out = new ArrayList<>();
    if (!(node instanceof YSeq seq)) {
      if (node instanceof YScalar s && s.isNull()) {
        return out;
      }
      wrongType(node, path, "a list of strings");
      return out;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      string(item, path + "[" + i++ + "]").ifPresent(out::add);
    }
    return out;
  }

  /** A string or a list of strings (the list is returned; a string gives a one-item list). */
  List<String> stringOrList(YNode node, String path) {
    if (node instanceof YScalar s && !s.isNull()) {
      return List.of(s.value());
    }
    return strings(node, path);
  }

  /**
   * Options in their given form: strings kept, a {@code {k: v}} mapping item becomes {@code k=v} (a
   * {@code {k: null}} item becomes {@code k}).
   */
  List<String> options(YNode node, String path) {
    List<String> out = new ArrayList<>();
    if (node instanceof YScalar s && s.isNull()) {
      return out;
    }
    if (!(node instanceof YSeq seq)) {
      wrongType(node, path, "a list of options");
      return out;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      String itemPath = path + "[" + i++ + "]";
      if (item instanceof YMap m) {
        for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
          if (e.getValue() instanceof YScalar v) {
            out.add(v.isNull() ? e.getKey() : e.getKey() + "=" + v.value());
          } else {
            wrongType(e.getValue(), itemPath + "." + e.getKey(), "a string");
          }
        }
      } else {
        string(item, itemPath).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * A {@code list_or_dict}: a mapping {@code {K: V}} or a list {@code ["K=V", "K"]}. A missing
   * value ({@code K} alone, or {@code K:} null) maps to null.
   */
  LinkedHashMap<String, String> listOrDict(YNode node, String path, char separator) {
    LinkedHashMap<String, String> out = new LinkedHashMap<>();
    if (node instanceof YMap m) {
      for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
        YNode v = e.getValue();
        if (v instanceof YScalar s) {
          out.put(e.getKey(), s.isNull() ? null : s.value());
        } else {
          wrongType(v, path + "." + e.getKey(), "a string, number or boolean");
        }
      }
    } else if (node instanceof YSeq seq) {
      int i = 0;
      for (YNode item : seq.items()) {
        String itemPath = path + "[" + i++ + "]";
        string(item, itemPath)
            .ifPresent(
                text -> {
                  int at = text.indexOf(separator);
                  if (separator == ':' && at < 0) {
                    at = text.indexOf('=');
                  }
                  if (at < 0) {
                    out.put(text, null);
                  } else {
                    out.put(text.substring(0, at), text.substring(at + 1));
                  }
                });
      }
    } else if (!(node instanceof YScalar s && s.isNull())) {
      wrongType(node, path, "a mapping or a list of \"KEY=VALUE\" strings");
    }
    return out;
  }

  /**
   * Reports every key of {@code map} not in {@code known} (and not {@code x-*}): the nearest known
   * key when one is at most two edits away ({@link #closest}), else the known keys when there are
   * at most 20. A warning says the key is ignored.
   */
  void unknownKeys(YMap map, String path, Set<String> known, boolean error, String where) {
    for (String key : map.entries().keySet()) {
      if (known.contains(key) || key.startsWith("x-")) {
        continue;
      }
      String keyPath = path.isEmpty() ? key : path + "." + key;
      Optional<String> near = closest(key, known);
      String message =
          "unknown key \""
              + key
              + "\" in "
              + where
              + (error ? "" : " (ignored)")
              + (near.isPresent()
                  ? "; did you mean \"" + near.get() + "\"?"
                  : known.size() <= 20 ? "; expected one of " + String.join(", ", known) : "");
      if (error) {
        problems.error(map.keyLoc(key), keyPath, message);
      } else {
        problems.warning(map.keyLoc(key), keyPath, message);
      }
    }
  }

  /** The known key nearest to {@code key}, when at most two edits away. */
  static Optional<String> closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), k, bestDistance);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance, or {@code limit} when it is at least {@code limit}. */
  private static int editDistance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) {
      return limit;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return Math.min(previous[b.length()], limit);
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
