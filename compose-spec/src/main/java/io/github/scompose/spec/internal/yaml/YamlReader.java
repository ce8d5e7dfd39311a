package io.github.scompose.spec.internal.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
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
 *
 * <p>The tree is built straight from snakeyaml-engine's parser events, in one pass, with the checks
 * of its composer (an alias to an undefined anchor, at most {@link #MAX_ALIASES} aliases to
 * collections, a single document) and its core schema's tags ({@link CoreScalarTags}): no node
 * graph is built first and walked again (issue 11, loader speed). What the pass finds is reported
 * only once the whole document has been parsed, so that a syntax error anywhere is the one error
 * reported, as when the document was composed first.
 *
 * <p>Most compose files are written in a block-style subset of YAML that {@link BlockSubsetReader}
 * reads without snakeyaml-engine, to exactly the same tree; only a document it declines (anchors,
 * tags, block scalars, escapes, anything it might have to report...) is parsed as above.
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
  private final Parser events;
  private final ScalarResolver tags;

  /** What the pass found, reported once the whole document is parsed. */
  private final List<Finding> found = new ArrayList<>();

  /** Anchored nodes by anchor; a collection's entry is made at its start (recursive aliases). */
  private final Map<Anchor, Anchored> anchors = new HashMap<>();

  private int aliasesToCollections;
  private int nodes;

  /** The height of the node read last (0 for a scalar). */
  private int height;

  /** Whether the scalar read last (or aliased last) was plain: {@code <<} merges only then. */
  private boolean plain;

  /** Above zero inside a node that is not counted nor checked (a collection used as a key). */
  private int muted;

  /** A fatal limit was reached: the rest of the document is only parsed. */
  private boolean stopped;

  /** One problem found by the pass. */
  private interface Finding {
    void report(Diagnostics diagnostics);
  }

  /**
   * A node with an anchor: {@code node} is null while the collection is read; {@code size} counts
   * its nodes, {@code height} its levels of collections (0 for a scalar).
   */
  private static final class Anchored {
    final Loc loc;
    final boolean collection;
    YNode node;
    boolean plain;
    int size;
    int height;

    Anchored(Loc loc, boolean collection) {
      this.loc = loc;
      this.collection = collection;
    }
  }

  private YamlReader(String file, Path baseDir, Parser events, ScalarResolver tags) {
    this.file = file;
    this.baseDir = baseDir;
    this.events = events;
    this.tags = tags;
  }

  /**
   * Reads {@code content}. Returns empty when the document is empty or unreadable (the reason is
   * reported to {@code diagnostics}, except for an empty document, which the caller reports).
   */
  public static Optional<YNode> read(
      String file, Path baseDir, String content, Diagnostics diagnostics) {
    if (content.length() <= MAX_CODE_POINTS) {
      YNode common = BlockSubsetReader.read(file, baseDir, content);
      if (common != null) {
        return Optional.of(common);
      }
    }
    return readFully(file, baseDir, content, diagnostics);
  }

  /**
   * Reads {@code content} with snakeyaml-engine's parser, whatever its form: {@link #read} without
   * the {@link BlockSubsetReader}.
   */
  static Optional<YNode> readFully(
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
    YamlReader reader =
        new YamlReader(
            file,
            baseDir,
            new DepthLimit(new ParserImpl(settings, stream)),
            settings.getSchema().getScalarResolver());
    Optional<YNode> root;
    try {
      root = reader.document();
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
    // parsed to the end: what the pass found is reported now
    reader.found.forEach(f -> f.report(diagnostics));
    return reader.stopped ? Optional.empty() : root;
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

  /**
   * The stream's single document, or empty for an empty stream (snakeyaml-engine's {@code
   * Composer.getSingleNode}).
   */
  private Optional<YNode> document() {
    events.next(); // stream start
    Optional<YNode> root = Optional.empty();
    Optional<Mark> rootMark = Optional.empty();
    if (!events.checkEvent(Event.ID.StreamEnd)) {
      events.next(); // document start
      rootMark = events.peekEvent().getStartMark();
      root = Optional.of(node(KeyPath.ROOT, 0));
      events.next(); // document end
    }
    if (!events.checkEvent(Event.ID.StreamEnd)) {
      Event another = events.next();
      throw new ComposerException(
          "expected a single document in the stream",
          rootMark,
          "but found another document",
          another.getStartMark());
    }
    events.next(); // stream end
    return root;
  }

  private Loc loc(Event event) {
    Optional<Mark> mark = event.getStartMark();
    return mark.isPresent() ? at(file, baseDir, mark.get()) : Loc.ofFile(file, baseDir);
  }

  private void error(Loc loc, KeyPath path, String message) {
    found.add(d -> d.error(loc, path.toString(), message));
  }

  /** A fatal problem: reported, and nothing more is built or checked. */
  private void stop(Loc loc, KeyPath path, String message) {
    error(loc, path, message);
    stopped = true;
  }

  private boolean checking() {
    return muted == 0 && !stopped;
  }

  /** Reads the next node, found inside {@code depth} collections; sets {@link #height}. */
  private YNode node(KeyPath path, int depth) {
    if (events.checkEvent(Event.ID.Alias)) {
      return alias((AliasEvent) events.next(), path, depth);
    }
    NodeEvent event = (NodeEvent) events.peekEvent();
    Optional<Anchor> anchor = event.getAnchor();
    if (event instanceof ScalarEvent) {
      YNode scalar = scalar((ScalarEvent) events.next());
      height = 0;
      if (anchor.isPresent()) {
        Anchored a = new Anchored(scalar.loc(), false);
        a.node = scalar;
        a.plain = plain;
        anchors.put(anchor.get(), a);
      }
      return scalar;
    }
    Anchored anchored = null;
    if (anchor.isPresent()) {
      anchored = new Anchored(loc(event), true);
      anchors.put(anchor.get(), anchored);
    }
    int before = nodes;
    YNode collection = collection(path, depth);
    if (anchored != null) {
      anchored.node = collection;
      anchored.size = nodes - before;
      anchored.height = height;
    }
    return collection;
  }

  private YNode alias(AliasEvent event, KeyPath path, int depth) {
    Anchored a = anchors.get(event.getAlias());
    if (a == null) {
      throw new ComposerException(
          "found undefined alias " + event.getAlias(), event.getStartMark());
    }
    if (a.collection && ++aliasesToCollections > MAX_ALIASES) {
      throw new YamlEngineException(
          "Number of aliases for non-scalar nodes exceeds the specified max=" + MAX_ALIASES);
    }
    plain = a.plain;
    if (a.node == null) {
      // the collection is still being read: it would contain itself
      if (checking()) {
        stop(a.loc, path, "recursive alias: a node contains itself");
      }
      height = 1;
      return new YNode.YMap(Map.of(), Map.of(), a.loc, null);
    }
    height = a.height;
    if (!checking()) {
      return a.node;
    }
    // an alias of a collection counts at the collection's full size without walking it again, so
    // that a "billion laughs" document fails after a few aliases instead of expanding them
    if (!a.collection) {
      return a.node; // counted where it is used, as every scalar
    }
    nodes += a.size;
    if (nodes > MAX_NODES) {
      tooManyNodes(a.loc, path);
    } else if (depth + a.height > MAX_DEPTH) {
      stop(
          a.loc,
          path,
          "an alias of the collection anchored here nests lists and mappings more than "
              + MAX_DEPTH
              + " deep; the limit is "
              + MAX_DEPTH
              + " levels");
    }
    return a.node;
  }

  private void tooManyNodes(Loc loc, KeyPath path) {
    stop(
        loc,
        path,
        "document expands to more than "
            + MAX_NODES
            + " nodes (too many aliases: is this a \"billion laughs\" document?)");
  }

  private void count(Loc loc, KeyPath path) {
    if (checking() && ++nodes > MAX_NODES) {
      tooManyNodes(loc, path);
    }
  }

  /** The scalar {@code event}, tagged as snakeyaml-engine's composer tags it. */
  private YNode.YScalar scalar(ScalarEvent event) {
    plain = event.getScalarStyle() == ScalarStyle.PLAIN;
    Optional<String> explicit = event.getTag();
    String value = event.getValue();
    YNode.Kind kind;
    String custom = null;
    if (explicit.isEmpty() || explicit.get().equals("!")) {
      kind = kind(tags.resolve(value, event.getImplicit().canOmitTagInPlainScalar()));
    } else {
      kind = kind(new Tag(explicit.get()));
      custom = custom(explicit.get());
    }
    return new YNode.YScalar(value, kind, loc(event), custom);
  }

  /** A local tag ({@code !name}, not {@code !!name}); null for any other. */
  private static String custom(String tag) {
    return tag.startsWith("!") && !tag.startsWith("!!") ? tag : null;
  }

  private static String collectionTag(CollectionStartEvent event) {
    Optional<String> explicit = event.getTag();
    return explicit.isEmpty() || explicit.get().equals("!") ? null : custom(explicit.get());
  }

  /** Reads the sequence or mapping that starts next; sets {@link #height}. */
  private YNode collection(KeyPath path, int depth) {
    CollectionStartEvent start = (CollectionStartEvent) events.next();
    Loc loc = loc(start);
    count(loc, path);
    int inner = 0;
    if (start.getEventId() == Event.ID.SequenceStart) {
      List<YNode> items = new ArrayList<>();
      int i = 0;
      while (!events.checkEvent(Event.ID.SequenceEnd)) {
        KeyPath itemPath = path.index(i++);
        YNode item = node(itemPath, depth + 1);
        if (item instanceof YNode.YScalar) {
          count(item.loc(), itemPath);
        }
        items.add(item);
        inner = Math.max(inner, height);
      }
      events.next();
      height = inner + 1;
      return new YNode.YSeq(items, loc, collectionTag(start));
    }
    LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
    LinkedHashMap<String, Loc> keyLocs = new LinkedHashMap<>();
    Map<String, Loc> firstLocs = null; // made at the first duplicate key
    List<YNode> merged = new ArrayList<>();
    while (!events.checkEvent(Event.ID.MappingEnd)) {
      muted++; // keys are not counted
      YNode keyNode = node(path, depth + 1);
      muted--;
      if (!(keyNode instanceof YNode.YScalar keyScalar)) {
        if (checking()) {
          error(keyNode.loc(), path, "a mapping key must be a string, not a collection");
        }
        muted++; // its value is not read as part of the document
        node(path, depth + 1);
        muted--;
        continue;
      }
      String key = keyScalar.value();
      if (plain && key.equals("<<")) {
        YNode value = node(path, depth + 1);
        if (value instanceof YNode.YScalar) {
          count(value.loc(), path);
        }
        inner = Math.max(inner, height);
        merged.add(value);
        continue;
      }
      KeyPath childPath = path.key(key);
      Loc keyLoc = keyScalar.loc();
      // the last value wins, located at its own key (PyYAML keeps the first key's place in the
      // order of keys, as both maps do)
      Loc earlier = keyLocs.put(key, keyLoc);
      if (earlier != null && checking()) {
        if (firstLocs == null) {
          firstLocs = new HashMap<>();
        }
        Loc first = firstLocs.putIfAbsent(key, earlier);
        int firstLine = (first == null ? earlier : first).line();
        String at = childPath.toString();
        found.add(d -> d.duplicateKey(keyLoc, at, key, firstLine));
      }
      YNode value = node(childPath, depth + 1);
      if (value instanceof YNode.YScalar) {
        count(value.loc(), childPath);
      }
      entries.put(key, value);
      inner = Math.max(inner, height);
    }
    events.next();
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
        } else if (checking()) {
          error(mapNode.loc(), path, "merge key <<: expects a mapping or a list of mappings");
        }
      }
    }
    height = inner + 1;
    return new YNode.YMap(
        FrozenMap.owning(entries), FrozenMap.owning(keyLocs), loc, collectionTag(start));
  }

  static YNode.Kind kind(Tag tag) {
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
