package io.github.scompose.core.compose;

import io.github.scompose.core.errors.SingularityException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code up} failed; everything it started was stopped again (in reverse order) and its address
 * leases were released before this was thrown. Names the instance, the command that failed (with
 * secrets masked: environment values never appear in argv), its exit code when it had one, and the
 * last lines of the instance's logs. Nothing the user owns was deleted.
 */
public class ComposeUpException extends SingularityException {

  private final String instance;
  private final List<String> maskedArgv;
  private final OptionalInt exitCode;
  private final String logTail;

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
    super(message(instance, reason, maskedArgv, exitCode, logTail), cause);
    this.instance = instance;
    this.maskedArgv = List.copyOf(maskedArgv);
    this.exitCode = exitCode;
    this.logTail = logTail;
  }

  private static String message(
      String instance, String reason, List<String> argv, OptionalInt exit, String logTail) {
    StringBuilder b =
        new StringBuilder("up failed at ").append(instance).append(": ").append(reason);
    if (!argv.isEmpty()) {
      b.append("\n  command: ").append(String.join(" ", argv));
    }
    exit.ifPresent(c -> b.append("\n  exit code: ").append(c));
    if (!logTail.isBlank()) {
      b.append("\n  last log lines:\n").append(logTail.strip().indent(4).stripTrailing());
    }
    b.append("\n  everything this up started has been stopped");
    return b.toString();
  }

  /** The instance (or service) that failed. */
  public String instance() {
    return instance;
  }

  /** The command that failed, secrets masked; empty when no command was involved. */
  public List<String> maskedArgv() {
    return maskedArgv;
  }

  /** Its exit code, when it exited. */
  public OptionalInt exitCode() {
    return exitCode;
  }

  /** The last lines of the instance's logs ({@code .err} then {@code .out}); may be empty. */
  public String logTail() {
    return logTail;
  }

  /** {@link #logTail()} when not blank. */
  public Optional<String> logTailIfAny() {
    return logTail.isBlank() ? Optional.empty() : Optional.of(logTail);
  }
}
