package io.github.scompose.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code -h/--help} on every subcommand, as {@code docker compose up --help} has it: prints the
 * command's usage on stdout and exits 0. {@code scompose help CMD} ({@link
 * CommandLine.HelpCommand}) prints the same text.
 */
final class HelpOption {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /**
   * Adds {@code -h/--help} to every subcommand of {@code cli} (and theirs) that has no {@code
   * --help} yet.
   */
  static void addTo(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().findOption("--help") == null
          && sub.getCommandSpec().findOption("-h") == null) {
        sub.addMixin("help", new HelpOption());
      }
      addTo(sub);
    }
  }
}
