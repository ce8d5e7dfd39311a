package io.github.scompose.core.errors;

import java.util.List;

/**
 * The binary ran and exited with a non-zero code that no more specific exception explains.
 *
 * <p>Carries the argv (secrets masked: values of {@code --env}-style assignments are replaced by
 * {@code ***}), the exit code and the last lines of stderr with ANSI colour codes removed (at most
 * {@value #STDERR_TAIL_LINES} lines). The more specific exceptions of this package ({@link
 * InstanceNotFoundException}, {@link InstanceAlreadyExistsException} …) carry a {@code
 * CommandFailedException} as their cause when they come from a failed command.
 */
public class CommandFailedException extends SingularityException {

  /** How many stderr lines {@link #stderrTail()} keeps: 20. */
  public static final int STDERR_TAIL_LINES = 20;

  private final List<String> maskedArgv;
  private final int exitCode;
  private final String stderrTail;

  /**
   * @param maskedArgv the argv that ran, already masked by the caller
   * @param exitCode its exit code
   * @param stderrTail the end of its stderr, without colour codes
   */
  public CommandFailedException(List<String> maskedArgv, int exitCode, String stderrTail) {
    super(message(maskedArgv, exitCode, stderrTail));
    this.maskedArgv = List.copyOf(maskedArgv);
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
  }

  private static String message(List<String> argv, int exitCode, String stderrTail) {
    String tail = stderrTail.isBlank() ? "(no stderr)" : stderrTail.strip();
    return "command failed with exit code "
        + exitCode
        + ": "
        + String.join(" ", argv)
        + "\n"
        + tail;
  }

  /** The argv that ran, program first, with secret values masked. */
  public List<String> maskedArgv() {
    return maskedArgv;
  }

  /** The exit code ({@code 255} for the binary's {@code FATAL:} errors, recorded from 3.4.2). */
  public int exitCode() {
    return exitCode;
  }

  /** The last lines of stderr, colour codes removed; may be empty. */
  public String stderrTail() {
    return stderrTail;
  }
}
