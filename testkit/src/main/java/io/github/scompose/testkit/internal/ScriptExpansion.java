package io.github.scompose.testkit.internal;

import java.util.List;
import java.util.Map;

/**
 * The simple cases of shell parameter expansion for scripted lines: {@code $@}, {@code $*}, {@code
 * $#}, {@code $1}..{@code $9}, {@code $NAME}, {@code ${NAME}}; unknown names expand to empty text,
 * as in a shell. Nothing is executed.
 */
final class ScriptExpansion {
  private ScriptExpansion() {}

  static String expand(String text, List<String> args, Map<String, String> env) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      char n = text.charAt(i + 1);
      if (n == '@' || n == '*') {
        out.append(String.join(" ", args));
        i += 2;
      } else if (n == '#') {
        out.append(args.size());
        i += 2;
      } else if (n >= '1' && n <= '9') {
        int index = n - '1';
        out.append(index < args.size() ? args.get(index) : "");
        i += 2;
      } else if (n == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          i++;
          continue;
        }
        out.append(env.getOrDefault(text.substring(i + 2, close), ""));
        i = close + 1;
      } else if (Character.isLetter(n) || n == '_') {
        int end = i + 1;
        while (end < text.length()
            && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        out.append(env.getOrDefault(text.substring(i + 1, end), ""));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
