package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.ComposeOperationException;
import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.SingularityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
   * Refuses a secret file that others may read (singularity-stack refuses them too; issue 6:
   * secrets must be owner-only).
   *
   * @throws ComposeOperationException naming the file
   */
  public static void checkOwnerOnly(String operation, String instance, Path file) {
    String problem;
    try {
      problem = null;
      for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
        if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
          problem =
              "secret file " + file + " is readable by others; make it owner-only (chmod 600)";
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      problem = "cannot check the secret file " + file + ": " + e.getMessage();
    }
    if (problem != null) {
      throw new ComposeOperationException(
          operation, instance, problem, List.of(), OptionalInt.empty(), "", null);
    }
  }

  /** {@link #checkOwnerOnly} for every secret bind of a start. */
  public static void checkSecrets(
      String operation, String instance, List<io.github.scompose.core.client.Bind> binds) {
    for (io.github.scompose.core.client.Bind b : binds) {
      if (b.readOnly() && b.destination().orElse("").startsWith("/run/secrets/")) {
        checkOwnerOnly(operation, instance, Path.of(b.source()));
      }
    }
  }
}
