package io.github.scompose.spec.internal.interpolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class InterpolatorTest {

  private final Interpolator interpolator =
      Interpolator.of(Map.of("SET", "value", "EMPTY", "", "PORT", "8080", "B", "bee"));

  private String eval(String text) {
    return interpolator.interpolate(text).value();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      emptyValue = "",
      value = {
        "plain text          | plain text",
        "$SET                | value",
        "${SET}              | value",
        "a${SET}b            | avalueb",
        "$SET.x              | value.x",
        "${PORT}:80          | 8080:80",
        "${UNSET:-d}         | d",
        "${EMPTY:-d}         | d",
        "${SET:-d}           | value",
        "${UNSET-d}          | d",
        "${EMPTY-d}          | ''",
        "${SET-d}            | value",
        "${SET:+r}           | r",
        "${EMPTY:+r}         | ''",
        "${UNSET:+r}         | ''",
        "${SET+r}            | r",
        "${EMPTY+r}          | r",
        "${UNSET+r}          | ''",
        "${SET:?boom}        | value",
        "${EMPTY?boom}       | ''",
        "${UNSET:-${B}}      | bee",
        "${UNSET:-${U2:-x}}  | x",
        "${UNSET:-$B-$B}     | bee-bee",
        "${UNSET:-a:b-c}     | a:b-c",
        "${SET:-${UNSET:?not evaluated}} | value",
        "$$                  | $",
        "$$SET               | $SET",
        "$${SET}             | ${SET}",
        "price: 5$           | price: 5$",
        "$1 and $ alone      | $1 and $ alone",
        "${UNSET:-}          | ''",
        "}{                  | }{",
      })
  void evaluates(String text, String expected) {
    assertEquals(expected.equals("''") ? "" : expected, eval(text));
  }

  @Test
  void reportsUnsetVariablesWithoutDefaultOnceInOrder() {
    Interpolated r = interpolator.interpolate("$X ${Y} $X ${Z:-d} ${W-} ${V:+r} ${UNSET:-$Q}");
    assertEquals(" ", r.value().substring(0, 1));
    assertEquals(List.of("X", "Y", "Q"), r.unsetVariables());
  }

  @Test
  void emptyVariableIsNotReportedAsUnset() {
    assertEquals(List.of(), interpolator.interpolate("${EMPTY}$EMPTY").unsetVariables());
  }

  @Test
  void requiredUnsetVariableFailsWithItsMessage() {
    InterpolationException e =
        assertThrows(
            InterpolationException.class, () -> eval("image: ${TAG:?set TAG to the image tag}"));
    assertEquals("required variable TAG is not set: set TAG to the image tag", e.getMessage());
    assertEquals(Optional.of("TAG"), e.variable());
    assertEquals(7, e.offset());
  }

  @Test
  void requiredEmptyVariableFailsForColonForm() {
    InterpolationException e = assertThrows(InterpolationException.class, () -> eval("${EMPTY:?}"));
    assertEquals("required variable EMPTY is empty", e.getMessage());
    assertEquals(0, e.offset());
  }

  @Test
  void requiredMessageIsInterpolated() {
    InterpolationException e =
        assertThrows(InterpolationException.class, () -> eval("${UNSET?$B is needed}"));
    assertEquals("required variable UNSET is not set: bee is needed", e.getMessage());
  }

  @Test
  void nestedRequiredErrorHasNestedOffset() {
    InterpolationException e =
        assertThrows(InterpolationException.class, () -> eval("x${UNSET:-${INNER:?no}}"));
    assertEquals(Optional.of("INNER"), e.variable());
    assertEquals(10, e.offset());
  }

  static Stream<Arguments> syntaxErrors() {
    String ops = "expected '}' or one of :-, -, :?, ?, :+, + after the name ";
    return Stream.of(
        arguments("ab${SET", 2, "unterminated \"${\" at offset 2: no closing '}'"),
        arguments("${", 0, "unterminated \"${\" at offset 0: no closing '}'"),
        arguments("${UNSET:-${B}", 0, "unterminated \"${\" at offset 0: no closing '}'"),
        arguments("${}", 0, "empty variable name in \"${}\"; expected ${NAME}"),
        arguments(
            "x ${1A}",
            2,
            "invalid variable name after \"${\": '1' cannot start a name;"
                + " names are [_a-zA-Z][_a-zA-Z0-9]*"),
        arguments("${A B}", 0, "unsupported interpolation \"${A ...\": " + ops + "A"),
        arguments("${VAR/foo/bar}", 0, "unsupported interpolation \"${VAR/...\": " + ops + "VAR"),
        arguments("${VAR:=x}", 0, "unsupported interpolation \"${VAR:...\": " + ops + "VAR"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("syntaxErrors")
  void syntaxErrorsHaveOffsetAndMessage(String text, int offset, String message) {
    InterpolationException e = assertThrows(InterpolationException.class, () -> eval(text));
    assertEquals(message, e.getMessage());
    assertEquals(offset, e.offset());
    assertEquals(Optional.empty(), e.variable().filter(v -> !message.contains("the name " + v)));
  }

  @Test
  void syntaxErrorInUnusedDefaultIsStillAnError() {
    assertThrows(InterpolationException.class, () -> eval("${SET:-${}}"));
  }

  @Test
  void deepNestingFailsCleanly() {
    String deep = "${A:-".repeat(200) + "x" + "}".repeat(200);
    InterpolationException e = assertThrows(InterpolationException.class, () -> eval(deep));
    assertEquals("interpolation is nested more than 64 levels deep", e.getMessage());
  }

  @Test
  void nestingWithinLimitWorks() {
    String deep = "${A:-".repeat(60) + "x" + "}".repeat(60);
    assertEquals("x", eval(deep));
  }

  @Test
  void variablesAreLookedUpLazily() {
    java.util.List<String> asked = new java.util.ArrayList<>();
    Interpolator lazy =
        new Interpolator(
            name -> {
              asked.add(name);
              return Optional.of("v");
            });
    assertEquals("v", lazy.interpolate("${A:-$B}").value());
    assertEquals(List.of("A"), asked);
  }
}
