package io.github.scompose.testkit.wait;

import java.time.Duration;

/**
 * A {@link WaitStrategy} gave up: the timeout passed, the instance stopped running, or the waiting
 * thread was interrupted. The message names the instance, what was awaited, the last check's
 * finding and the instance's last log lines.
 */
public final class NotReadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the wait ended. */
  public enum Reason {
    /** The timeout passed. */
    TIMED_OUT,
    /** The instance was no longer listed. */
    STOPPED,
    /** The waiting thread was interrupted. */
    INTERRUPTED
  }

  /** How many log lines of each log the message quotes: 20. */
  public static final int LOG_TAIL_LINES = 20;

  private final String instance;
  private final Reason reason;
  private final String logTail;

  private NotReadyException(String instance, Reason reason, String message, String logTail) {
    super(message);
    this.instance = instance;
    this.reason = reason;
    this.logTail = logTail;
  }

  static NotReadyException of(
      WaitTarget target, Reason reason, WaitStrategy strategy, String lastCheck) {
    String tail;
    try {
      tail = target.logTail(LOG_TAIL_LINES);
    } catch (RuntimeException e) {
      tail = "(logs unreadable: " + e.getMessage() + ")\n";
    }
    String why =
        switch (reason) {
          case TIMED_OUT -> "timed out after " + human(strategy.timeout()) + " waiting for ";
          case STOPPED -> "it stopped running while waiting for ";
          case INTERRUPTED -> "interrupted while waiting for ";
        };
    String message =
        "instance "
            + target.instance()
            + " is not ready: "
            + why
            + strategy.description()
            + (lastCheck.isEmpty() ? "" : "; last check: " + lastCheck)
            + "\nlast "
            + LOG_TAIL_LINES
            + " log lines of "
            + target.instance()
            + ":\n"
            + (tail.isEmpty() ? "(no log output)\n" : tail);
    return new NotReadyException(target.instance(), reason, message, tail);
  }

  static String human(Duration d) {
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return d.toMillis() + " ms";
  }

  /** The instance waited on. */
  public String instance() {
    return instance;
  }

  /** Why the wait ended. */
  public Reason reason() {
    return reason;
  }

  /** The log tail quoted in the message (lines prefixed {@code out | }/{@code err | }). */
  public String logTail() {
    return logTail;
  }
}
