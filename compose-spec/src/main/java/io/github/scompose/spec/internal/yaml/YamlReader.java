package io.github.scompose.spec.internal.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads one YAML document into a {@link YNode} tree with safety limits: at most {@link
 * #MAX_CODE_POINTS} characters, lists and mappings nested at most {@link #MAX_DEPTH} deep (also
 * through aliases), {@link #MAX_ALIASES} aliases to collections, and {@link #MAX_NODES} nodes after
 * alias expansion (a "billion laughs" document fails fast). Every walk of the resulting tree may
 * therefore recurse: it is at most {@link #MAX_DEPTH} deep. Control characters, scanner and parser
 * errors are reported with their line and column. Reading takes time linear in the document's
 * length. Duplicate keys are reported through {@link Diagnostics#duplicateKey} (an error by
 * default: YAML 1.2 forbids them) and the last value is kept, as PyYAML does. Merge keys ({@code
 * <<: *anchor}) are applied: explicit keys win over merged ones.
 */
public final class YamlReader {

  /** Largest accepted document, in characters (8 Mi). */
  public static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  /**
   * Deepest nesting of lists and mappings (100 levels; the root mapping is level 1), in the text
   * and after aliases are expanded. Real compose files nest fewer than 10 levels; snakeyaml's own
   * default is 50. Deeper documents fail with an error located at the first collection too deep.
   */
  public static final int MAX_DEPTH = 100;

  /** Most aliases to collections in one document. */
  public static final int MAX_ALIASES = 200;

  /** Most nodes after alias expansion. */
  public static final int MAX_NODES = 1_000_000;

  /** Receives problems found while reading. */
  public interface Diagnostics {
    /** An error at {@code loc}, under key path {@code path}. */
    void error(Loc loc, String path, String message);

    /**
     * A key defined again in the same mapping: {@code loc} is the later occurrence, {@code
     * firstLine} the line of the first one. The reader keeps the last value either way. By default
     * an error (YAML 1.2 forbids duplicate keys); a caller that knows the file's tool is lenient
     * may report it otherwise.
     */
    default void duplicateKey(Loc loc, String path, String key, int firstLine) {
      error(
          loc,
          path,
          "duplicate key \""
              + key
              + "\" (first defined at line "
              + firstLine
              + "); YAML 1.2 forbids duplicate keys");
    }
  }

  private final String file;
  private final Path baseDir;
  private final Diagnostics diagnostics;
  private final IdentityHashMap<Node, Boolean> onStack = new IdentityHashMap<>();

  /** Collections already converted, and how many nodes each one counts: aliases reuse them. */
  private final IdentityHashMap<Node, YNode> converted = new IdentityHashMap<>();

  private final IdentityHashMap<Node, Integer> sizes = new IdentityHashMap<>();

  /** How many levels of collections each converted collection holds, itself included. */
  private final IdentityHashMap<Node, Integer> heights = new IdentityHashMap<>();

  private int nodes;

  /** The height of the node converted last (0 for a scalar). */
  private int height;

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
            .setBufferSize(Math.max(1024, content.length() + 1))
            .setSchema(CoreScalarTags.SCHEMA)
            .build();
    StreamReader stream = new StreamReader(settings, content);
    DepthLimit limited = new DepthLimit(new ParserImpl(settings, stream));
    Optional<Node> root;
    try {
      root = new Composer(settings, limited).getSingleNode();
    } catch (DepthLimit.TooDeep e) {
      diagnostics.error(
          e.mark() == null ? reached(file, baseDir, stream) : at(file, baseDir, e.mark()),
          "",
          "lists and mappings are nested more than "
              + MAX_DEPTH
              + " deep here; the limit is "
              + MAX_DEPTH
              + " levels");
      return Optional.empty();
    } catch (ReaderException e) {
      int[] lc = SourceText.lineAndColumn(content, e.getPosition());
      diagnostics.error(
          new Loc(file, baseDir, lc[0], lc[1]),
          "",
          "character "
              + String.format("U+%04X", e.getCodePoint())
              + " is not allowed in YAML (control characters other than tab and line breaks are"
              + " not)");
      return Optional.empty();
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      Loc loc = mark == null ? reached(file, baseDir, stream) : at(file, baseDir, mark);
      diagnostics.error(loc, "", "YAML syntax error: " + describe(e));
      return Optional.empty();
    } catch (YamlEngineException e) {
      diagnostics.error(
          reached(file, baseDir, stream), "", "YAML error: " + firstLine(e.getMessage()));
      return Optional.empty();
    } catch (RuntimeException e) {
      // snakeyaml-engine may fail on malformed input with other runtime exceptions: located where
      // reading stopped, never with the exception's own text
      diagnostics.error(
          reached(file, baseDir, stream),
          "",
          "YAML syntax error: the YAML parser cannot read the document after this point");
      return Optional.empty();
    }
    if (root.isEmpty()) {
      return Optional.empty();
    }
    YamlReader reader = new YamlReader(file, baseDir, diagnostics);
    try {
      return Optional.of(reader.convert(root.get(), KeyPath.ROOT, 0));
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

  /** Where {@code stream} stopped reading: the place of an error that came without a mark. */
  private static Loc reached(String file, Path baseDir, StreamReader stream) {
    return new Loc(file, baseDir, stream.getLine() + 1, stream.getColumn() + 1);
  }

  private static Loc at(String file, Path baseDir, Mark mark) {
    return new Loc(file, baseDir, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private Loc loc(Node node) {
    Optional<Mark> mark = node.getStartMark();
    return mark.isPresent() ? at(file, baseDir, mark.get()) : Loc.ofFile(file, baseDir);
  }

  private static String tagOf(Node node) {
    Tag tag = node.getTag();
    String value = tag.getValue();
    return value.startsWith("!") && !value.startsWith("!!") ? value : null;
  }

  /** Converts {@code node}, found inside {@code depth} collections; sets {@link #height}. */
  private YNode convert(Node node, KeyPath path, int depth) {
    if (node instanceof ScalarNode || node.getAnchor().isEmpty()) {
      return convertOnce(node, path, depth); // only anchored collections can be aliased
    }
    YNode again = converted.get(node);
    if (again != null) {
      // an alias of a collection: counted at its full size without walking it again, so that
      // a "billion laughs" document fails after a few aliases instead of expanding them
      nodes += sizes.get(node);
      if (nodes > MAX_NODES) {
        tooManyNodes(node, path);
      }
      height = heights.get(node);
      if (depth + height > MAX_DEPTH) {
        diagnostics.error(
            loc(node),
            path.toString(),
            "an alias of the collection anchored here nests lists and mappings more than "
                + MAX_DEPTH
                + " deep; the limit is "
                + MAX_DEPTH
                + " levels");
        throw new Stop();
      }
      return again;
    }
    int before = nodes;
    YNode result = convertOnce(node, path, depth);
    converted.put(node, result);
    sizes.put(node, nodes - before);
    heights.put(node, height);
    return result;
  }

  private void tooManyNodes(Node node, KeyPath path) {
    diagnostics.error(
        loc(node),
        path.toString(),
        "document expands to more than "
            + MAX_NODES
            + " nodes (too many aliases: is this a \"billion laughs\" document?)");
    throw new Stop();
  }

  private YNode convertOnce(Node node, KeyPath path, int depth) {
    if (++nodes > MAX_NODES) {
      tooManyNodes(node, path);
    }
    if (node instanceof ScalarNode s) {
      height = 0;
      return new YNode.YScalar(s.getValue(), kind(s), loc(s), tagOf(s));
    }
    // only an anchored collection can be reached again (through an alias) while it is converted
    boolean anchored = node.getAnchor().isPresent();
    if (anchored && onStack.containsKey(node)) {
      diagnostics.error(loc(node), path.toString(), "recursive alias: a node contains itself");
      throw new Stop();
    }
    int inner = 0;
    if (anchored) {
      onStack.put(node, Boolean.TRUE);
    }
    try {
      if (node instanceof SequenceNode q) {
        List<YNode> items = new ArrayList<>(q.getValue().size());
        int i = 0;
        for (Node item : q.getValue()) {
          items.add(convert(item, path.index(i++), depth + 1));
          inner = Math.max(inner, height);
        }
        height = inner + 1;
        return new YNode.YSeq(items, loc(q), tagOf(q));
      }
      MappingNode m = (MappingNode) node;
      LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
      LinkedHashMap<String, Loc> keyLocs = new LinkedHashMap<>();
      Map<String, Loc> firstLocs = null; // made at the first duplicate key
      List<YNode> merged = new ArrayList<>();
      for (NodeTuple tuple : m.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (!(keyNode instanceof ScalarNode keyScalar)) {
          diagnostics.error(
              loc(keyNode), path.toString(), "a mapping key must be a string, not a collection");
          continue;
        }
        String key = keyScalar.getValue();
        if (key.equals("<<") && keyScalar.isPlain()) {
          YNode value = convert(tuple.getValueNode(), path, depth + 1);
          inner = Math.max(inner, height);
          merged.add(value);
          continue;
        }
        KeyPath childPath = path.key(key);
        Loc keyLoc = loc(keyNode);
        // the last value wins, located at its own key (PyYAML keeps the first key's place in the
        // order of keys, as both maps do)
        Loc earlier = keyLocs.put(key, keyLoc);
        if (earlier != null) {
          if (firstLocs == null) {
            firstLocs = new HashMap<>();
          }
          Loc first = firstLocs.putIfAbsent(key, earlier);
          diagnostics.duplicateKey(
              keyLoc, childPath.toString(), key, (first == null ? earlier : first).line());
        }
        entries.put(key, convert(tuple.getValueNode(), childPath, depth + 1));
        inner = Math.max(inner, height);
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
                mapNode.loc(),
                path.toString(),
                "merge key <<: expects a mapping or a list of mappings");
          }
        }
      }
      height = inner + 1;
      return new YNode.YMap(entries, keyLocs, loc(m), tagOf(m));
    } finally {
      if (anchored) {
        onStack.remove(node);
      }
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
