package io.github.scompose.spec.internal.yaml;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * An adversarial sweep of corner cases for {@link BlockSubsetReader}, each held to its contract
 * through {@link FastReaderEquivalence#check}: the fast reader either declines (returns null) or
 * returns exactly the tree of {@link YamlReader#readFully} (same structure, kinds and locations) on
 * a document the full reader reads without a report; and {@link YamlReader#read} reports and builds
 * exactly what {@code readFully} does.
 *
 * <p>The sweep covers: every ASCII character and a few others (NEL, no-break space, line separator,
 * byte order mark, replacement character, a surrogate pair, lone surrogates) at the start, in the
 * middle (also after a space or a colon) and at the end of plain values and keys, alone as a value,
 * right after a key's colon or a dash, before a comment, inside single- and double-quoted scalars,
 * flow sequence items and sequence entries; structural corners (indentless sequences, compact
 * {@code - k: v} items, mis-indented continuation lines, trailing spaces, comments with and without
 * a space before {@code #}, {@code key:value}, {@code -x}, empty values at the end, missing final
 * line feed, blank and comment lines at odd indents, {@code : } inside values, document markers,
 * flow sequences and mappings, unclosed quotes, {@code ''} escapes); nesting around the fast
 * reader's own depth limit ({@code YamlReader.MAX_DEPTH / 2}) and beyond {@link
 * YamlReader#MAX_DEPTH}; many keys; duplicate keys at several levels (which the fast reader must
 * decline, as the full reader reports them); and scalars that look like nulls, booleans, integers
 * or floats, as keys and as values.
 *
 * <p>How many cases the fast reader accepted and declined is printed once; a sweep in which it
 * accepted (almost) nothing would prove nothing, so at least a fifth of the cases must be accepted.
 */
class BlockSubsetReaderCornerCasesTest {

  /** Per group of cases: {accepted, declined}. */
  private static final Map<String, int[]> COUNTS = new TreeMap<>();

  private static final int FAST_DEPTH = YamlReader.MAX_DEPTH / 2;

  @AfterAll
  static void summary() {
    int accepted = 0;
    int declined = 0;
    StringBuilder out = new StringBuilder("BlockSubsetReaderCornerCasesTest:");
    synchronized (COUNTS) {
      for (Map.Entry<String, int[]> group : COUNTS.entrySet()) {
        int[] n = group.getValue();
        accepted += n[0];
        declined += n[1];
        out.append(
            String.format("%n  %-48s accepted %5d, declined %5d", group.getKey(), n[0], n[1]));
      }
    }
    int total = accepted + declined;
    out.append(
        String.format(
            "%n  the fast reader accepted %d and declined %d of %d corner cases",
            accepted, declined, total));
    System.out.println(out);
    if (total > 0) {
      int acceptedCases = accepted;
      assertTrue(
          acceptedCases * 5 >= total,
          () ->
              "the fast reader accepted only "
                  + acceptedCases
                  + " of "
                  + total
                  + " cases: the sweep checks (almost) nothing");
    }
  }

  // ---- how a case is checked and named ----

  /** A named document. */
  private record Case(String name, String doc) {}

  private static Case doc(String name, String doc) {
    return new Case(name, doc);
  }

  /** The contract on {@code doc}, counted under {@code group}. */
  private static void equivalent(String group, String doc) {
    boolean accepted = FastReaderEquivalence.check("compose.yml", doc);
    synchronized (COUNTS) {
      COUNTS.computeIfAbsent(group, g -> new int[2])[accepted ? 0 : 1]++;
    }
  }

  /**
   * The contract on {@code doc}, which the full reader reports on (so the fast reader must
   * decline).
   */
  private static void reportedAndDeclined(String group, String doc) {
    assertFalse(
        FastReaderEquivalence.full("compose.yml", doc).clean(),
        () -> "the full reader reports on " + FastReaderEquivalence.show(doc));
    assertNull(
        BlockSubsetReader.read("compose.yml", FastReaderEquivalence.BASE, doc),
        () -> "the fast reader must decline " + FastReaderEquivalence.show(doc));
    equivalent(group, doc);
  }

  /** The display name of {@code c}: its name and its document, quoted, cut short when long. */
  private static String displayName(Case c) {
    String doc = c.doc();
    return doc.length() <= 80
        ? c.name() + ": " + YNodeDump.quote(doc)
        : c.name()
            + ": "
            + YNodeDump.quote(doc.substring(0, 60))
            + "... ("
            + doc.length()
            + " chars)";
  }

  private static DynamicTest test(String group, Case c) {
    return DynamicTest.dynamicTest(displayName(c), () -> equivalent(group, c.doc()));
  }

  private static Stream<DynamicTest> tests(String group, List<Case> cases) {
    return cases.stream().map(c -> test(group, c));
  }

  private static String spaces(int n) {
    return " ".repeat(n);
  }

  // ---- character sweeps ----

  /** Where a swept character goes: between {@code before} and {@code after}. */
  private record Place(String name, String before, String after) {}

  private static final List<Place> PLACES =
      List.of(
          new Place("plain value, start", "k: ", "v\nz: 1\n"),
          new Place("plain value, middle", "k: v", "w\nz: 1\n"),
          new Place("plain value, end", "k: v", "\nz: 1\n"),
          new Place("plain value, alone", "k: ", "\nz: 1\n"),
          new Place("plain value, after a space", "k: v ", "w\nz: 1\n"),
          new Place("plain value, after a colon", "k: v:", "w\nz: 1\n"),
          new Place("after a key's colon", "k:", "v\nz: 1\n"),
          new Place("before a comment", "k: v", "#c\nz: 1\n"),
          new Place("key, start", "", "k: v\nz: 1\n"),
          new Place("key, middle", "k", "k: v\nz: 1\n"),
          new Place("key, end", "k", ": v\nz: 1\n"),
          new Place("single-quoted", "k: 'v", "w'\nz: 1\n"),
          new Place("double-quoted", "k: \"v", "w\"\nz: 1\n"),
          new Place("flow sequence item, start", "k: [a, ", "v, b]\nz: 1\n"),
          new Place("flow sequence item, middle", "k: [a, v", "w, b]\nz: 1\n"),
          new Place("flow sequence item, end", "k: [a, v", "]\nz: 1\n"),
          new Place("flow sequence item, alone", "k: [", "]\nz: 1\n"),
          new Place("flow sequence item, after a space", "k: [a, v ", "w, b]\nz: 1\n"),
          new Place("after a dash", "-", "v\n- z\n"),
          new Place("sequence entry, middle", "- v", "w\n- z\n"));

  /** Every ASCII character, then a few others, each as a string. */
  private static List<String> sweptCharacters() {
    List<String> chars = new ArrayList<>();
    for (char c = 0; c < 0x80; c++) {
      chars.add(String.valueOf(c));
    }
    chars.add("\u0085"); // next line (NEL), a line break for snakeyaml-engine
    chars.add("\u00A0"); // no-break space: not white space in YAML
    chars.add("\u2028"); // line separator
    chars.add("\u2029"); // paragraph separator
    chars.add("\uE000"); // private use
    chars.add("\uFEFF"); // byte order mark
    chars.add("\uFFFD"); // replacement character
    chars.add("\uFFFE"); // not a character
    chars.add("\uD83D\uDE00"); // a surrogate pair: U+1F600
    chars.add("\uD800"); // a lone high surrogate
    chars.add("\uDC00"); // a lone low surrogate
    return chars;
  }

  private static String describe(String ch) {
    StringBuilder out = new StringBuilder();
    ch.chars().forEach(c -> out.append(out.length() == 0 ? "" : " ").append(hex(c)));
    int cp = ch.codePointAt(0);
    if (ch.length() == 1 && cp > 0x20 && cp < 0x7f) {
      out.append(" '").append(ch).append('\'');
    }
    return out.toString();
  }

  private static String hex(int c) {
    return String.format("U+%04X", c);
  }

  @TestFactory
  Stream<DynamicTest> everyCharacterInEveryPlace() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Place place : PLACES) {
      for (String ch : sweptCharacters()) {
        tests.add(
            test(
                "characters: " + place.name(),
                doc(describe(ch) + " in " + place.name(), place.before() + ch + place.after())));
      }
    }
    return tests.stream();
  }

  // ---- structural corners ----

  @TestFactory
  Stream<DynamicTest> indentlessSequences() {
    return tests(
        "indentless sequences",
        List.of(
            doc("at the root key's column", "a:\n- 1\n- 2\nb: 3\n"),
            doc("last in the file", "a:\n- 1\n- 2"),
            doc("nested, then a sibling key", "a:\n  b:\n  - 1\n  c: 2\n"),
            doc("nested, then a key further left", "x:\n  a:\n  - 1\nb: 2\n"),
            doc("of compact mappings", "a:\n- k: 1\n  l: 2\n- k: 3\nb: 4\n"),
            doc("entry one column right", "a:\n- 1\n - 2\n"),
            doc("entry one column left", "a:\n - 1\n- 2\n"),
            doc("after a scalar value", "a: 1\n- 2\n"),
            doc("in a compact item", "- a:\n  - 1\n  b: 2\n"),
            doc("empty entry then a key", "a:\n-\nb: 1\n"),
            doc("entry holding a block", "a:\n-\n  b: 1\n"),
            doc("entry holding a sequence", "a:\n-\n  - 1\n"),
            doc("two in a row", "a:\n- 1\nb:\n- 2\n"),
            doc("alone in the document", "a:\n- 1\n"),
            doc("indented sequence", "a:\n  - 1\n  - 2\n"),
            doc("indented entries, second deeper", "a:\n  - 1\n   - 2\n"),
            doc("indented entries, second shallower", "a:\n  - 1\n - 2\n"),
            doc("root sequence", "- 1\n- 2\n"),
            doc("root sequence, indented", "  - 1\n  - 2\n"),
            doc("root sequence then a key", "- 1\nk: v\n"),
            doc("root mapping then an entry", "k: v\n- 1\n")));
  }

  @TestFactory
  Stream<DynamicTest> compactItemsWithFurtherKeys() {
    List<Case> cases = new ArrayList<>();
    for (int n = 0; n <= 6; n++) {
      cases.add(doc("root item, second key at column " + n, "- k: v\n" + spaces(n) + "l: w\n"));
      cases.add(
          doc("indented item, second key at column " + n, "s:\n  - k: v\n" + spaces(n) + "l: w\n"));
      cases.add(
          doc(
              "item with 3 spaces after its dash, second key at column " + n,
              "-   k: v\n" + spaces(n) + "l: w\n"));
      cases.add(
          doc(
              "item with an empty value, next line at column " + n,
              "- k:\n" + spaces(n) + "l: w\n"));
      cases.add(
          doc("item with an empty value, entry at column " + n, "- k:\n" + spaces(n) + "- w\n"));
    }
    cases.add(doc("two items of two keys", "- a: 1\n  b: 2\n- a: 3\n  b: 4\n"));
    cases.add(doc("item, nested mapping", "- a:\n    b: 1\n  c: 2\n"));
    cases.add(doc("item, flow value then key", "- a: [x]\n  b: {}\n"));
    cases.add(doc("item, quoted value then key", "- a: 'x'\n  b: \"y\"\n"));
    cases.add(doc("item then a bare dash", "- a: 1\n-\n"));
    cases.add(doc("item, key then entry at its column", "- a: 1\n  - x\n"));
    cases.add(doc("item, quoted key", "- 'a': 1\n"));
    cases.add(doc("item, key without space", "- a:1\n"));
    cases.add(doc("item, two colons", "- a: b: c\n"));
    return tests("compact items", cases);
  }

  /** Values of several forms, for the line-shape sweeps below. */
  private static final List<String> VALUES =
      List.of("v", "v w", "1", "~", "'q'", "\"q\"", "''", "[a, b]", "[]", "{}", "-x");

  @TestFactory
  Stream<DynamicTest> misIndentedContinuationLines() {
    List<Case> cases = new ArrayList<>();
    for (String value : VALUES) {
      for (int n = 0; n <= 4; n++) {
        cases.add(
            doc(
                "value " + value + ", next line 'more' at column " + n,
                "a:\n  k: " + value + "\n" + spaces(n) + "more\n"));
      }
      cases.add(doc("value " + value + ", next key at column 1", "k: " + value + "\n l: 1\n"));
      cases.add(
          doc("value " + value + ", next key aligned", "a:\n  k: " + value + "\n  l: 1\nb: 2\n"));
      cases.add(
          doc("entry " + value + ", next line 'more' at column 2", "- " + value + "\n  more\n"));
    }
    return tests("mis-indented lines", cases);
  }

  @TestFactory
  Stream<DynamicTest> trailingSpacesCommentsAndLineEnds() {
    List<Case> cases = new ArrayList<>();
    for (String value : VALUES) {
      for (String tail : List.of(" ", "   ", "#c", " #c", "  # c", " #", " # c: d")) {
        cases.add(
            doc(
                "value " + value + " then " + YNodeDump.quote(tail),
                "k: " + value + tail + "\nz: 1\n"));
        cases.add(
            doc("entry " + value + " then " + YNodeDump.quote(tail), "- " + value + tail + "\n"));
      }
      cases.add(doc("value " + value + " without a final line feed", "a: 1\nk: " + value));
      cases.add(doc("value " + value + ", comment, no final line feed", "k: " + value + " # c"));
    }
    cases.add(doc("key, spaces, comment", "k:   # c\n  a: 1\n"));
    cases.add(doc("key, comment without space", "k:# c\n"));
    cases.add(doc("key, trailing spaces, nested", "k:  \n  a: 1\n"));
    cases.add(doc("key, trailing spaces, end of file", "k:  "));
    return tests("trailing spaces, comments", cases);
  }

  @TestFactory
  Stream<DynamicTest> colonsAndDashes() {
    return tests(
        "colons and dashes",
        List.of(
            doc("key:value", "k:v\n"),
            doc("key:value with a space later", "k:v w\n"),
            doc("entry key:value", "- k:v\n"),
            doc("value a:b", "k: a:b\n"),
            doc("value a :b", "k: a :b\n"),
            doc("value a: b", "k: a: b\n"),
            doc("value ending in a colon", "k: a:\n"),
            doc("value ending in a colon, no final line feed", "k: a:"),
            doc("value a::", "k: a::\n"),
            doc("value a ::", "k: a ::\n"),
            doc("value a colon", "k: :\n"),
            doc("value :x", "k: :x\n"),
            doc("key, two colons", "k::\n"),
            doc("key then space before the colon", "k : v\n"),
            doc("URL value", "k: http://host:80/path?q=a:b#frag\n"),
            doc("port mapping", "- 8080:80\n- \"127.0.0.1:53:53/udp\"\n"),
            doc("a time", "k: 12:30:00\n"),
            doc("quoted value with a colon", "k: 'a: b'\nl: \"c: d\"\n"),
            doc("colon after a comment start", "k: a #: b\n"),
            doc("entry, dash space", "- x\n"),
            doc("entry without space", "-x\n"),
            doc("entry -x", "- -x\n"),
            doc("entry - x", "- - x\n"),
            doc("bare dash", "-\n"),
            doc("bare dash, spaces", "-   \n"),
            doc("bare dash, no final line feed", "-"),
            doc("dash then comment", "-# c\n"),
            doc("dash, space, comment, block", "- # c\n  x: 1\n"),
            doc("dash, space, comment, entry", "- # c\n- x\n"),
            doc("value -x", "k: -x\n"),
            doc("value -", "k: -\n"),
            doc("value - x", "k: - x\n"),
            doc("value --", "k: --\n"),
            doc("value --flag=1", "k: --flag=1 -v\n"),
            doc("value -1", "k: -1\n"),
            doc("key starting with a dash", "-k: v\n"),
            doc("key with inner dashes", "a-b-: v\n"),
            doc("key with slashes and dots", "a/b.c_d: v\n")));
  }

  @TestFactory
  Stream<DynamicTest> emptyValuesAndFileEnds() {
    return tests(
        "empty values, file ends",
        List.of(
            doc("key only", "k:"),
            doc("key only, line feed", "k:\n"),
            doc("key only, space", "k: "),
            doc("key only, comment", "k:  # c"),
            doc("last key empty", "a: 1\nk:"),
            doc("last nested key empty", "a:\n  k:"),
            doc("last item key empty", "- k:"),
            doc("empty entry last", "- a\n-"),
            doc("empty indentless entry last", "a:\n-"),
            doc("empty single-quoted", "k: ''"),
            doc("empty double-quoted", "k: \"\""),
            doc("nested empty then blank lines", "a:\n  b:\n\n\n"),
            doc("nested empty then spaces only", "a:\n  b:\n    "),
            doc("no final line feed, plain", "k: v"),
            doc("no final line feed, quoted", "k: 'v'"),
            doc("no final line feed, flow", "k: [a]"),
            doc("no final line feed, flow mapping", "k: {}"),
            doc("no final line feed, entry", "- v"),
            doc("no final line feed, nested", "a:\n  b: 1"),
            doc("no final line feed, comment", "k: v # c"),
            doc("only spaces", "   "),
            doc("only a line feed", "\n"),
            doc("only a comment, no line feed", "# c"),
            doc("empty", ""),
            doc("two empty keys", "a:\nb:\n"),
            doc("empty key then deeper comment", "a:\n   # c\nb:\n")));
  }

  @TestFactory
  Stream<DynamicTest> blankAndCommentLinesAtOddIndents() {
    List<Case> cases = new ArrayList<>();
    for (int n = 0; n <= 5; n++) {
      cases.add(doc("blank line of " + n + " spaces", "a:\n" + spaces(n) + "\n  b: 1\nc: 2\n"));
      cases.add(doc("comment at column " + n, "a:\n" + spaces(n) + "# c\n  b: 1\nc: 2\n"));
      cases.add(
          doc("comment at column " + n + " after a value", "a: 1\n" + spaces(n) + "# c\nb: 2\n"));
      cases.add(
          doc("comment at column " + n + " between entries", "- a\n" + spaces(n) + "#\n- b\n"));
    }
    cases.add(doc("comments before an indented root", "# c\n  # d\n\n  a: 1\n  b: 2\n"));
    cases.add(doc("many blank lines", "a: 1\n\n\n\nb: 2\n"));
    cases.add(doc("comment after the last line, no line feed", "a: 1\n   # c"));
    return tests("blank and comment lines", cases);
  }

  @TestFactory
  Stream<DynamicTest> documentMarkers() {
    return tests(
        "document markers",
        List.of(
            doc("start marker first", "---\na: 1\n"),
            doc("start marker with a space", "--- \na: 1\n"),
            doc("start marker and comment", "--- # c\na: 1\n"),
            doc("start marker after", "a: 1\n---\n"),
            doc("end marker after", "a: 1\n...\n"),
            doc("end marker and comment", "a: 1\n... # c\n"),
            doc("end marker alone", "...\n"),
            doc("start marker alone", "---"),
            doc("start marker with content", "--- a\n"),
            doc("directive", "%YAML 1.2\n---\na: 1\n"),
            doc("value ---", "a: ---\n"),
            doc("value ...", "a: ...\n"),
            doc("entry ---", "- ---\n"),
            doc("entry ...", "- ...\n"),
            doc("indented ---", "a:\n  ---\n"),
            doc("start marker between keys", "a: 1\n---\nb: 2\n"),
            doc("four dashes", "----\n"),
            doc("key of dots", "...: 1\n")));
  }

  @TestFactory
  Stream<DynamicTest> flowCollections() {
    return tests(
        "flow collections",
        List.of(
            doc("two items", "k: [a, b]\n"),
            doc("empty", "k: []\n"),
            doc("empty with a space", "k: [ ]\n"),
            doc("empty mapping", "k: {}\n"),
            doc("empty mapping with a space", "k: { }\n"),
            doc("trailing comma", "k: [a,]\n"),
            doc("leading comma", "k: [,a]\n"),
            doc("double comma", "k: [a,,b]\n"),
            doc("nested", "k: [a, [b]]\n"),
            doc("nested first", "k: [[a]]\n"),
            doc("mapping inside", "k: [a, {b: c}]\n"),
            doc("empty mapping inside", "k: [{}]\n"),
            doc("mapping with an entry", "k: {a: 1}\n"),
            doc("unclosed", "k: [a\n"),
            doc("unclosed, end of file", "k: [a, b"),
            doc("over two lines", "k: [a,\n  b]\n"),
            doc("text after", "k: [a] x\n"),
            doc("two closing brackets", "k: [a]]\n"),
            doc("spaces around items", "k: [ a , b ]\n"),
            doc("no spaces", "k: [a,b]\n"),
            doc("numbers", "k: [-1, +2, .5, 0x1F]\n"),
            doc("null and bool lookalikes", "k: [~, null, true, No]\n"),
            doc("quoted items", "k: ['a', \"b\", 'c''d']\n"),
            doc("quoted item then text", "k: ['a' b]\n"),
            doc("inner spaces", "k: [a b, c  d]\n"),
            doc("inner dash", "k: [a - b]\n"),
            doc("a dash", "k: [-]\n"),
            doc("dash space", "k: [- a]\n"),
            doc("question mark inside", "k: [a?b]\n"),
            doc("question mark first", "k: [?a]\n"),
            doc("question mark alone", "k: [a, ?]\n"),
            doc("colon inside", "k: [a:b]\n"),
            doc("colon space inside", "k: [a: b]\n"),
            doc("hash inside", "k: [a#b]\n"),
            doc("comment inside", "k: [a #b]\n"),
            doc("comment after a comma", "k: [a, #b]\n"),
            doc("comment right after", "k: [a]#c\n"),
            doc("comment after a space", "k: [a] #c\n"),
            doc("as an entry", "- [a, b]\n- []\n- {}\n"),
            doc("root flow sequence", "[a, b]\n"),
            doc("root empty mapping", "{}\n"),
            doc("bracket then line feed", "k: [\n]\n"),
            doc("then a deeper line", "k: [a]\n  b: 1\n"),
            doc("empty mapping then a deeper line", "k: {}\n  b: 1\n"),
            doc("brackets inside a plain value", "k: a[b]c{d}\n"),
            doc("closing bracket first", "k: ]a\n"),
            doc("closing brace first", "k: }a\n")));
  }

  @TestFactory
  Stream<DynamicTest> quotedScalars() {
    return tests(
        "quoted scalars",
        List.of(
            doc("single not closed", "k: 'a\n"),
            doc("double not closed", "k: \"a\n"),
            doc("single not closed, next key", "k: 'a\nb: 1\n"),
            doc("single not closed after an escape", "k: 'a''\n"),
            doc("three single quotes", "k: '''\n"),
            doc("four single quotes", "k: ''''\n"),
            doc("six single quotes", "k: ''''''\n"),
            doc("escaped quote at the end", "k: 'a'''\n"),
            doc("escaped quote at the start", "k: '''a'\n"),
            doc("two escaped quotes", "k: 'a''''b'\n"),
            doc("it''s", "k: 'it''s'\n"),
            doc("single space", "k: ' '\n"),
            doc("inner and outer spaces", "k: '  a  b  '\n"),
            doc("hash inside", "k: '#'\nl: 'a #b'\n"),
            doc("comment after", "k: 'a' #c\n"),
            doc("text after", "k: 'a' b\n"),
            doc("text right after", "k: 'a'b\n"),
            doc("double, text right after", "k: \"a\"b\n"),
            doc("double with an escaped quote", "k: \"a\\\"\"\n"),
            doc("double with an escape", "k: \"a\\nb\"\n"),
            doc("double holding a single quote", "k: \"it's\"\n"),
            doc("single holding a double quote", "k: '\"'\n"),
            doc("entry not closed", "- 'a\n"),
            doc("flow item not closed", "k: [a, 'b]\n"),
            doc("quoted key", "'k': v\n"),
            doc("double-quoted key", "\"k\": v\n"),
            doc("quoted entries", "- 'a'\n- \"b\"\n- ''\n")));
  }

  @TestFactory
  Stream<DynamicTest> locationsOfOddlyPlacedNodes() {
    return tests(
        "locations",
        List.of(
            doc("value after many spaces", "k:      v\n"),
            doc("entry after many spaces", "-      v\n"),
            doc("indented root", "   k: v\n   l: w\n"),
            doc("indented root, dedent", "   k: v\nl: w\n"),
            doc("characters of the BMP before a value", "k: \u00e9\u4e2d v\nl: \u00fc\n"),
            doc("no-break space around a value", "k: \u00A0v\u00A0\nl: w\n"),
            doc("deep compact items", "a:\n  - b:\n      - c: 1\n        d: 2\n    e: 3\n"),
            doc("null after a dash and spaces", "-   \n  \n- x\n")));
  }

  // ---- depth and size ----

  /** {@code levels} nested block mappings, the innermost holding {@code leaf}. */
  private static String nestedMappings(int levels, String leaf) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < levels - 1; i++) {
      out.append(spaces(i)).append("k:\n");
    }
    return out.append(spaces(levels - 1)).append("k: ").append(leaf).append('\n').toString();
  }

  /** {@code levels} nested block sequences, one dash per line, the innermost holding x. */
  private static String nestedSequences(int levels) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < levels - 1; i++) {
      out.append(spaces(i)).append("-\n");
    }
    return out.append(spaces(levels - 1)).append("- x\n").toString();
  }

  /**
   * {@code levels} nested levels, mappings and sequences in turn, each on its own line two columns
   * right of its parent, the innermost holding x.
   */
  private static String alternating(int levels) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      out.append(spaces(2 * i)).append(i % 2 == 0 ? "k:" : "-");
      out.append(i == levels - 1 ? " x\n" : "\n");
    }
    return out.toString();
  }

  /**
   * {@code levels} nested levels made of compact items {@code - k:} (a sequence and a mapping
   * each), each holding the next as an indentless sequence, the innermost entry x or {@code k: x}.
   */
  private static String compactItems(int levels) {
    StringBuilder out = new StringBuilder();
    int items = (levels - 1) / 2;
    for (int i = 0; i < items; i++) {
      out.append(spaces(2 * i)).append("- k:\n");
    }
    return out.append(spaces(2 * items)).append(levels % 2 == 1 ? "- x\n" : "- k: x\n").toString();
  }

  /**
   * The contract on {@code doc}, nested {@code depth} levels deep: within the fast reader's own
   * limit it accepts the document, beyond it declines, and beyond the full reader's limit the full
   * reader reports it.
   */
  private static void nested(int depth, String doc) {
    if (depth > YamlReader.MAX_DEPTH) {
      reportedAndDeclined("depth", doc);
      return;
    }
    equivalent("depth", doc);
    boolean accepted =
        BlockSubsetReader.read("compose.yml", FastReaderEquivalence.BASE, doc) != null;
    assertTrue(
        accepted == depth <= FAST_DEPTH,
        () ->
            "the fast reader "
                + (accepted ? "accepted" : "declined")
                + " a document nested "
                + depth
                + " levels deep; its limit is "
                + FAST_DEPTH
                + "\n"
                + FastReaderEquivalence.show(doc));
  }

  @TestFactory
  Stream<DynamicTest> nestingAroundTheDepthLimits() {
    List<DynamicTest> tests = new ArrayList<>();
    int[] depths = {
      FAST_DEPTH - 2,
      FAST_DEPTH - 1,
      FAST_DEPTH,
      FAST_DEPTH + 1,
      FAST_DEPTH + 2,
      YamlReader.MAX_DEPTH - 1,
      YamlReader.MAX_DEPTH,
      YamlReader.MAX_DEPTH + 1,
      YamlReader.MAX_DEPTH + 2
    };
    for (int depth : depths) {
      List<Case> cases = new ArrayList<>();
      cases.add(doc(depth + " mappings, scalar leaf", nestedMappings(depth, "x")));
      cases.add(
          doc(depth + " levels, mappings and a flow sequence", nestedMappings(depth - 1, "[a]")));
      cases.add(
          doc(
              depth + " levels, mappings and an empty flow mapping",
              nestedMappings(depth - 1, "{}")));
      cases.add(
          doc(
              depth + " levels, mappings and an empty flow sequence",
              nestedMappings(depth - 1, "[]")));
      cases.add(doc(depth + " sequences", nestedSequences(depth)));
      cases.add(doc(depth + " levels, mappings and sequences in turn", alternating(depth)));
      cases.add(doc(depth + " levels of compact items", compactItems(depth)));
      for (Case c : cases) {
        tests.add(DynamicTest.dynamicTest(displayName(c), () -> nested(depth, c.doc())));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> manyKeysAndEntries() {
    StringBuilder keys = new StringBuilder();
    StringBuilder nestedKeys = new StringBuilder("services:\n");
    StringBuilder entries = new StringBuilder();
    StringBuilder flow = new StringBuilder("k: [");
    for (int i = 0; i < 5000; i++) {
      keys.append("key").append(i).append(": ").append(i).append('\n');
      nestedKeys.append("  s").append(i).append(":\n    image: i").append(i).append('\n');
      entries.append("- e").append(i).append('\n');
      flow.append(i == 0 ? "" : ", ").append(i);
    }
    flow.append("]\n");
    return tests(
        "many keys",
        List.of(
            doc("5000 keys", keys.toString()),
            doc("5000 nested mappings", nestedKeys.toString()),
            doc("5000 entries", entries.toString()),
            doc("5000 flow items", flow.toString()),
            doc("5000 keys then a duplicate of the first", keys + "key0: again\n"),
            doc("a key of 127 characters", "k".repeat(127) + ": v\n"),
            doc("a key of 128 characters", "k".repeat(128) + ": v\n"),
            doc("a key of 129 characters", "k".repeat(129) + ": v\n"),
            doc("a key of 1024 characters", "k".repeat(1024) + ": v\n"),
            doc("a key of 1025 characters", "k".repeat(1025) + ": v\n"),
            doc("a value of 100000 characters", "k: " + "v".repeat(100_000) + "\n")));
  }

  // ---- duplicate keys ----

  @TestFactory
  Stream<DynamicTest> duplicateKeys() {
    String group = "duplicate keys";
    List<Case> reported =
        List.of(
            doc("at the root", "a: 1\na: 2\n"),
            doc("at the root, far apart", "a: 1\nb:\n  c: 2\nd: 3\na: 4\n"),
            doc("at the root, empty values", "a:\na:\n"),
            doc("nested", "x:\n  a: 1\n  a: 2\n"),
            doc("nested, after a deeper block", "x:\n  a:\n    b: 1\n  a: 2\n"),
            doc("in a compact item", "- a: 1\n  a: 2\n"),
            doc("in an indentless item", "x:\n- a: 1\n  b: 2\n  a: 3\n"),
            doc(
                "deep",
                nestedMappings(20, "x").replace("k: x\n", "k: x\n" + spaces(19) + "k: y\n")),
            doc("a block and a scalar", "a:\n  b: 1\na: x\n"),
            doc("a sequence and a scalar", "a:\n- 1\na: x\n"),
            doc("plain key and quoted key", "a: 1\n'a': 2\n"),
            doc("numeric lookalike keys, same text", "1: a\n1: b\n"));
    List<Case> clean =
        List.of(
            doc("same key in sibling mappings", "x:\n  a: 1\ny:\n  a: 2\n"),
            doc("same key in two items", "- a: 1\n- a: 2\n"),
            doc("same key at two levels", "a:\n  a:\n    a: 1\n"),
            doc("keys differing in case", "a: 1\nA: 2\n"),
            doc("keys 1 and 01", "1: a\n01: b\n"),
            doc("keys true and True", "true: a\nTrue: b\n"),
            doc("keys null and Null", "null: a\nNull: b\n"));
    Stream<DynamicTest> duplicates =
        reported.stream()
            .map(
                c ->
                    DynamicTest.dynamicTest(
                        displayName(c), () -> reportedAndDeclined(group, c.doc())));
    return Stream.concat(duplicates, tests(group, clean));
  }

  // ---- scalars that look like other things ----

  private static final List<String> LOOKALIKES =
      List.of(
          "~",
          "null",
          "Null",
          "NULL",
          "nUll",
          "true",
          "True",
          "TRUE",
          "tRue",
          "false",
          "False",
          "yes",
          "no",
          "on",
          "off",
          "y",
          "n",
          "0",
          "-0",
          "+0",
          "+1",
          "-1",
          "007",
          "0x1F",
          "0X1F",
          "0xg",
          "0o17",
          "0o8",
          "0b101",
          "1_000",
          "1e3",
          "1E3",
          "1e",
          "1.",
          ".5",
          "-.5",
          "+.5",
          "1.5e-3",
          ".inf",
          "-.inf",
          "+.inf",
          ".Inf",
          ".INF",
          ".iNf",
          ".nan",
          ".NaN",
          ".NAN",
          "1:20",
          "2001-12-14",
          "0.",
          "..",
          "$VAR",
          "${VAR}",
          "${VAR:-x}",
          "=",
          "<<");

  @TestFactory
  Stream<DynamicTest> scalarsThatLookLikeNullsBooleansAndNumbers() {
    List<Case> cases = new ArrayList<>();
    for (String s : LOOKALIKES) {
      cases.add(doc("value " + s, "k: " + s + "\n"));
      cases.add(doc("quoted value " + s, "k: '" + s + "'\nl: \"" + s + "\"\n"));
      cases.add(doc("key " + s, s + ": v\n"));
      cases.add(doc("key " + s + ", empty value", "a: 1\n" + s + ":\n"));
      cases.add(doc("entry " + s, "- " + s + "\n- " + s + " # c\n"));
      cases.add(doc("flow item " + s, "k: [" + s + ", " + s + " ]\n"));
    }
    return tests("scalar lookalikes", cases);
  }
}
