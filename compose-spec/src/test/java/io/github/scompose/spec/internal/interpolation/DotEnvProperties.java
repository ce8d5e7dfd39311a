package io.github.scompose.spec.internal.interpolation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class DotEnvProperties {

  @Provide
  Arbitrary<Map<String, String>> environments() {
    Arbitrary<String> keys =
        Arbitraries.strings().withChars("ABCXYZabcxyz_019.").ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30),
            Arbitraries.strings().withChars(" \t\n\r\"'\\$#{}=:-?+ab").ofMaxLength(30));
    return Arbitraries.maps(keys, values).ofMaxSize(8);
  }

  @Property(tries = 500)
  void renderThenParseGivesTheSameVariables(@ForAll("environments") Map<String, String> env) {
    assertEquals(env, DotEnv.parse(DotEnv.render(env)));
  }

  @Property(tries = 500)
  void singleQuotedValuesWithoutQuotesOrBackslashesAreLiteral(
      @ForAll("environments") Map<String, String> env) {
    StringBuilder content = new StringBuilder();
    java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
    env.forEach(
        (k, v) -> {
          String literal = v.replace("'", "").replace("\\", "");
          content.append(k).append("='").append(literal).append("'\n");
          expected.put(k, literal);
        });
    assertEquals(expected, DotEnv.parse(content.toString()));
  }

  @Property(tries = 1000)
  void arbitraryContentParsesOrFailsWithDotEnvException(
      @ForAll @StringLength(max = 80) String raw) {
    String content = raw.replace('!', '\n').replace('%', '=').replace('&', '"').replace('*', '$');
    try {
      DotEnv.parse(content);
    } catch (DotEnvException e) {
      org.junit.jupiter.api.Assertions.assertTrue(e.line() >= 1, "line " + e.line());
    }
  }
}
