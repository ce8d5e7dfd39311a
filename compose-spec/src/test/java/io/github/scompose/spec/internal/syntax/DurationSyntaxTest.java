package io.github.scompose.spec.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DurationSyntaxTest {

  static Stream<Arguments> durations() {
    return Stream.of(
        arguments("2.5s", Duration.ofMillis(2500)),
        arguments("10s", Duration.ofSeconds(10)),
        arguments("1m30s", Duration.ofSeconds(90)),
        arguments("2h32m", Duration.ofMinutes(152)),
        arguments("5h34m56s", Duration.ofSeconds(5 * 3600 + 34 * 60 + 56)),
        arguments("500ms", Duration.ofMillis(500)),
        arguments("2us", Duration.ofNanos(2000)),
        arguments("2µs", Duration.ofNanos(2000)),
        arguments("7ns", Duration.ofNanos(7)),
        arguments("1h", Duration.ofHours(1)),
        arguments("1.5h", Duration.ofMinutes(90)),
        arguments(".5s", Duration.ofMillis(500)),
        arguments("1.s", Duration.ofSeconds(1)),
        arguments("0", Duration.ZERO),
        arguments("0s", Duration.ZERO),
        arguments("1s1s", Duration.ofSeconds(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("durations")
  void parses(String text, Duration expected) {
    assertEquals(expected, DurationSyntax.parse(text));
  }

  @Test
  void renders() {
    assertEquals("1m30s", DurationSyntax.render(Duration.ofSeconds(90)));
    assertEquals("2.5s", DurationSyntax.render(Duration.ofMillis(2500)));
    assertEquals("500ms", DurationSyntax.render(Duration.ofMillis(500)));
    assertEquals("2us", DurationSyntax.render(Duration.ofNanos(2000)));
    assertEquals("7ns", DurationSyntax.render(Duration.ofNanos(7)));
    assertEquals("1h", DurationSyntax.render(Duration.ofHours(1)));
    assertEquals("25h1s", DurationSyntax.render(Duration.ofSeconds(90001)));
    assertEquals("0s", DurationSyntax.render(Duration.ZERO));
  }

  static Stream<Arguments> errors() {
    String expected =
        "expected a duration like 1m30s, 10s, 2.5s or 500ms (units w, d, h, m, s, ms, us, ns)";
    return Stream.of(
        arguments("", "duration is empty; " + expected),
        arguments("10", "duration \"10\" has no unit after 10; " + expected),
        arguments("10x", "duration \"10x\" has unknown unit \"x\"; " + expected),
        arguments("1y", "duration \"1y\" has unknown unit \"y\"; " + expected),
        arguments("-1s", "duration \"-1s\" has no number at position 0; " + expected),
        arguments("s", "duration \"s\" has no number at position 0; " + expected),
        arguments("1m 30s", "duration \"1m 30s\" has unknown unit \"m \"; " + expected),
        arguments(
            "9999999999h",
            "duration \"9999999999h\" is larger than 9223372036854775807 ns (about 292 years)"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("errors")
  void rejectsWithAMessageThatNamesTheProblem(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationSyntax.parse(text));
    assertEquals(message, e.getMessage());
  }
}
