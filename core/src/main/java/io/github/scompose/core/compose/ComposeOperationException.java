package io.github.scompose.core.compose;

import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.internal.client.SecretMasker;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A compose operation ({@code start}, {@code restart}, {@code create}, {@code pull}, {@code build},
 * {@code run}; {@code up} as the subclass {@link ComposeUpException}) failed, so one {@code catch}
 * serves every operation. Names the operation, the instance (or service, for an image step), the
 * command that failed with secrets masked (environment values never appear in argv), its exit code
 * when it had one, and the last lines of the instance's logs.
 *
 * <p>A failed {@code start} (or the start of {@code restart}) stops the instances that it started
 * itself before it throws, like a failed {@code up}, and says so in the message's last line;
 * instances that were running before stay running. Images already pulled or built stay. Nothing the
 * user owns is deleted. The {@code logTail} of an unhealthy {@code service_healthy} dependency is
 * the end of its healthcheck's last output.
 */
public class ComposeOperationException extends SingularityException {

  private final String operation;
  private final String instance;
  private final String reason;
  private final List<String> maskedArgv;
  private final OptionalInt exitCode;
  private final String logTail;

  /**
   * @param operation the operation, e.g. {@code start}
   * @param instance the instance (or the service of an image step) whose step failed
   * @param reason what went wrong, one sentence; its words are masked like the argv (a {@code
   *     PASSWORD=x} or {@code --db-password=x} quoted from a command or an error becomes {@code
   *     PASSWORD=***})
   * @param maskedArgv the command; may be empty. Masked here again with the client's secret masker
   *     (values of {@code --env}, of {@code SINGULARITYENV_}/{@code APPTAINERENV_} assignments, of
   *     options named like a password, token or secret, and of {@code NAME=value} words whose name
   *     contains PASSWORD, PASSWD, SECRET, TOKEN, KEY or CREDENTIAL become {@code ***}), so no
   *     caller can put an unmasked argv into the message
   * @param exitCode its exit code, when it ran to an exit
   * @param logTail the end of the instance's logs, possibly empty
   * @param cause the underlying error, possibly {@code null}
   */
  public ComposeOperationException(
      String operation,
      String instance,
      String reason,
      List<String> maskedArgv,
      OptionalInt exitCode,
      String logTail,
      Throwable cause) {
    this(operation, instance, reason, maskedArgv, exitCode, logTail, cause, "");
  }

  /**
   * As the other constructor, with {@code note} (when not blank) as the message's last line, e.g.
   * what was done about the failure.
   */
  public ComposeOperationException(
      String operation,
      String instance,
      String reason,
      List<String> maskedArgv,
      OptionalInt exitCode,
      String logTail,
      Throwable cause,
      String note) {
    super(
        message(
            operation,
            instance,
            SecretMasker.maskText(reason),
            SecretMasker.mask(maskedArgv),
            exitCode,
            logTail,
            note),
        cause);
    this.operation = operation;
    this.instance = instance;
    this.reason = SecretMasker.maskText(reason);
    this.maskedArgv = List.copyOf(SecretMasker.mask(maskedArgv));
    this.exitCode = exitCode;
    this.logTail = logTail;
  }

  private static String message(
      String operation,
      String instance,
      String reason,
      List<String> argv,
      OptionalInt exit,
      String logTail,
      String note) {
    StringBuilder b =
        new StringBuilder(operation)
            .append(" failed at ")
            .append(instance)
            .append(": ")
            .append(reason);
    if (!argv.isEmpty()) {
      b.append("\n  command: ").append(String.join(" ", argv));
    }
    exit.ifPresent(c -> b.append("\n  exit code: ").append(c));
    if (!logTail.isBlank()) {
      b.append("\n  last log lines:\n").append(logTail.strip().indent(4).stripTrailing());
    }
    if (!note.isBlank()) {
      b.append("\n  ").append(note);
    }
    return b.toString();
  }

  /**
   * The operation that failed: {@code up}, {@code start}, {@code create}, {@code pull}, {@code
   * build} …
   */
  public String operation() {
    return operation;
  }

  /** The instance (or service) that failed. */
  public String instance() {
    return instance;
  }

  /**
   * What went wrong, one sentence (the message's first line names operation and instance too), with
   * secret-looking values masked.
   */
  public String reason() {
    return reason;
  }

  /** The command that failed, secrets masked; empty when no command was involved. */
  public List<String> maskedArgv() {
    return maskedArgv;
  }

  /** Its exit code, when it exited. */
  public OptionalInt exitCode() {
    return exitCode;
  }

  /** The last lines of the instance's logs; may be empty. */
  public String logTail() {
    return logTail;
  }

  /** {@link #logTail()} when not blank. */
  public Optional<String> logTailIfAny() {
    return logTail.isBlank() ? Optional.empty() : Optional.of(logTail);
  }
}
