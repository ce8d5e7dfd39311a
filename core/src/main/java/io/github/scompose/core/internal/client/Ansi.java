package io.github.scompose.core.internal.client;

import java.util.regex.Pattern;

/**
 * Removes ANSI escape sequences: the binary colours {@code FATAL:} even when stderr is not a
 * terminal (recorded from 3.4.2: {@code ESC[31mFATAL: ESC[0m could not open image …}).
 */
public final class Ansi {

  private static final Pattern ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");

  private Ansi() {}

  /** {@code text} without escape sequences. */
  public static String strip(String text) {
    return ESCAPE.matcher(text).replaceAll("");
  }
}
