package io.github.scompose.samples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an {@code --env-file}: one {@code KEY=VALUE} per line; blank lines and lines starting with
 * {@code #} are skipped; an optional {@code export } prefix is dropped; a value in single quotes is
 * literal, in double quotes has {@code \n}, {@code \"} and {@code \\} escapes; an unquoted value
 * ends at {@code " #"} (a comment) and is trimmed (docker compose docs, "Use an environment
 * variables file", syntax rules).
 */
final class EnvFile {

  private EnvFile() {}

  /**
   * @throws CliException (exit 2) when the file cannot be read or a line is not {@code KEY=VALUE}
   */
  static Map<String, String> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID, file + ": cannot read the env file (" + e + ")");
    }
    return parse(file.toString(), text);
  }

  static Map<String, String> parse(String name, String text) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).stripLeading();
      }
      int eq = line.indexOf('=');
      String key = eq < 0 ? line : line.substring(0, eq).strip();
      if (eq <= 0 || !key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
        throw new CliException(
            ScomposeCommand.EXIT_INVALID,
            name + ":" + (n + 1) + ":1: expected KEY=VALUE, found '" + lines[n].strip() + "'");
      }
      out.put(key, value(line.substring(eq + 1).strip()));
    }
    return out;
  }

  private static String value(String raw) {
    if (raw.length() >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
      return raw.substring(1, raw.length() - 1);
    }
    if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      String inner = raw.substring(1, raw.length() - 1);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < inner.length(); i++) {
        char c = inner.charAt(i);
        if (c == '\\' && i + 1 < inner.length()) {
          char next = inner.charAt(++i);
          b.append(
              switch (next) {
                case 'n' -> '\n';
                case 't' -> '\t';
                default -> next;
              });
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }
    int comment = raw.indexOf(" #");
    return (comment >= 0 ? raw.substring(0, comment) : raw).strip();
  }
}
