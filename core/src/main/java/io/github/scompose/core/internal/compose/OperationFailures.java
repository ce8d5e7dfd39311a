package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.ComposeOperationException;
import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.util.List;
import java.util.OptionalInt;

/** Builds {@link ComposeOperationException}s and checks secret files for the operations. */
public final class OperationFailures {

  private OperationFailures() {}

  /** The failure of {@code command}, with the masked argv and exit code when the binary failed. */
  public static ComposeOperationException failed(
      SingularityClient client,
      String operation,
      String who,
      String reason,
      SingularityCommand command,
      SingularityException e,
      String logs) {
    if (e instanceof CommandFailedException f) {
      return new ComposeOperationException(
          operation, who, reason, f.maskedArgv(), OptionalInt.of(f.exitCode()), logs, e);
    }
    if (e.getCause() instanceof CommandFailedException f) {
      return new ComposeOperationException(
          operation,
          who,
          reason + ": " + e.getMessage().lines().findFirst().orElse(""),
          f.maskedArgv(),
          OptionalInt.of(f.exitCode()),
          logs,
          e);
    }
    return new ComposeOperationException(
        operation,
        who,
        reason + ": " + e.getMessage(),
        client.dryRun(command),
        OptionalInt.empty(),
        logs,
        e);
  }

  /**
   * Why the secret file {@code file} must be refused, or empty when it is owner-only. The file is
   * looked at with {@link Transport#stat} of the transport the binary runs on, so over SSH the
   * remote host's file is checked (issue 6: secrets are bound from files that must be owner-only;
   * singularity-stack refuses others too). A file whose permissions the transport cannot tell
   * ({@link io.github.scompose.core.transport.FileStamp#permissions()} empty, e.g. a file system
   * without POSIX attributes) is refused too, as the local check always did: a secret is never
   * bound unchecked.
   */
  public static java.util.Optional<String> secretProblem(Transport transport, String file) {
    java.util.Optional<io.github.scompose.core.transport.FileStamp> stamp;
    try {
      stamp = transport.stat(file);
    } catch (TransportException e) {
      return java.util.Optional.of("cannot check the secret file " + file + ": " + e.getMessage());
    }
    if (stamp.isEmpty()) {
      return java.util.Optional.of(
          "cannot check the secret file "
              + file
              + " on "
              + transport.describe()
              + ": it does not exist or cannot be looked at");
    }
    if (stamp.get().permissions().isEmpty()) {
      return java.util.Optional.of(
          "cannot check the secret file "
              + file
              + ": its permissions are unknown on "
              + transport.describe()
              + "; secrets must be owner-only (chmod 600) on a POSIX file system");
    }
    if (!stamp.get().ownerOnly()) {
      return java.util.Optional.of(
          "secret file " + file + " is readable by others; make it owner-only (chmod 600)");
    }
    return java.util.Optional.empty();
  }

  /**
   * Refuses a secret file that others may read, checked on {@code transport}'s host ({@link
   * #secretProblem}).
   *
   * @throws ComposeOperationException naming the file
   */
  public static void checkOwnerOnly(
      Transport transport, String operation, String instance, String file) {
    java.util.Optional<String> problem = secretProblem(transport, file);
    if (problem.isPresent()) {
      throw new ComposeOperationException(
          operation, instance, problem.get(), List.of(), OptionalInt.empty(), "", null);
    }
  }

  /** {@link #checkOwnerOnly} for every secret bind of a start. */
  public static void checkSecrets(
      Transport transport,
      String operation,
      String instance,
      List<io.github.scompose.core.client.Bind> binds) {
    for (io.github.scompose.core.client.Bind b : binds) {
      if (isSecret(b)) {
        checkOwnerOnly(transport, operation, instance, b.source());
      }
    }
  }

  /** A read-only bind to {@code /run/secrets/...}: how the compose engine binds a secret. */
  public static boolean isSecret(io.github.scompose.core.client.Bind b) {
    return b.readOnly() && b.destination().orElse("").startsWith("/run/secrets/");
  }
}
