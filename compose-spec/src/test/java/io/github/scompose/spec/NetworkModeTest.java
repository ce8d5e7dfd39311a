package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Compose {@code network_mode}: {@code host} and {@code none} are honoured as the service's network
 * type, {@code bridge}/{@code default} are the default, sharing another's namespace is a warning.
 */
class NetworkModeTest {

  private static ComposeProject load(String mode) {
    return ComposeLoader.defaults()
        .withEnvironment(Map.of())
        .withProjectDirectory(Path.of("/p"))
        .loadString(
            "compose.yaml",
            "services:\n  web:\n    image: nginx\n    network_mode: \"" + mode + "\"\n");
  }

  private static Optional<String> type(ComposeProject p) {
    return p.service("web").orElseThrow().network().flatMap(NetworkSpec::type);
  }

  @Test
  void hostAndNoneBecomeTheNetworkType() {
    for (String mode : List.of("host", "none")) {
      ComposeProject p = load(mode);
      assertEquals(Optional.of(mode), type(p));
      assertEquals(List.of(), p.warnings());
    }
  }

  @Test
  void bridgeAndDefaultAreTheDefault() {
    for (String mode : List.of("bridge", "default")) {
      ComposeProject p = load(mode);
      assertEquals(Optional.empty(), p.service("web").orElseThrow().network());
      assertEquals(List.of(), p.warnings());
    }
  }

  @Test
  void sharingAnotherServicesNamespaceIsAWarning() {
    ComposeProject p = load("service:vpn");
    assertEquals(Optional.empty(), p.service("web").orElseThrow().network());
    assertEquals(
        List.of(
            "compose.yaml:4:19: services.web.network_mode: network_mode \"service:vpn\" of service"
                + " \"web\" cannot be honoured on Singularity (instances do not share network"
                + " namespaces); ignored"),
        p.warnings().stream().map(Problem::toString).toList());
  }
}
