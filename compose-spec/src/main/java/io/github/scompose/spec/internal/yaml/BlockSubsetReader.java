package io.github.scompose.spec.internal.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Reads the block-style subset of YAML that most compose files are written in, in one pass over the
 * characters, without snakeyaml-engine's tokens, events and marks (issue 11, loader speed: they
 * were about 35 % of a load and half of its allocations). It builds exactly the tree {@link
 * YamlReader} builds, with the same locations and core-schema kinds, or declines: {@link #read}
 * returns null for anything outside the subset and for anything the full reader might report (a
 * duplicate key, a limit, a syntax error), and the caller then reads the document in full. So every
 * message stays the full reader's.
 *
 * <p>The subset: lines ending in {@code \n}; comments; block mappings whose keys are plain words
 * ({@code [A-Za-z0-9_]} then {@code [A-Za-z0-9_.\-/]}); block sequences, also at their key's
 * indentation, with compact mappings as items ({@code - name: x}); single-line plain scalars,
 * single-quoted scalars and double-quoted scalars without escapes; flow sequences of such scalars
 * on one line; the empty flow mapping {@code {}}; empty values. Not in it, so read in full:
 * anchors, aliases, merge keys, tags, block and multi-line scalars, flow mappings, document markers
 * and directives, tabs, carriage returns, characters outside the Basic Multilingual Plane and any
 * control character.
 */
final class BlockSubsetReader {

  /** Deepest nesting read here; deeper documents are read in full (limit {@link YamlReader}). */
  private static final int MAX_DEPTH = YamlReader.MAX_DEPTH / 2;

  /** Most nodes read here; larger documents are read in full (limit {@link YamlReader}). */
  private static final int MAX_NODES = YamlReader.MAX_NODES / 2;

  /** Longest key read here (YAML limits implicit keys to 1,024 characters). */
  private static final int MAX_KEY = 128;

  private static final ScalarResolver TAGS = CoreScalarTags.SCHEMA.getScalarResolver();

  /** Thrown, without a stack trace, when the text is not in the subset. */
  private static final class Declined extends RuntimeException {
    private static final Declined INSTANCE = new Declined();

    private Declined() {
      super(null, null, false, false);
    }
  }

  private final String file;
  private final Path baseDir;
  private final String text;
  private final int end;

  /** 1-based number of the current content line; -1 at the end of the text. */
  private int line;

  /** Index of the first character of the current line. */
  private int lineStart;

  /** Column (0-based) of the current line's first non-space character; -1 at the end. */
  private int indent;

  private int nodes;

  private BlockSubsetReader(String file, Path baseDir, String text) {
    this.file = file;
    this.baseDir = baseDir;
    this.text = text;
    this.end = text.length();
  }

  /**
   * The tree {@link YamlReader} builds for {@code content}, or null when {@code content} is outside
   * the subset (see the type's documentation) or the full reader might report a problem in it.
   */
  static YNode read(String file, Path baseDir, String content) {
    if (!plainCharacters(content)) {
      return null;
    }
    BlockSubsetReader reader = new BlockSubsetReader(file, baseDir, content);
    try {
      reader.lineStart = 0;
      reader.line = 0;
      reader.nextContentLine(0);
      if (reader.indent < 0) {
        return null; // an empty document: the full reader says what it is
      }
      YNode root = reader.block(reader.indent, 1);
      return reader.indent < 0 ? root : null;
    } catch (Declined | IndexOutOfBoundsException e) {
      // an index out of bounds would be a slip here on a text it should have declined: the full
      // reader still reads the text, so the user loses nothing
      return null;
    }
  }

  /**
   * Whether every character is one the subset allows: line feeds and printable characters of the
   * Basic Multilingual Plane other than the byte-order mark and YAML's other line breaks.
   */
  private static boolean plainCharacters(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        continue;
      }
      if (c == '\n') {
        continue;
      }
      if (c < 0xa0
          || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)
          || c == 0x2028
          || c == 0x2029
          || c >= 0xfeff) {
        return false;
      }
    }
    return true;
  }

  private static RuntimeException decline() {
    return Declined.INSTANCE;
  }

  private Loc loc(int index) {
    return new Loc(file, baseDir, line, index - lineStart + 1);
  }

  private void count() {
    if (++nodes > MAX_NODES) {
      throw decline();
    }
  }

  /**
   * Moves to the first line at or after {@code from} that holds more than spaces and a comment, and
   * sets {@link #line}, {@link #lineStart} and {@link #indent} ({@code indent} -1 at the end). The
   * caller is at the start of a line; {@code line} is the number of the line before {@code from}.
   */
  private void nextContentLine(int from) {
    int i = from;
    int number = line;
    while (i < end) {
      number++;
      int start = i;
      while (i < end && text.charAt(i) == ' ') {
        i++;
      }
      if (i < end && text.charAt(i) != '\n' && text.charAt(i) != '#') {
        line = number;
        lineStart = start;
        indent = i - start;
        return;
      }
      int nl = text.indexOf('\n', i);
      i = nl < 0 ? end : nl + 1;
    }
    line = -1;
    lineStart = end;
    indent = -1;
  }

  /** Moves past the end of the current line (where {@code at} is) to the next content line. */
  private void finishLine(int at) {
    int i = at;
    while (i < end && text.charAt(i) == ' ') {
      i++;
    }
    if (i < end && text.charAt(i) != '\n') {
      // only a comment may follow, after at least one space
      if (text.charAt(i) != '#' || i == at) {
        throw decline();
      }
      int nl = text.indexOf('\n', i);
      i = nl < 0 ? end : nl;
    }
    nextContentLine(i < end ? i + 1 : end);
  }

  /**
   * Whether a block sequence entry ({@code -} then a space or the line's end) starts at {@code i}.
   */
  private boolean entryAt(int i) {
    if (i >= end || text.charAt(i) != '-') {
      return false;
    }
    return i + 1 >= end || text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\n';
  }

  /** The block collection whose first line is the current line, at column {@code column}. */
  private YNode block(int column, int depth) {
    if (depth > MAX_DEPTH) {
      throw decline();
    }
    int at = lineStart + column;
    if (entryAt(at)) {
      return sequence(column, depth, false);
    }
    return mapping(column, at, depth);
  }

  /**
   * The block mapping whose first key starts at {@code first}, in column {@code column}; its later
   * keys start lines at that column.
   */
  private YNode mapping(int column, int first, int depth) {
    if (depth > MAX_DEPTH) {
      throw decline();
    }
    count();
    Loc loc = loc(first);
    LinkedHashMap<String, YNode> entries = new LinkedHashMap<>();
    LinkedHashMap<String, Loc> keyLocs = new LinkedHashMap<>();
    int keyAt = first;
    while (true) {
      int colon = keyEnd(keyAt);
      if (colon < 0) {
        throw decline();
      }
      String key = text.substring(keyAt, colon);
      Loc keyLoc = loc(keyAt);
      if (keyLocs.put(key, keyLoc) != null) {
        throw decline(); // a duplicate key: reported by the full reader
      }
      int v = colon + 1;
      while (v < end && text.charAt(v) == ' ') {
        v++;
      }
      YNode value;
      if (v >= end || text.charAt(v) == '\n' || (text.charAt(v) == '#' && v > colon + 1)) {
        Loc empty = loc(colon + 1);
        finishLine(colon + 1);
        if (indent > column) {
          value = block(indent, depth + 1);
        } else if (indent == column && entryAt(lineStart + indent)) {
          value = sequence(column, depth + 1, true);
        } else {
          count();
          value = new YNode.YScalar("", YNode.Kind.NULL, empty, null);
        }
      } else {
        if (v == colon + 1) {
          throw decline();
        }
        value = inline(v, depth + 1);
        if (indent > column) {
          throw decline(); // a continuation line or a misplaced one
        }
      }
      entries.put(key, value);
      if (indent != column) {
        if (indent > column) {
          throw decline();
        }
        break;
      }
      keyAt = lineStart + indent;
      if (entryAt(keyAt)) {
        throw decline();
      }
    }
    return new YNode.YMap(FrozenMap.owning(entries), FrozenMap.owning(keyLocs), loc, null);
  }

  /**
   * The index of the {@code :} that ends a plain key starting at {@code i}, or -1 when no such key
   * starts there.
   */
  private int keyEnd(int i) {
    if (i >= end || !keyStart(text.charAt(i))) {
      return -1;
    }
    int j = i + 1;
    int limit = Math.min(end, i + MAX_KEY);
    while (j < limit && keyPart(text.charAt(j))) {
      j++;
    }
    if (j >= end || text.charAt(j) != ':') {
      return -1;
    }
    if (j + 1 < end && text.charAt(j + 1) != ' ' && text.charAt(j + 1) != '\n') {
      return -1;
    }
    return j;
  }

  private static boolean keyStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean keyPart(char c) {
    return keyStart(c) || c == '.' || c == '-' || c == '/';
  }

  /**
   * The block sequence whose entries start lines at column {@code column}; {@code indentless} when
   * it is a mapping value at its key's column (it then ends at the first line that is no entry).
   */
  private YNode sequence(int column, int depth, boolean indentless) {
    if (depth > MAX_DEPTH) {
      throw decline();
    }
    count();
    Loc loc = loc(lineStart + column);
    List<YNode> items = new ArrayList<>();
    while (true) {
      int dash = lineStart + column;
      int v = dash + 1;
      while (v < end && text.charAt(v) == ' ') {
        v++;
      }
      YNode item;
      if (v >= end || text.charAt(v) == '\n' || text.charAt(v) == '#') {
        if (v < end && text.charAt(v) == '#' && v == dash + 1) {
          throw decline();
        }
        finishLine(dash + 1);
        if (indent <= column) {
          throw decline(); // an empty entry
        }
        item = block(indent, depth + 1);
      } else if (keyEnd(v) >= 0) {
        item = mapping(v - lineStart, v, depth + 1);
      } else {
        item = inline(v, depth + 1);
        if (indent > column) {
          throw decline();
        }
      }
      items.add(item);
      if (indent != column || !entryAt(lineStart + indent)) {
        if (indent > column || (indent == column && !indentless)) {
          throw decline();
        }
        break;
      }
    }
    return new YNode.YSeq(items, loc, null);
  }

  /**
   * The value that starts at {@code i} and ends on this line (a scalar, a flow sequence or {@code
   * {}}); moves to the next content line.
   */
  private YNode inline(int i, int depth) {
    char c = text.charAt(i);
    switch (c) {
      case '"', '\'' -> {
        int close = quotedEnd(i);
        YNode s = quoted(i, close);
        finishLine(close + 1);
        return s;
      }
      case '[' -> {
        return flowSequence(i, depth);
      }
      case '{' -> {
        if (depth > MAX_DEPTH) {
          throw decline();
        }
        int j = i + 1;
        while (j < end && text.charAt(j) == ' ') {
          j++;
        }
        if (j >= end || text.charAt(j) != '}') {
          throw decline();
        }
        count();
        YNode m = new YNode.YMap(new LinkedHashMap<>(), new LinkedHashMap<>(), loc(i), null);
        finishLine(j + 1);
        return m;
      }
      default -> {
        // a plain scalar may start with "-" (a flag such as --verbose), not with "- "
        if (c == '-' ? entryAt(i) : "?:,]}#&*!|>%@`".indexOf(c) >= 0) {
          throw decline();
        }
        int j = i;
        int last = i; // one past the last non-space character
        while (j < end) {
          char d = text.charAt(j);
          if (d == '\n') {
            break;
          }
          if (d == ':'
              && (j + 1 >= end || text.charAt(j + 1) == ' ' || text.charAt(j + 1) == '\n')) {
            throw decline(); // a mapping inside a value
          }
          if (d == '#' && text.charAt(j - 1) == ' ') {
            break;
          }
          j++;
          if (d != ' ') {
            last = j;
          }
        }
        YNode s = plain(i, last);
        finishLine(last);
        return s;
      }
    }
  }

  /** The plain scalar {@code text[from, to)}, tagged by the core schema. */
  private YNode plain(int from, int to) {
    count();
    String value = text.substring(from, to);
    return new YNode.YScalar(
        value, YamlReader.kind(TAGS.resolve(value, Boolean.TRUE)), loc(from), null);
  }

  /** The index of the quote that closes the quoted scalar opening at {@code open}, on its line. */
  private int quotedEnd(int open) {
    char q = text.charAt(open);
    int j = open + 1;
    while (j < end) {
      char d = text.charAt(j);
      if (d == '\n' || (d == '\\' && q == '"')) {
        throw decline();
      }
      if (d == q) {
        if (q == '\'' && j + 1 < end && text.charAt(j + 1) == '\'') {
          j += 2;
          continue;
        }
        return j;
      }
      j++;
    }
    throw decline();
  }

  /** The quoted scalar between {@code open} and {@code close}: a string. */
  private YNode quoted(int open, int close) {
    count();
    String value = text.substring(open + 1, close);
    if (text.charAt(open) == '\'' && value.indexOf('\'') >= 0) {
      value = value.replace("''", "'");
    }
    return new YNode.YScalar(value, YNode.Kind.STRING, loc(open), null);
  }

  /** A flow sequence of scalars on this line, opening at {@code open}; moves to the next line. */
  private YNode flowSequence(int open, int depth) {
    if (depth > MAX_DEPTH) {
      throw decline();
    }
    count();
    Loc loc = loc(open);
    List<YNode> items = new ArrayList<>();
    int j = open + 1;
    while (true) {
      while (j < end && text.charAt(j) == ' ') {
        j++;
      }
      if (j >= end) {
        throw decline();
      }
      char c = text.charAt(j);
      if (c == ']' && items.isEmpty()) {
        j++;
        break;
      }
      if (c == '"' || c == '\'') {
        int close = quotedEnd(j);
        items.add(quoted(j, close));
        j = close + 1;
      } else {
        if (c == '-'
            ? j + 1 >= end || " ,[]{}\n".indexOf(text.charAt(j + 1)) >= 0
            : "?:,[]{}#&*!|>%@`\n".indexOf(c) >= 0) {
          throw decline();
        }
        int from = j;
        int last = j;
        while (j < end) {
          char d = text.charAt(j);
          if (d == ',' || d == ']') {
            break;
          }
          if ("\n:#[{}'\"".indexOf(d) >= 0) {
            throw decline();
          }
          j++;
          if (d != ' ') {
            last = j;
          }
        }
        items.add(plain(from, last));
      }
      while (j < end && text.charAt(j) == ' ') {
        j++;
      }
      if (j >= end) {
        throw decline();
      }
      if (text.charAt(j) == ']') {
        j++;
        break;
      }
      if (text.charAt(j) != ',') {
        throw decline();
      }
      j++;
    }
    YNode seq = new YNode.YSeq(items, loc, null);
    finishLine(j);
    return seq;
  }
}
