package io.github.scompose.core.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.TransportException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalProcess#absentFromPath}: the failure a start of a program on no PATH entry ends in,
 * found without the start.
 */
class LocalProcessAbsentTest {

  private static final String MISSING = "scompose-no-such-program-for-tests";

  @Test
  void aNameOnNoPathEntryFailsAsItsStartWould() {
    TransportException started =
        assertThrows(
            TransportException.class,
            () -> LocalProcessTransport.create().run(CommandRequest.of(MISSING, "--version")));
    Optional<TransportException> found = LocalProcess.absentFromPath(MISSING);
    assertTrue(found.isPresent());
    assertEquals(started.getMessage(), found.get().getMessage());
  }

  @Test
  void aNameOnPathAPathAndAnEmptyNameAreLeftToTheStart() {
    assertEquals(Optional.empty(), LocalProcess.absentFromPath("sh"));
    assertEquals(Optional.empty(), LocalProcess.absentFromPath("/no/such/dir/" + MISSING));
    assertEquals(Optional.empty(), LocalProcess.absentFromPath("./" + MISSING));
    assertEquals(Optional.empty(), LocalProcess.absentFromPath(""));
  }
}
