package io.github.scompose.spec.internal.interpolation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compose variable interpolation of one string value (Compose Specification, "Interpolation").
 *
 * <ul>
 *   <li>{@code $VAR}, {@code ${VAR}}: the value of {@code VAR}; unset gives {@code ""} and is
 *       reported in {@link Interpolated#unsetVariables()};
 *   <li>{@code ${VAR:-default}}: {@code default} when {@code VAR} is unset or empty; {@code
 *       ${VAR-default}}: when unset;
 *   <li>{@code ${VAR:?message}}: {@link InterpolationException} when unset or empty; {@code
 *       ${VAR?message}}: when unset;
 *   <li>{@code ${VAR:+replacement}}: {@code replacement} when set and non-empty, else {@code ""};
 *       {@code ${VAR+replacement}}: when set;
 *   <li>defaults, replacements and messages are themselves interpolated, only when used ({@code
 *       ${A:-${B:-x}}});
 *   <li>{@code $$} is a literal {@code $}; a {@code $} not followed by a name, <code>{</code> or
 *       {@code $} is kept as is (Compose: "In other circumstances, it will be preserved").
 * </ul>
 *
 * <p>Names are {@code [_a-zA-Z][_a-zA-Z0-9]*}. Other shell forms ({@code ${VAR/a/b}}, {@code
 * ${#VAR}}) are errors, as is an unterminated <code>${</code>. Expressions nest at most {@value
 * #MAX_DEPTH} deep. Instances are immutable and thread-safe when the variable function is.
 */
public final class Interpolator {

  /** Deepest nesting of {@code ${...}} accepted. */
  public static final int MAX_DEPTH = 64;

  private final Function<String, Optional<String>> variables;

  /**
   * @param variables looks a variable up by name; empty when unset (a set variable may be empty)
   */
  public Interpolator(Function<String, Optional<String>> variables) {
    this.variables = Objects.requireNonNull(variables, "variables");
  }

  /** An interpolator over a fixed map of variables. */
  public static Interpolator of(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    return new Interpolator(name -> Optional.ofNullable(copy.get(name)));
  }

  /**
   * Interpolates {@code text}.
   *
   * @throws InterpolationException for a malformed expression or a missing required variable, with
   *     the offset of the expression
   */
  public Interpolated interpolate(String text) {
    if (text.indexOf('$') < 0) {
      return new Interpolated(text, List.of());
    }
    Run run = new Run(text);
    String value = run.parse(false, true, 0);
    return new Interpolated(value, List.copyOf(run.unset));
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  private final class Run {
    private final String text;
    private final Set<String> unset = new LinkedHashSet<>();
    private int pos;

    Run(String text) {
      this.text = text;
    }

    /**
     * Reads text from {@link #pos} to the end (top level) or to the {@code }} that closes the
     * enclosing expression (nested; {@link #pos} is left on it).
     */
    String parse(boolean nested, boolean evaluate, int depth) {
      StringBuilder out = new StringBuilder();
      int len = text.length();
      while (pos < len) {
        char c = text.charAt(pos);
        if (c == '}' && nested) {
          return out.toString();
        }
        if (c != '$' || pos + 1 >= len) {
          out.append(c);
          pos++;
          continue;
        }
        char next = text.charAt(pos + 1);
        if (next == '$') {
          out.append('$');
          pos += 2;
        } else if (next == '{') {
          out.append(braced(evaluate, depth + 1));
        } else if (isNameStart(next)) {
          pos++;
          String name = readName();
          out.append(plain(name, evaluate));
        } else {
          out.append('$');
          pos++;
        }
      }
      return out.toString();
    }

    private String readName() {
      int start = pos;
      while (pos < text.length() && isNamePart(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private String plain(String name, boolean evaluate) {
      if (!evaluate) {
        return "";
      }
      Optional<String> value = variables.apply(name);
      if (value.isEmpty()) {
        unset.add(name);
        return "";
      }
      return value.get();
    }

    private String braced(boolean evaluate, int depth) {
      int start = pos;
      if (depth > MAX_DEPTH) {
        throw new InterpolationException(
            null, start, "interpolation is nested more than " + MAX_DEPTH + " levels deep");
      }
      pos += 2;
      int len = text.length();
      if (pos >= len) {
        throw unterminated(start);
      }
      char first = text.charAt(pos);
      if (!isNameStart(first)) {
        if (first == '}') {
          throw new InterpolationException(
              null, start, "empty variable name in \"${}\"; expected ${NAME}");
        }
        throw new InterpolationException(
            null,
            start,
            "invalid variable name after \"${\": '"
                + first
                + "' cannot start a name; names are [_a-zA-Z][_a-zA-Z0-9]*");
      }
      String name = readName();
      if (pos >= len) {
        throw unterminated(start);
      }
      char c = text.charAt(pos);
      if (c == '}') {
        pos++;
        return plain(name, evaluate);
      }
      String op;
      if (c == ':' && pos + 1 < len && "-?+".indexOf(text.charAt(pos + 1)) >= 0) {
        op = text.substring(pos, pos + 2);
      } else if ("-?+".indexOf(c) >= 0) {
        op = String.valueOf(c);
      } else {
        throw new InterpolationException(
            name,
            start,
            "unsupported interpolation \"${"
                + name
                + c
                + "...\": expected '}' or one of :-, -, :?, ?, :+, + after the name "
                + name);
      }
      pos += op.length();
      Optional<String> value = evaluate ? variables.apply(name) : Optional.empty();
      boolean colon = op.length() == 2;
      boolean missing = value.isEmpty() || (colon && value.get().isEmpty());
      char kind = op.charAt(op.length() - 1);
      boolean wordUsed =
          switch (kind) {
            case '-', '?' -> missing;
            default -> !missing;
          };
      String word = parse(true, evaluate && wordUsed, depth);
      if (pos >= len) {
        throw unterminated(start);
      }
      pos++; // the closing brace
      if (!evaluate) {
        return "";
      }
      return switch (kind) {
        case '-' -> missing ? word : value.get();
        case '+' -> missing ? "" : word;
        default -> {
          if (missing) {
            String what = value.isEmpty() ? "is not set" : "is empty";
            throw new InterpolationException(
                name,
                start,
                "required variable " + name + " " + what + (word.isEmpty() ? "" : ": " + word));
          }
          yield value.get();
        }
      };
    }

    private InterpolationException unterminated(int start) {
      return new InterpolationException(
          null, start, "unterminated \"${\" at offset " + start + ": no closing '}'");
    }
  }
}
