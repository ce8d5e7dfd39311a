package io.github.scompose.core.compose;

import io.github.scompose.core.client.RenderedCommand;
import io.github.scompose.core.transport.PosixShellQuoting;
import java.util.List;

/**
 * Prints an argv as one line for people (dry runs, messages): words joined by spaces, each quoted
 * by {@link PosixShellQuoting#quote}, except the env file's placeholder {@link
 * RenderedCommand#ENV_FILE_PLACEHOLDER}, shown as it is. Display only: argv is never run through a
 * shell.
 */
final class CommandLines {

  private CommandLines() {}

  /**
   * The argv as one line.
   *
   * @throws IllegalArgumentException when a word contains NUL (no argv can)
   */
  static String join(List<String> argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(a.equals(RenderedCommand.ENV_FILE_PLACEHOLDER) ? a : PosixShellQuoting.quote(a));
    }
    return b.toString();
  }
}
