package io.github.scompose.spec.internal.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML node with its location and explicit tag ({@code !reset}, {@code !override}, or null). */
public sealed interface YNode {

  /** Where the node starts. */
  Loc loc();

  /** An explicit local tag such as {@code !reset}, or null. */
  String tag();

  /** A copy with another tag. */
  YNode withTag(String tag);

  /** Short description of the node's type for messages: "a string", "a list", "a mapping". */
  String describe();

  /** Scalar kinds after YAML 1.2 core-schema resolution. */
  enum Kind {
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL
  }

  /** A scalar. */
  record YScalar(String value, Kind kind, Loc loc, String tag) implements YNode {
    @Override
    public YNode withTag(String newTag) {
      return new YScalar(value, kind, loc, newTag);
    }

    /** A copy with another value (same kind unless the text changed: then a string). */
    public YScalar withValue(String text) {
      return text.equals(value) ? this : new YScalar(text, Kind.STRING, loc, tag);
    }

    public boolean isNull() {
      return kind == Kind.NULL;
    }

    @Override
    public String describe() {
      return switch (kind) {
        case STRING -> "a string";
        case INT -> "a number";
        case FLOAT -> "a number";
        case BOOL -> "a boolean";
        case NULL -> "null";
      };
    }
  }

  /** A sequence. */
  record YSeq(List<YNode> items, Loc loc, String tag) implements YNode {
    public YSeq {
      items = List.copyOf(items);
    }

    @Override
    public YNode withTag(String newTag) {
      return new YSeq(items, loc, newTag);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A mapping with string keys, in document order, and the location of each key. */
  record YMap(Map<String, YNode> entries, Map<String, Loc> keyLocs, Loc loc, String tag)
      implements YNode {
    public YMap {
      entries = FrozenMap.of(entries);
      keyLocs = FrozenMap.of(keyLocs);
    }

    @Override
    public YNode withTag(String newTag) {
      return new YMap(entries, keyLocs, loc, newTag);
    }

    @Override
    public String describe() {
      return "a mapping";
    }

    /** The entries, in order. */
    public java.util.Set<Map.Entry<String, YNode>> entrySetView() {
      return entries.entrySet();
    }

    /** The value at {@code key}, or null. */
    public YNode get(String key) {
      return entries.get(key);
    }

    /** Location of {@code key} (falls back to the mapping's). */
    public Loc keyLoc(String key) {
      return keyLocs.getOrDefault(key, loc);
    }

    /** A copy with {@code key} set (appended when new). */
    public YMap with(String key, YNode value, Loc keyLoc) {
      LinkedHashMap<String, YNode> e = new LinkedHashMap<>(entries);
      LinkedHashMap<String, Loc> k = new LinkedHashMap<>(keyLocs);
      e.put(key, value);
      k.putIfAbsent(key, keyLoc);
      return new YMap(FrozenMap.owning(e), FrozenMap.owning(k), loc, tag);
    }

    /** A copy without {@code key}. */
    public YMap without(String key) {
      LinkedHashMap<String, YNode> e = new LinkedHashMap<>(entries);
      LinkedHashMap<String, Loc> k = new LinkedHashMap<>(keyLocs);
      e.remove(key);
      k.remove(key);
      return new YMap(FrozenMap.owning(e), FrozenMap.owning(k), loc, tag);
    }
  }

  /** Plain Java value of a node (strings, lists, maps; scalars as their text, null as null). */
  static Object toPlain(YNode node) {
    if (node instanceof YScalar s) {
      return s.isNull() ? null : s.value();
    }
    if (node instanceof YSeq q) {
      List<Object> out = new ArrayList<>();
      q.items().forEach(i -> out.add(toPlain(i)));
      return out;
    }
    YMap m = (YMap) node;
    Map<String, Object> out = new LinkedHashMap<>();
    m.entries().forEach((k, v) -> out.put(k, toPlain(v)));
    return out;
  }
}
