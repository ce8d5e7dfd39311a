package io.github.scompose.spec.internal.interpolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DotEnvTest {

  @Test
  void readsTheDocumentedForms() {
    String content =
        """
        # a comment
          # an indented comment

        PLAIN=VAL
        DQ="VAL"
        SQ='VAL'
        COMMENTED=VAL # comment
        NOT_COMMENT=VAL# not a comment
        DQ_HASH="VAL # not a comment"
        DQ_COMMENT="VAL" # comment
        SQ_LITERAL='$PLAIN ${PLAIN}'
        SQ_ESCAPED='Let\\'s go!'
        JSON="{\\"hello\\": \\"json\\"}"
        TAB="some\\tvalue"
        SQ_TAB='some\\tvalue'
        UQ_TAB=some\\tvalue
        export EXPORTED=yes
          SPACED  =  spaced value   \s
        EMPTY=
        EMPTY_COMMENT= # nothing
        """;
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("PLAIN", "VAL");
    expected.put("DQ", "VAL");
    expected.put("SQ", "VAL");
    expected.put("COMMENTED", "VAL");
    expected.put("NOT_COMMENT", "VAL# not a comment");
    expected.put("DQ_HASH", "VAL # not a comment");
    expected.put("DQ_COMMENT", "VAL");
    expected.put("SQ_LITERAL", "$PLAIN ${PLAIN}");
    expected.put("SQ_ESCAPED", "Let's go!");
    expected.put("JSON", "{\"hello\": \"json\"}");
    expected.put("TAB", "some\tvalue");
    expected.put("SQ_TAB", "some\\tvalue");
    expected.put("UQ_TAB", "some\\tvalue");
    expected.put("EXPORTED", "yes");
    expected.put("SPACED", "spaced value");
    expected.put("EMPTY", "");
    expected.put("EMPTY_COMMENT", "");
    LinkedHashMap<String, String> parsed = DotEnv.parse(content);
    assertEquals(expected, parsed);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(parsed.keySet()));
  }

  @Test
  void interpolatesUnquotedAndDoubleQuotedValuesFromEarlierKeys() {
    Map<String, String> env =
        DotEnv.parse(
            """
            HOST=db
            URL=postgres://$HOST:${PORT:-5432}/x
            QUOTED="${HOST}-\\$HOST"
            LITERAL='${HOST}'
            MISSING=a${NOPE}b
            """);
    assertEquals("postgres://db:5432/x", env.get("URL"));
    assertEquals("db-$HOST", env.get("QUOTED"));
    assertEquals("${HOST}", env.get("LITERAL"));
    assertEquals("ab", env.get("MISSING"));
  }

  @Test
  void lookupWinsOverEarlierKeysAndAnswersBareKeys() {
    Map<String, String> outside = Map.of("HOST", "real", "BARE", "from-env");
    Map<String, String> env =
        DotEnv.parse(
            "HOST=file\nURL=$HOST\nBARE\nUNKNOWN_BARE\n",
            name -> Optional.ofNullable(outside.get(name)));
    assertEquals("file", env.get("HOST"));
    assertEquals("real", env.get("URL"));
    assertEquals("from-env", env.get("BARE"));
    assertEquals(false, env.containsKey("UNKNOWN_BARE"));
  }

  @Test
  void bareKeyWithoutLookupIsLeftOut() {
    assertEquals(Map.of("A", "1"), DotEnv.parse("BARE\nA=1\n"));
  }

  @Test
  void quotedValuesMaySpanLinesAndLineNumbersFollow() {
    Map<String, String> env = DotEnv.parse("KEY=\"line1\nline2\"\nNEXT=x\n");
    assertEquals("line1\nline2", env.get("KEY"));
    DotEnvException e =
        assertThrows(DotEnvException.class, () -> DotEnv.parse("A=\"x\ny\"\nB=1\nbad key=1\n"));
    assertEquals(4, e.line());
  }

  @Test
  void crlfLineEndsAreAccepted() {
    assertEquals(
        Map.of("A", "1", "B", "two", "C", "3"), DotEnv.parse("A=1\r\nB=\"two\"\r\nC='3'\r\n"));
  }

  @Test
  void laterDefinitionWins() {
    assertEquals(Map.of("A", "2"), DotEnv.parse("A=1\nA=2\n"));
  }

  @Test
  void errorsNameLineAndProblem() {
    assertError("A=1\nB=\"open\n", 2, "double-quoted value of B is not closed");
    assertError("A='open", 1, "single-quoted value of A is not closed");
    assertError(
        "\n\nA=\"x\" trailing",
        3,
        "unexpected text after the closing quote of A; only a # comment may follow");
    assertError("KEY-NAME=1", 1, "invalid variable name \"KEY-NAME\"; names are [A-Za-z0-9_.]+");
    assertError("=value", 1, "expected KEY=VALUE, found '='");
    assertError("KEY value", 1, "expected '=' after variable name KEY, found 'v'");
    assertError(
        "A=${REQUIRED:?must be set}",
        1,
        "value of A: required variable REQUIRED is not set: must be set");
    assertError("A=${oops", 1, "value of A: unterminated \"${\" at offset 0: no closing '}'");
  }

  @Test
  void messageCarriesLine() {
    DotEnvException e = assertThrows(DotEnvException.class, () -> DotEnv.parse("A='x"));
    assertEquals("line 1: single-quoted value of A is not closed", e.getMessage());
  }

  @Test
  void renderWritesParsableLines() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("A", "plain");
    m.put("B", "with \"quotes\", $dollar, \\backslash\nnewline\ttab");
    assertEquals(
        "A=\"plain\"\nB=\"with \\\"quotes\\\", \\$dollar, \\\\backslash\\nnewline\\ttab\"\n",
        DotEnv.render(m));
    assertEquals(m, DotEnv.parse(DotEnv.render(m)));
  }

  @Test
  void renderRejectsBadKeys() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DotEnv.render(Map.of("A B", "x")));
    assertEquals("environment variable name \"A B\" is not [A-Za-z0-9_.]+", e.getMessage());
  }

  private static void assertError(String content, int line, String reason) {
    DotEnvException e = assertThrows(DotEnvException.class, () -> DotEnv.parse(content));
    assertEquals(reason, e.reason());
    assertEquals(line, e.line());
  }
}
