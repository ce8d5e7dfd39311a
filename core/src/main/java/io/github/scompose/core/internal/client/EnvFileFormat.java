package io.github.scompose.core.internal.client;

import io.github.scompose.core.transport.PosixShellQuoting;
import java.util.Map;

/**
 * Env files for {@code --env-file}: one {@code NAME=value} line per variable. The binary reads the
 * file with a POSIX-shell interpreter (SingularityCE and Apptainer docs), so each value is one
 * shell word quoted by {@link PosixShellQuoting#quote} (single quotes unless the value is plain);
 * any byte, newlines included, is literal inside single quotes.
 */
public final class EnvFileFormat {

  private EnvFileFormat() {}

  /**
   * The file's text.
   *
   * @throws IllegalArgumentException when a value contains NUL (no environment can)
   */
  public static String render(Map<String, String> environment) {
    StringBuilder sb = new StringBuilder();
    environment.forEach(
        (k, v) -> sb.append(k).append('=').append(PosixShellQuoting.quote(v)).append('\n'));
    return sb.toString();
  }
}
