package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.client.HostIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The host identity from the environment, the kernel's host name file and the JVM's user. */
class LocalHostIdentityTest {

  @TempDir Path temp;

  @Test
  void thePiecesAreStrippedAsTheProbesOutputIs() throws Exception {
    Path hostname = Files.writeString(temp.resolve("hostname"), "login1\n");
    assertEquals(
        Optional.of(HostIdentity.of("/home/alice", "login1", "alice")),
        LocalHostIdentity.read("/home/alice", hostname, "alice"));
  }

  /** What would make a probe fail leaves the identity to the probes (which report it as before). */
  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "null, login1, alice",
        "'  ', login1, alice",
        "/home/alice, '', alice",
        "/home/alice, '\n', alice",
        "/home/alice, login1, null",
        "/home/alice, login1, ?",
        "/home/alice, login1, ' '"
      })
  void aMissingOrBlankPieceGivesNothing(String home, String hostname, String user)
      throws Exception {
    Path file = Files.writeString(temp.resolve("hostname"), hostname);
    assertEquals(Optional.empty(), LocalHostIdentity.read(home, file, user));
  }

  @Test
  void anUnreadableHostNameFileGivesNothing() {
    assertEquals(
        Optional.empty(), LocalHostIdentity.read("/h", temp.resolve("no-such-file"), "alice"));
  }
}
