package io.github.scompose.samples.cli;

import java.io.PrintStream;

/**
 * Entry point of {@code samples/target/scompose.jar}, the command-line tool built on the library.
 *
 * <p>Until the samples issue lands it only says so: the example stack ({@code up}, {@code ps},
 * {@code exec}, {@code logs}, {@code down}) needs the compose engine.
 */
public final class ScomposeCommand {

  private ScomposeCommand() {}

  /**
   * Runs the tool and exits with its status.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs the tool without exiting the JVM.
   *
   * @param args command-line arguments
   * @param out where to print
   * @return the exit status: 0
   */
  static int run(String[] args, PrintStream out) {
    out.println(
        "scompose: not yet — the example stack (up, ps, exec, logs, down) arrives with the compose"
            + " engine; see the issues.");
    return 0;
  }
}
