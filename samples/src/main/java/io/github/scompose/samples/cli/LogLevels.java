package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.ComposeEvent;
import java.util.Locale;
import java.util.Set;

/**
 * Sets the slf4j-simple log level from {@code --debug} and {@code --log-level} before any logger
 * exists (slf4j-simple reads its configuration once). Default {@code warn}, on stderr.
 *
 * <p>Only the global options count: the scan stops at the first word that is not an option or an
 * option's value (the command word), so {@code scompose exec web tool --debug} passes {@code
 * --debug} to {@code tool} and leaves logging alone.
 */
final class LogLevels {

  /** The values {@code --log-level} accepts (slf4j-simple's levels). */
  static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace", "off");

  /** Global options of {@link ScomposeCommand} that take a value as the next argument. */
  private static final Set<String> OPTIONS_WITH_VALUE =
      Set.of(
          "-f",
          "--file",
          "-p",
          "--project-name",
          "--project-directory",
          "--env-file",
          "--profile",
          "--runtime",
          "--compat",
          "--parallel",
          "--log-level");

  private LogLevels() {}

  /**
   * The log level the global options before the command word ask for.
   *
   * @throws CliException (exit 2) when {@code --log-level} names no level of {@link #LEVELS}
   */
  static String level(String[] args) {
    String level = "warn";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--") || !a.startsWith("-")) {
        break; // the command word: what follows is the command's
      }
      String value = null;
      if (a.equals("--log-level")) {
        if (i + 1 >= args.length) {
          break; // picocli reports the missing value
        }
        value = args[++i];
      } else if (a.startsWith("--log-level=")) {
        value = a.substring("--log-level=".length());
      } else if (a.equals("--debug")) {
        level = "debug";
      } else if (OPTIONS_WITH_VALUE.contains(a)) {
        i++;
      }
      if (value != null) {
        level = value.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
          throw new CliException(
              ScomposeCommand.EXIT_INVALID,
              "--log-level "
                  + value
                  + ": not a level (expected one of error, warn, info, debug, trace, off)");
        }
      }
    }
    return level;
  }

  /**
   * Configures slf4j-simple for {@code args} (unless the JVM already chose a level).
   *
   * @throws CliException (exit 2) when {@code --log-level} names no level
   */
  static void configure(String[] args) {
    String level = level(args);
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }
    String events = "org.slf4j.simpleLogger.log." + ComposeEvent.LOGGER;
    if (!level.equals("debug") && !level.equals("trace") && System.getProperty(events) == null) {
      // the progress lines show every event and the plan's notes: one report each
      System.setProperty(events, "error");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
  }
}
