package io.github.scompose.core.compose;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Prints an argv as one line for people (dry runs, messages): words joined by spaces, a word with
 * anything but {@code [A-Za-z0-9_./:=@%+,-]} single-quoted shell-style. Display only: argv is never
 * run through a shell.
 */
final class CommandLines {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,\\-<>]+");

  private CommandLines() {}

  /** The argv as one line. */
  static String join(List<String> argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(quote(a));
    }
    return b.toString();
  }

  /** One word, quoted when needed. */
  static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
