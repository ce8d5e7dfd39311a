package io.github.scompose.spec.internal.interpolation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The environment-file format of {@code .env} and {@code env_file} (Docker Compose docs, "Syntax
 * for environment files"; unlisted details as compose-go's dotenv parser does them).
 *
 * <ul>
 *   <li>one {@code KEY=VALUE} per line; spaces around {@code KEY} and before {@code VALUE} are
 *       ignored; an optional {@code export } prefix is ignored; keys are {@code [A-Za-z0-9_.]+};
 *   <li>blank lines and lines starting with {@code #} are ignored;
 *   <li>unquoted values run to the end of the line, trailing blanks removed; {@code #} starts a
 *       comment only after a space or tab ({@code VAR=VAL# not a comment});
 *   <li>single-quoted values are literal, except that {@code \'} is a quote; double-quoted values
 *       know {@code \n}, {@code \r}, {@code \t}, {@code \\}, {@code \"} and {@code \$} (a literal
 *       {@code $}); any other backslash is kept; quoted values may span lines; after the closing
 *       quote only blanks and a {@code #} comment may follow;
 *   <li>unquoted and double-quoted values are interpolated ({@link Interpolator}) against the
 *       lookup first, then the keys defined earlier in the file; unset variables become {@code ""};
 *   <li>{@code KEY} alone takes the lookup's value, and is left out when the lookup has none.
 * </ul>
 */
public final class DotEnv {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.]+");

  private DotEnv() {}

  /**
   * Parses {@code content} with no outside variables: references resolve against earlier keys only,
   * and a {@code KEY} alone is left out.
   *
   * @throws DotEnvException for malformed content, with the line
   */
  public static LinkedHashMap<String, String> parse(String content) {
    return parse(content, name -> Optional.empty());
  }

  /**
   * Parses {@code content}; {@code lookup} (typically the process environment) answers references
   * and bare {@code KEY} lines first.
   *
   * @throws DotEnvException for malformed content, with the line
   */
  public static LinkedHashMap<String, String> parse(
      String content, Function<String, Optional<String>> lookup) {
    return new Reader(content, lookup).read();
  }

  /**
   * Writes {@code variables} as {@code KEY="VALUE"} lines that {@link #parse(String)} reads back to
   * an equal map (double quotes; {@code \}, {@code "}, {@code $}, newline, CR and tab escaped).
   *
   * @throws IllegalArgumentException for a key that is not {@code [A-Za-z0-9_.]+}
   */
  public static String render(Map<String, String> variables) {
    StringBuilder out = new StringBuilder();
    variables.forEach(
        (key, value) -> {
          if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(
                "environment variable name \"" + key + "\" is not [A-Za-z0-9_.]+");
          }
          out.append(key).append("=\"");
          for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
              case '\\' -> out.append("\\\\");
              case '"' -> out.append("\\\"");
              case '$' -> out.append("\\$");
              case '\n' -> out.append("\\n");
              case '\r' -> out.append("\\r");
              case '\t' -> out.append("\\t");
              default -> out.append(c);
            }
          }
          out.append("\"\n");
        });
    return out.toString();
  }

  private static final class Reader {
    private final String text;
    private final Function<String, Optional<String>> lookup;
    private final LinkedHashMap<String, String> out = new LinkedHashMap<>();
    private final Interpolator interpolator;
    private int pos;
    private int line = 1;

    Reader(String content, Function<String, Optional<String>> lookup) {
      this.text = content;
      this.lookup = lookup;
      this.interpolator =
          new Interpolator(
              name -> {
                Optional<String> v = lookup.apply(name);
                return v.isPresent() ? v : Optional.ofNullable(out.get(name));
              });
    }

    LinkedHashMap<String, String> read() {
      while (true) {
        skipBlankAndComments();
        if (pos >= text.length()) {
          return out;
        }
        statement();
      }
    }

    private void skipBlankAndComments() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '\n') {
          line++;
          pos++;
        } else if (Character.isWhitespace(c) || c == '\uFEFF') {
          pos++;
        } else if (c == '#') {
          skipToEndOfLine();
        } else {
          return;
        }
      }
    }

    private void skipToEndOfLine() {
      while (pos < text.length() && text.charAt(pos) != '\n') {
        pos++;
      }
    }

    private boolean atBlank() {
      return pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t');
    }

    private boolean atLineEnd() {
      return pos >= text.length()
          || text.charAt(pos) == '\n'
          || (text.charAt(pos) == '\r'
              && (pos + 1 >= text.length() || text.charAt(pos + 1) == '\n'));
    }

    private void skipBlanks() {
      while (atBlank()) {
        pos++;
      }
    }

    private void statement() {
      int startLine = line;
      if (text.startsWith("export", pos)
          && pos + 6 < text.length()
          && (text.charAt(pos + 6) == ' ' || text.charAt(pos + 6) == '\t')) {
        pos += 6;
        skipBlanks();
      }
      int keyStart = pos;
      while (pos < text.length() && !atBlank() && !atLineEnd() && text.charAt(pos) != '=') {
        pos++;
      }
      String key = text.substring(keyStart, pos);
      if (key.isEmpty()) {
        throw new DotEnvException(startLine, "expected KEY=VALUE, found '='");
      }
      if (!KEY.matcher(key).matches()) {
        throw new DotEnvException(
            startLine, "invalid variable name \"" + key + "\"; names are [A-Za-z0-9_.]+");
      }
      skipBlanks();
      if (atLineEnd() || text.charAt(pos) == '#') {
        lookup.apply(key).ifPresent(v -> out.put(key, v));
        skipToEndOfLine();
        return;
      }
      if (text.charAt(pos) != '=') {
        throw new DotEnvException(
            startLine,
            "expected '=' after variable name " + key + ", found '" + text.charAt(pos) + "'");
      }
      pos++;
      boolean blankBefore = atBlank();
      skipBlanks();
      String value;
      if (pos < text.length() && text.charAt(pos) == '\'') {
        value = singleQuoted(key, startLine);
        afterQuote(key);
      } else if (pos < text.length() && text.charAt(pos) == '"') {
        value = interpolate(doubleQuoted(key, startLine), key, startLine);
        afterQuote(key);
      } else {
        value = interpolate(unquoted(blankBefore), key, startLine);
      }
      out.put(key, value);
    }

    private String unquoted(boolean blankBefore) {
      int start = pos;
      skipToEndOfLine();
      String raw = text.substring(start, pos);
      if (blankBefore && raw.startsWith("#")) {
        return "";
      }
      for (int i = 1; i < raw.length(); i++) {
        if (raw.charAt(i) == '#' && (raw.charAt(i - 1) == ' ' || raw.charAt(i - 1) == '\t')) {
          raw = raw.substring(0, i);
          break;
        }
      }
      return raw.stripTrailing();
    }

    private String singleQuoted(String key, int startLine) {
      StringBuilder value = new StringBuilder();
      pos++;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '\'') {
          pos++;
          return value.toString();
        }
        if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
          value.append('\'');
          pos += 2;
          continue;
        }
        if (c == '\n') {
          line++;
        }
        value.append(c);
        pos++;
      }
      throw new DotEnvException(startLine, "single-quoted value of " + key + " is not closed");
    }

    /** Returns the value ready for interpolation: a literal {@code $} comes back as {@code $$}. */
    private String doubleQuoted(String key, int startLine) {
      StringBuilder value = new StringBuilder();
      pos++;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '"') {
          pos++;
          return value.toString();
        }
        if (c == '\\' && pos + 1 < text.length()) {
          char e = text.charAt(pos + 1);
          String decoded =
              switch (e) {
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case '\\' -> "\\";
                case '"' -> "\"";
                case '$' -> "$$";
                default -> null;
              };
          if (decoded != null) {
            value.append(decoded);
            pos += 2;
            continue;
          }
        }
        if (c == '\n') {
          line++;
        }
        value.append(c);
        pos++;
      }
      throw new DotEnvException(startLine, "double-quoted value of " + key + " is not closed");
    }

    private void afterQuote(String key) {
      skipBlanks();
      if (atLineEnd()) {
        skipToEndOfLine();
        return;
      }
      if (text.charAt(pos) == '#') {
        skipToEndOfLine();
        return;
      }
      throw new DotEnvException(
          line,
          "unexpected text after the closing quote of " + key + "; only a # comment may follow");
    }

    private String interpolate(String raw, String key, int startLine) {
      try {
        return interpolator.interpolate(raw).value();
      } catch (InterpolationException e) {
        throw new DotEnvException(startLine, "value of " + key + ": " + e.getMessage());
      }
    }
  }
}
