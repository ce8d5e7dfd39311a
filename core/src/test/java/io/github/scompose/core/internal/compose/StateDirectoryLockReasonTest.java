package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import org.junit.jupiter.api.Test;

/**
 * A lock that cannot be taken is explained in words: an interrupted wait has no message of its own,
 * and an engine test used to log "cannot lock …/lock: null".
 */
class StateDirectoryLockReasonTest {

  @Test
  void interruptedWaitsAndMessagelessErrorsAreSaidInWords() {
    assertEquals(
        "interrupted while waiting for another run to release the project",
        StateDirectoryLock.reason(new FileLockInterruptionException()));
    assertEquals(
        "interrupted while waiting for another run to release the project",
        StateDirectoryLock.reason(new ClosedByInterruptException()));
    assertEquals("the file system gave no reason", StateDirectoryLock.reason(new IOException()));
    assertEquals(
        "No space left on device",
        StateDirectoryLock.reason(new IOException("No space left on device")));
  }
}
