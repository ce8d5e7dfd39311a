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
 *
 * <p>The stops of the rollback run with the thread's interrupt status cleared (and set again
 * afterwards), so an interrupted {@code up} (a CLI's Ctrl-C) still stops what it started. When some
 * stops fail all the same, those instances are listed by {@link #unstopped()} and in the message's
 * last line, and they stay in the project's state and records files (with their address leases), so
 * that {@code down} can retry; the rest is rolled back as above.
 */
public class ComposeUpException extends ComposeOperationException {

  private final List<String> unstopped;

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
    this.unstopped = List.of();
  }

  /**
   * As the other constructor, for a rollback that could not stop {@code unstopped} (kept recorded
   * so that {@code down} can retry).
   *
   * @param unstopped the instances this up started whose stop failed; empty for a full rollback
   */
  public ComposeUpException(
      String instance,
      String reason,
      List<String> maskedArgv,
      OptionalInt exitCode,
      String logTail,
      Throwable cause,
      List<String> unstopped) {
    super(
        "up",
        instance,
        reason,
        maskedArgv,
        exitCode,
        logTail,
        cause,
        unstopped.isEmpty()
            ? "everything this up started has been stopped"
            : "could not stop "
                + String.join(", ", unstopped)
                + ": they stay recorded in the project's state, run down to retry;"
                + " everything else this up started has been stopped");
    this.unstopped = List.copyOf(unstopped);
  }

  /**
   * The instances this up started but could not stop in its rollback (they stay recorded, so {@code
   * down} can retry); empty when the rollback stopped everything.
   */
  public List<String> unstopped() {
    return unstopped;
  }

  /** The last lines of the instance's logs ({@code .err} then {@code .out}); may be empty. */
  @Override
  public String logTail() {
    return super.logTail();
  }
}
