package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.PlannedInstance;
import java.time.Duration;
import java.util.Optional;

/**
 * How one instance is stopped: its service's Compose {@code stop_signal} and {@code
 * stop_grace_period}, each empty when the file gives none (the engine then sends {@link
 * EngineSettings#DEFAULT_STOP_SIGNAL}, and the binary's own timeout applies).
 *
 * @param signal the signal as written ({@code SIGTERM}, {@code TERM}, {@code 15})
 * @param gracePeriod how long the instance may take before it is killed
 */
public record StopSettings(Optional<String> signal, Optional<Duration> gracePeriod) {

  /** Neither given. */
  public static final StopSettings DEFAULT = new StopSettings(Optional.empty(), Optional.empty());

  /** The stop settings planned for {@code i}. */
  public static StopSettings of(PlannedInstance i) {
    return new StopSettings(i.stopSignal(), i.stopGracePeriod());
  }
}
