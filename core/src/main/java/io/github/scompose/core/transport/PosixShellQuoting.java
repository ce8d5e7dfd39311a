package io.github.scompose.core.transport;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Quotes words for a POSIX shell: the one quoting rule of the project, used where a shell cannot be
 * avoided (the remote side of SSH, env files the binary reads with a shell interpreter, the
 * testkit's launcher scripts, command lines shown to people). A {@link Transport} whose remote side
 * is a shell quotes its argv with it. A word made only of characters no shell treats specially is
 * left as it is; any other word is put between single quotes, each {@code '} inside written as
 * {@code '\''} (close, escaped quote, reopen). Inside single quotes a POSIX shell takes every
 * character literally, newlines included (POSIX.1-2017, Shell Command Language, 2.2.2
 * Single-Quotes).
 *
 * <p>NUL cannot be passed in an argv at all and is rejected.
 */
public final class PosixShellQuoting {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private PosixShellQuoting() {}

  /**
   * {@code word} as one shell word.
   *
   * @throws IllegalArgumentException when {@code word} contains NUL
   */
  public static String quote(String word) {
    if (word.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a shell word cannot contain NUL");
    }
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** {@code words} quoted and joined by single spaces. */
  public static String join(List<String> words) {
    StringBuilder line = new StringBuilder();
    for (String word : words) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(quote(word));
    }
    return line.toString();
  }
}
