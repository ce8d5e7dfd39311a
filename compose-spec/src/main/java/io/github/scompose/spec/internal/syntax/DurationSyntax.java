package io.github.scompose.spec.internal.syntax;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Parses and writes Compose durations such as {@code 1m30s}, {@code 10s}, {@code 2.5s}, {@code
 * 500ms} (Compose Specification, "Specifying durations": units {@code us}, {@code ms}, {@code s},
 * {@code m}, {@code h}; the syntax is Go's {@code time.ParseDuration}, which also knows {@code ns}
 * and {@code µs}, accepted here too; compose-go parses durations with go-str2duration, which also
 * knows {@code d} (24 h) and {@code w} (7 days): accepted too).
 *
 * <p>A duration is one or more {@code <number><unit>} terms, summed; the number is decimal with an
 * optional fraction ({@code 1.5h}); {@code 0} alone is zero. Signs are rejected: no option of a
 * compose file takes a negative duration. Results are exact to the nanosecond (a finer fraction is
 * truncated) and at most {@link Long#MAX_VALUE} ns (about 292 years).
 */
public final class DurationSyntax {

  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private DurationSyntax() {}

  /**
   * Parses a Compose duration.
   *
   * @throws IllegalArgumentException when the text is not of that form or too large; the message
   *     names the text and what was expected
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("duration is empty; " + expected());
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int pos = 0;
    int len = text.length();
    while (pos < len) {
      int start = pos;
      while (pos < len && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      if (pos < len && text.charAt(pos) == '.') {
        pos++;
        while (pos < len && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
          pos++;
        }
      }
      String number = text.substring(start, pos);
      if (number.isEmpty() || number.equals(".")) {
        throw new IllegalArgumentException(
            "duration \"" + text + "\" has no number at position " + start + "; " + expected());
      }
      int unitStart = pos;
      while (pos < len && !isNumberChar(text.charAt(pos))) {
        pos++;
      }
      String unit = text.substring(unitStart, pos);
      long factor =
          switch (unit) {
            case "w" -> 7 * 24 * 3_600_000_000_000L;
            case "d" -> 24 * 3_600_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us", "µs", "μs" -> 1_000L;
            case "ns" -> 1L;
            case "" ->
                throw new IllegalArgumentException(
                    "duration \"" + text + "\" has no unit after " + number + "; " + expected());
            default ->
                throw new IllegalArgumentException(
                    "duration \"" + text + "\" has unknown unit \"" + unit + "\"; " + expected());
          };
      if (number.length() > 30) {
        throw tooLarge(text);
      }
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(factor)));
      if (nanos.toBigInteger().compareTo(MAX_NANOS) > 0) {
        throw tooLarge(text);
      }
    }
    return Duration.ofNanos(nanos.toBigInteger().longValueExact());
  }

  /**
   * Writes {@code duration} so that {@link #parse(String)} reads it back equal: {@code 1h2m3s},
   * {@code 1m30.5s}, {@code 500ms}, {@code 2us}, {@code 0s}.
   *
   * @throws IllegalArgumentException for a negative duration
   */
  public static String render(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration " + duration + " is negative");
    }
    if (duration.isZero()) {
      return "0s";
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds == 0) {
      if (nanos % 1_000_000 == 0) {
        return nanos / 1_000_000 + "ms";
      }
      if (nanos % 1_000 == 0) {
        return nanos / 1_000 + "us";
      }
      return nanos + "ns";
    }
    StringBuilder out = new StringBuilder();
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    long secs = seconds % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (secs > 0 || nanos > 0) {
      out.append(secs);
      if (nanos > 0) {
        String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
        out.append('.').append(fraction);
      }
      out.append('s');
    }
    return out.toString();
  }

  private static boolean isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '.';
  }

  private static IllegalArgumentException tooLarge(String text) {
    return new IllegalArgumentException(
        "duration \"" + text + "\" is larger than " + Long.MAX_VALUE + " ns (about 292 years)");
  }

  private static String expected() {
    return "expected a duration like 1m30s, 10s, 2.5s or 500ms (units w, d, h, m, s, ms, us,"
        + " ns)";
  }
}
