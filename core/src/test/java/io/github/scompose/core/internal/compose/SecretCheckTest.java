package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.compose.ComposeOperationException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: a secret file must be owner-only, checked through {@link Transport#stat} of the host the
 * binary runs on (over SSH: the remote file), and refused when that cannot be told.
 */
class SecretCheckTest {

  @TempDir Path tmp;

  /** A transport whose host is a map of path to stamp (its {@link #stat} is the remote one). */
  record RemoteFiles(Map<String, FileStamp> files) implements LocalFileTransport {
    @Override
    public Optional<FileStamp> stat(String path) {
      if (path.equals("/unreachable")) {
        throw new TransportException("ssh to remote failed (exit 255): Connection refused");
      }
      return Optional.ofNullable(files.get(path));
    }

    @Override
    public CommandResult run(CommandRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<byte[]> readFile(String path, long offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
      return "ssh remote";
    }

    @Override
    public void close() {}
  }

  private static FileStamp stamp(String mode) {
    return FileStamp.of(6, Instant.EPOCH, PosixFilePermissions.fromString(mode));
  }

  @Test
  void theRemoteModeDecidesNotTheLocalFile() throws IOException {
    // the same path exists here world-readable, but the transport's host has it owner-only
    Path local = Files.writeString(tmp.resolve("db_password.txt"), "hunter2");
    Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-r--r--"));
    Transport remote = new RemoteFiles(Map.of(local.toString(), stamp("rw-------")));
    assertEquals(Optional.empty(), OperationFailures.secretProblem(remote, local.toString()));

    // and the other way round: owner-only here, group-readable there
    Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-------"));
    Transport groupReadable = new RemoteFiles(Map.of(local.toString(), stamp("rw-r-----")));
    String problem = OperationFailures.secretProblem(groupReadable, local.toString()).orElseThrow();
    assertTrue(problem.contains("owner-only (chmod 600)"), problem);
    assertTrue(problem.contains(local.toString()), problem);
  }

  @Test
  void missingUnknownOrUnreachableIsRefusedWithAClearMessage() {
    Transport remote = new RemoteFiles(Map.of("/s/unknown", FileStamp.of(6, Instant.EPOCH)));
    assertTrue(
        OperationFailures.secretProblem(remote, "/s/missing")
            .orElseThrow()
            .contains("on ssh remote: it does not exist"));
    assertTrue(
        OperationFailures.secretProblem(remote, "/s/unknown")
            .orElseThrow()
            .contains("its permissions are unknown on ssh remote"));
    assertTrue(
        OperationFailures.secretProblem(remote, "/unreachable")
            .orElseThrow()
            .contains("Connection refused"));
  }

  @Test
  void checkSecretsLooksOnlyAtReadOnlySecretBindsAndNeverPutsTheContentInTheMessage()
      throws IOException {
    Path secret = Files.writeString(tmp.resolve("token"), "hunter2");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-rw-r--"));
    Transport local = LocalProcessTransport.builder().build();
    List<Bind> notSecrets =
        List.of(
            Bind.of(secret.toString(), "/data"),
            Bind.of(secret.toString(), "/run/secrets/token")); // writable: not a secret bind
    OperationFailures.checkSecrets(local, "start", "p-app-1", notSecrets);

    List<Bind> secrets = List.of(Bind.parse(secret + ":/run/secrets/token:ro"));
    ComposeOperationException e =
        assertThrows(
            ComposeOperationException.class,
            () -> OperationFailures.checkSecrets(local, "start", "p-app-1", secrets));
    assertTrue(e.getMessage().contains("owner-only"), e.getMessage());
    assertTrue(!e.getMessage().contains("hunter2"), "no secret content");

    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r--------"));
    OperationFailures.checkSecrets(local, "start", "p-app-1", secrets);
  }
}
