package io.github.scompose.spec.internal.yaml;

import java.util.Map;

/**
 * An ordered, complete rendering of a {@link YNode} tree for tests: unlike {@code YMap.equals},
 * which ignores the order of keys, two trees render alike only when they have the same entries in
 * the same order, the same keys' locations in the same order, and the same kinds, values, tags and
 * locations (file, base directory, line, column) everywhere.
 */
final class YNodeDump {

  private YNodeDump() {}

  /** The rendering of {@code node}, one node per line, indented by depth; "<none>" for null. */
  static String of(YNode node) {
    StringBuilder out = new StringBuilder();
    dump(node, 0, out);
    return out.toString();
  }

  private static void dump(YNode node, int depth, StringBuilder out) {
    out.append("  ".repeat(depth));
    if (node == null) {
      out.append("<none>\n");
      return;
    }
    if (node instanceof YNode.YScalar s) {
      out.append("scalar ")
          .append(s.kind())
          .append(' ')
          .append(quote(s.value()))
          .append(tag(s.tag()))
          .append(' ')
          .append(loc(s.loc()))
          .append('\n');
      return;
    }
    if (node instanceof YNode.YSeq q) {
      out.append("seq[")
          .append(q.items().size())
          .append(']')
          .append(tag(q.tag()))
          .append(' ')
          .append(loc(q.loc()))
          .append('\n');
      for (YNode item : q.items()) {
        dump(item, depth + 1, out);
      }
      return;
    }
    YNode.YMap m = (YNode.YMap) node;
    out.append("map{")
        .append(m.entries().size())
        .append('}')
        .append(tag(m.tag()))
        .append(' ')
        .append(loc(m.loc()))
        .append(" keyLocs=[");
    String sep = "";
    for (Map.Entry<String, Loc> k : m.keyLocs().entrySet()) {
      out.append(sep).append(quote(k.getKey())).append('@').append(loc(k.getValue()));
      sep = ", ";
    }
    out.append("]\n");
    for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
      out.append("  ".repeat(depth + 1)).append("key ").append(quote(e.getKey())).append('\n');
      dump(e.getValue(), depth + 2, out);
    }
  }

  private static String tag(String tag) {
    return tag == null ? "" : " tag=" + quote(tag);
  }

  private static String loc(Loc loc) {
    return loc == null
        ? "<no loc>"
        : loc.line() + ":" + loc.column() + "(" + quote(loc.file()) + "," + loc.baseDir() + ")";
  }

  /** {@code text} in double quotes with every character outside printable ASCII escaped. */
  static String quote(String text) {
    if (text == null) {
      return "<null>";
    }
    StringBuilder out = new StringBuilder("\"");
    text.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
              } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
              } else {
                out.append(String.format("\\u{%X}", c));
              }
            });
    return out.append('"').toString();
  }
}
