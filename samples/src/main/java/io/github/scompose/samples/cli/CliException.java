package io.github.scompose.samples.cli;

/**
 * A failure the CLI reports as one line {@code scompose: <message>} with its own exit code (no
 * stack trace unless {@code --debug}).
 */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
