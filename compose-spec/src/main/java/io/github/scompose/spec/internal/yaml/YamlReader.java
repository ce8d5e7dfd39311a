package io.github.scompose.spec.internal.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads one YAML document into a {@link YNode} tree with safety limits: at most {@link
 * #MAX_CODE_POINTS} characters, {@link #MAX_ALIASES} aliases to collections, and {@link #MAX_NODES}
 * nodes after alias expansion (a "billion laughs" document fails fast). Duplicate keys are reported
 * (YAML 1.2 forbids them; the last value is kept so that checking can go on). Merge keys ({@code
 * <<: *anchor}) are applied: explicit keys win over merged ones.
 */
public final class YamlReader {

  /** Largest accepted document, in characters (8 Mi). */
  public static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  /** Most aliases to collections in one document. */
  public static final int MAX_ALIASES = 200;

  /** Most nodes after alias expansion. */
  public static final int MAX_NODES = 1_000_000;

  /** Receives problems found while reading. */
  public interface Diagnostics {
    /** An error at {@code loc}, under key path {@code path}. */
    void error(Loc loc, String path, String message);
  }

  private final String file;
  private final Path baseDir;
  private final Diagnostics diagnostics;
  private final IdentityHashMap<Node, Boolean> onStack = new IdentityHashMap<>();

  /** Collections already converted, and how many nodes each one counts: aliases reuse them. */
  private final IdentityHashMap<Node, YNode> converted = new IdentityHashMap<>();

  private final IdentityHashMap<Node, Integer> sizes = new IdentityHashMap<>();
  private int nodes;

  private YamlReader(String file, Path baseDir, Diagnostics diagnostics) {
    this.file = file;
    this.baseDir = baseDir;
    this.diagnostics = diagnostics;
  }

  /** Thrown inside the reader to stop at a fatal limit. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop() {
      super(null, null, false, false);
    }
  }

  /**
   * Reads {@code content}. Returns empty when the document is empty or unreadable (the reason is
   * reported to {@code diagnostics}, except for an empty document, which the caller reports).
   */
  public static Optional<YNode> read(
      String file, Path baseDir, String content, Diagnostics diagnostics) {
    if (content.length() > MAX_CODE_POINTS) {
      diagnostics.error(
          Loc.ofFile(file, baseDir),
          "",
          "file is "
              + content.length()
              + " characters long; the limit is "
              + MAX_CODE_POINTS
              + " characters");
      return Optional.empty();
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file)
            .setAllowDuplicateKeys(true)
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setCodePointLimit(MAX_CODE_POINTS + 1)
            .setUseMarks(true)
            .setSchema(new CoreSchema())
            .build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(content);
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      Loc loc =
          mark == null
              ? Loc.ofFile(file, baseDir)
              : new Loc(file, baseDir, mark.getLine() + 1, mark.getColumn() + 1);
      diagnostics.error(loc, "", "YAML syntax error: " + describe(e));
      return Optional.empty();
    } catch (YamlEngineException e) {
      diagnostics.error(Loc.ofFile(file, baseDir), "", "YAML error: " + firstLine(e.getMessage()));
      return Optional.empty();
    } catch (RuntimeException e) {
      // snakeyaml-engine may fail on malformed input with other runtime exceptions
      diagnostics.error(
          Loc.ofFile(file, baseDir), "", "YAML error: " + firstLine(String.valueOf(e)));
      return Optional.empty();
    }
    if (root.isEmpty()) {
      return Optional.empty();
    }
    YamlReader reader = new YamlReader(file, baseDir, diagnostics);
    try {
      return Optional.of(reader.convert(root.get(), ""));
    } catch (Stop stop) {
      return Optional.empty();
    }
  }

  private static String describe(MarkedYamlEngineException e) {
    String problem = e.getProblem();
    String context = e.getContext();
    if (problem == null || problem.isBlank()) {
      return firstLine(context);
    }
    return context == null || context.isBlank()
        ? firstLine(problem)
        : firstLine(context) + ": " + firstLine(problem);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).trim();
  }

  private Loc loc(Node node) {
    return node.getStartMark()
        .map(m -> new Loc(file, baseDir, m.getLine() + 1, m.getColumn() + 1))
        .orElse(Loc.ofFile(file, baseDir));
  }

  private static String tagOf(Node node) {
    Tag tag = node.getTag();
    String value = tag.getValue();
    return value.startsWith("!") && !value.startsWith("!!") ? value : null;
  }

  private YNode convert(Node node, String path) {
    if (node instanceof ScalarNode || node.getAnchor().isEmpty()) {
      return convertOnce(node, path); // only anchored collections can be aliased
    }
    YNode again = converted.get(node);
    if (again != null) {
      // an alias of a collection: counted at its full size without walking it again, so that
      // a "billion laughs" document fails after a few aliases instead of expanding them
      nodes += sizes.get(node);
      if (nodes > MAX_NODES) {
        tooManyNodes(node, path);
      }
      return again;
    }
    int before = nodes;
    YNode result = convertOnce(node, path);
    converted.put(node, result);
    sizes.put(node, nodes - before);
    return result;
  }

  private void tooManyNodes(Node node, String path) {
    diagnostics.error(
        loc(node),
        path,
        "document expands to more than "
            + MAX_NODES
            + " nodes (too many aliases: is this a \"billion laughs\" document?)");
    throw new Stop();
  }

  private YNode convertOnce(Node node, String path) {
    if (++nodes > MAX_NODES) {
      tooManyNodes(node, path);
    }
    if (onStack.containsKey(node)) {
      diagnostics.error(loc(node), path, "recursive alias: a node contains itself");
      throw new Stop();
    }
    if (node instanceof ScalarNode s) {
      return new YNode.YScalar(s.getValue(), kind(s), loc(s), tagOf(s));
    }
    onStack.put(node, Boolean.TRUE);
    try {
      if (node instanceof SequenceNode q) {
        List<YNode> items = new ArrayList<>(q.getValue().size());
        int i = 0;
        for (Node item : q.getValue()) {
          items.add(convert(item, path + "[" + i++ + "]"));
        }
        return new YNode.YSeq(items, loc(q), tagOf(q));
      }
      MappingNode m = (MappingNode) node;
      LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
      LinkedHashMap<String, Loc> keyLocs = new LinkedHashMap<>();
      List<YNode> merged = new ArrayList<>();
      for (NodeTuple tuple : m.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (!(keyNode instanceof ScalarNode keyScalar)) {
          diagnostics.error(loc(keyNode), path, "a mapping key must be a string, not a collection");
          continue;
        }
        String key = keyScalar.getValue();
        if (key.equals("<<") && keyScalar.isPlain()) {
          YNode value = convert(tuple.getValueNode(), path);
          merged.add(value);
          continue;
        }
        String childPath = path.isEmpty() ? key : path + "." + key;
        if (entries.containsKey(key)) {
          Loc first = keyLocs.get(key);
          diagnostics.error(
              loc(keyNode),
              childPath,
              "duplicate key \""
                  + key
                  + "\" (first defined at line "
                  + first.line()
                  + "); YAML 1.2 forbids duplicate keys");
        }
        entries.put(key, convert(tuple.getValueNode(), childPath));
        keyLocs.putIfAbsent(key, loc(keyNode));
      }
      for (YNode source : merged) {
        List<YNode> maps = source instanceof YNode.YSeq seq ? seq.items() : List.of(source);
        for (YNode mapNode : maps) {
          if (mapNode instanceof YNode.YMap sourceMap) {
            for (Map.Entry<String, YNode> e : sourceMap.entries().entrySet()) {
              if (!entries.containsKey(e.getKey())) {
                entries.put(e.getKey(), e.getValue());
                keyLocs.put(e.getKey(), sourceMap.keyLoc(e.getKey()));
              }
            }
          } else {
            diagnostics.error(
                mapNode.loc(), path, "merge key <<: expects a mapping or a list of mappings");
          }
        }
      }
      return new YNode.YMap(entries, keyLocs, loc(m), tagOf(m));
    } finally {
      onStack.remove(node);
    }
  }

  private static YNode.Kind kind(ScalarNode s) {
    Tag tag = s.getTag();
    if (Tag.NULL.equals(tag)) {
      return YNode.Kind.NULL;
    }
    if (Tag.BOOL.equals(tag)) {
      return YNode.Kind.BOOL;
    }
    if (Tag.INT.equals(tag)) {
      return YNode.Kind.INT;
    }
    if (Tag.FLOAT.equals(tag)) {
      return YNode.Kind.FLOAT;
    }
    return YNode.Kind.STRING;
  }
}
