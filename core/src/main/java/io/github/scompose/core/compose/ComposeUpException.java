package io.github.scompose.core.compose;

import java.util.List;
import java.util.OptionalInt;

/**
 * {@code up} failed; everything it started was stopped again (in reverse order) before this was
 * thrown, and the address leases were released (a first up) or the earlier up's state, records and
 * leases kept (a repeat up). Names the instance, the command that failed (with secrets masked:
 * environment values never appear in argv), its exit code when it had one, and the last lines of
 * the instance's logs. Nothing the user owns was deleted. A {@link ComposeOperationException} whose
 * {@link #operation()} is {@code up}, so one {@code catch} serves every compose operation.
 */
public class ComposeUpException extends ComposeOperationException {

  /**
   * @param instance the instance whose step failed (or the service of an image step)
   * @param reason what went wrong, one sentence
   * @param maskedArgv the command, masked by the caller
   * @param exitCode its exit code, when it ran to an exit
   * @param logTail the end of the instance's logs, possibly empty
   * @param cause the underlying error, possibly {@code null}
   */
  public ComposeUpException(
      String instance,
      String reason,
      List<String> maskedArgv,
      OptionalInt exitCode,
      String logTail,
      Throwable cause) {
    super(
        "up",
        instance,
        reason,
        maskedArgv,
        exitCode,
        logTail,
        cause,
        "everything this up started has been stopped");
  }

  /** The last lines of the instance's logs ({@code .err} then {@code .out}); may be empty. */
  @Override
  public String logTail() {
    return super.logTail();
  }
}
