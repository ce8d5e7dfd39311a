package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Compose {@code stop_signal} and {@code stop_grace_period} are honoured (the engine's {@code
 * instance stop -s/-t}), not warned about; a malformed period is an error at its key.
 */
class StopSettingsTest {

  private static ComposeProject load(String extra) {
    return ComposeLoader.defaults()
        .withEnvironment(Map.of())
        .withProjectDirectory(Path.of("/p"))
        .loadString("compose.yaml", "services:\n  web:\n    image: nginx\n" + extra);
  }

  @Test
  void stopSignalAndGracePeriodAreKept() {
    ComposeProject p = load("    stop_signal: SIGKILL\n    stop_grace_period: 1m30s\n");
    ServiceSpec web = p.service("web").orElseThrow();
    assertEquals(Optional.of("SIGKILL"), web.stopSignal());
    assertEquals(Optional.of(Duration.ofSeconds(90)), web.stopGracePeriod());
    assertEquals(List.of(), p.warnings());
  }

  @Test
  void absentMeansEmpty() {
    ServiceSpec web = load("").service("web").orElseThrow();
    assertEquals(Optional.empty(), web.stopSignal());
    assertEquals(Optional.empty(), web.stopGracePeriod());
  }

  @Test
  void aMalformedGracePeriodIsAnErrorAtItsKey() {
    ComposeException e =
        assertThrows(ComposeException.class, () -> load("    stop_grace_period: soon\n"));
    assertTrue(
        e.errors().get(0).toString().contains("services.web.stop_grace_period"),
        e.errors().toString());
  }
}
