package io.github.scompose.core.internal.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words like a POSIX shell does for the simple cases compose files
 * hold: blanks separate words, {@code '…'} and {@code "…"} group, a backslash escapes the next
 * character (outside single quotes). No expansion of any kind. singularity-compose 0.1.19 splits
 * {@code exec.command} and {@code run.args} strings this way (recorded argv).
 */
public final class ShellSplit {

  private ShellSplit() {}

  /**
   * The words of {@code text}.
   *
   * @throws IllegalArgumentException for an unclosed quote
   */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < text.length()
            && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
          w.append(text.charAt(++i));
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < text.length()) {
        w.append(text.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed " + quote + " in: " + text);
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
