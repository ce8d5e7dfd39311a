package io.github.scompose.samples.cli;

import java.util.Locale;
import java.util.Set;

/**
 * Sets the slf4j-simple log level from {@code --debug} and {@code --log-level} before any logger
 * exists (slf4j-simple reads its configuration once). Default {@code warn}, on stderr.
 */
final class LogLevels {

  private static final Set<String> LEVELS =
      Set.of("error", "warn", "info", "debug", "trace", "off");

  private LogLevels() {}

  static void configure(String[] args) {
    String level = "warn";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--debug")) {
        level = "debug";
      } else if (a.equals("--log-level") && i + 1 < args.length) {
        level = args[i + 1].toLowerCase(Locale.ROOT);
      } else if (a.startsWith("--log-level=")) {
        level = a.substring("--log-level=".length()).toLowerCase(Locale.ROOT);
      } else if (a.equals("--")) {
        break;
      }
    }
    if (!LEVELS.contains(level)) {
      level = "warn";
    }
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
  }
}
