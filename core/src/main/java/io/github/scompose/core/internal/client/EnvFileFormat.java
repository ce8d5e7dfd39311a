package io.github.scompose.core.internal.client;

import java.util.Map;

/**
 * Env files for {@code --env-file}: one {@code NAME='value'} line per variable. The binary reads
 * the file with a POSIX-shell interpreter (SingularityCE and Apptainer docs), so each value is
 * single-quoted, with {@code '} written as {@code '\''}; any other byte, newlines included, is
 * literal inside single quotes.
 */
public final class EnvFileFormat {

  private EnvFileFormat() {}

  /** The file's text. */
  public static String render(Map<String, String> environment) {
    StringBuilder sb = new StringBuilder();
    environment.forEach((k, v) -> sb.append(k).append('=').append(singleQuoted(v)).append('\n'));
    return sb.toString();
  }

  /** {@code value} as one single-quoted shell word. */
  public static String singleQuoted(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
