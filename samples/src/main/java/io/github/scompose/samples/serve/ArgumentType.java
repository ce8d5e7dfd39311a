package io.github.scompose.samples.serve;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The type of a runscript argument, from the label that declares it: {@code
 * SINGULARITY_RUNSCRIPT_ARG_STR}, {@code _INT}, {@code _FLOAT}, {@code _BOOL} (the convention of
 * the "Serving Singularity Containers" seed; label names in any case). Each type checks a value and
 * renders it as one argv word; see {@link #render}.
 */
public enum ArgumentType {
  /** A string: one word of letters, digits and {@code . _ @ + -}, at most 256 characters. */
  STR("str", "a word of letters, digits and . _ @ + - (other characters are removed)"),
  /** A whole number: optional sign and digits, within a Java {@code long}. */
  INT("int", "a whole number such as 10 or -3"),
  /** A finite decimal number: e.g. {@code 72.5}, {@code -1e3}, at most 64 characters. */
  FLOAT("float", "a decimal number such as 72.5 or 1e3"),
  /** A flag: passed bare ({@code --name}) when given, whatever its value. */
  BOOL("bool", "a flag (any value sets it)");

  /** Longest string value kept, in characters. */
  public static final int MAX_STRING_LENGTH = 256;

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d{1,3})?");
  private static final Pattern NOT_IN_A_WORD = Pattern.compile("[^A-Za-z0-9._@+-]");

  private final String jsonName;
  private final String expected;

  ArgumentType(String jsonName, String expected) {
    this.jsonName = jsonName;
    this.expected = expected;
  }

  /** The name in the API's JSON: {@code str}, {@code int}, {@code float}, {@code bool}. */
  public String jsonName() {
    return jsonName;
  }

  /** What a value must look like, in words (used in 400 answers). */
  public String expected() {
    return expected;
  }

  /** The suffix of the declaring label, e.g. {@code STR}. */
  public String labelSuffix() {
    return name();
  }

  /**
   * The type declared by label {@code labelName} ({@code SINGULARITY_RUNSCRIPT_ARG_<TYPE>}, any
   * case), if it is one.
   */
  public static Optional<ArgumentType> ofLabel(String labelName) {
    String upper = labelName.strip().toUpperCase(Locale.ROOT);
    String prefix = "SINGULARITY_RUNSCRIPT_ARG_";
    if (!upper.startsWith(prefix)) {
      return Optional.empty();
    }
    String suffix = upper.substring(prefix.length());
    for (ArgumentType t : values()) {
      if (t.labelSuffix().equals(suffix)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The argv word for {@code value}, or empty when it is not of this type: a string with every
   * character other than ASCII letters, digits and {@code . _ @ + -} removed and leading {@code -}
   * removed (so it is one word and never reads as a flag; empty or longer than {@link
   * #MAX_STRING_LENGTH} after that is refused); a number as given, surrounding white space removed,
   * when it matches the type's form (decimal: finite); a flag has no value word: {@link #BOOL}
   * answers the empty string.
   */
  public Optional<String> render(String value) {
    String v = value == null ? "" : value.strip();
    switch (this) {
      case STR -> {
        String word = NOT_IN_A_WORD.matcher(v).replaceAll("").replaceFirst("^-+", "");
        return word.isEmpty() || word.length() > MAX_STRING_LENGTH
            ? Optional.empty()
            : Optional.of(word);
      }
      case INT -> {
        return INTEGER.matcher(v).matches() && fitsLong(v) ? Optional.of(v) : Optional.empty();
      }
      case FLOAT -> {
        return v.length() <= 64
                && DECIMAL.matcher(v).matches()
                && Double.isFinite(Double.parseDouble(v))
            ? Optional.of(v)
            : Optional.empty();
      }
      default -> {
        return Optional.of("");
      }
    }
  }

  private static boolean fitsLong(String v) {
    try {
      Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
