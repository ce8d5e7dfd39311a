package io.github.scompose.core.internal.compose;

import io.github.scompose.spec.Healthcheck;
import java.util.List;

/**
 * The argv run in an instance for a Compose healthcheck: {@code ["CMD", exe, args…]} runs {@code
 * exe args…}; {@code ["CMD-SHELL", line]} runs {@code /bin/sh -c line} (Compose Specification
 * {@code healthcheck.test}).
 */
public final class HealthcheckCommand {

  private HealthcheckCommand() {}

  /**
   * The command of {@code h}.
   *
   * @throws IllegalArgumentException for an empty or disabled test
   */
  public static List<String> argv(Healthcheck h) {
    List<String> t = h.test();
    if (t.isEmpty() || h.disabled()) {
      throw new IllegalArgumentException("healthcheck has no test");
    }
    return switch (t.get(0)) {
      case "CMD" -> t.subList(1, t.size());
      case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", t.subList(1, t.size())));
      default -> t;
    };
  }
}
