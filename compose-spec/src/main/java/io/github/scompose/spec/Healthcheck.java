package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * How to check that a service is healthy. Compose Specification: {@code services.healthcheck}.
 *
 * <p>{@link #test()} is normalised to the list form: {@code ["CMD", exe, args…]} (run directly),
 * {@code ["CMD-SHELL", "command line"]} (run by {@code /bin/sh -c}; a plain string {@code test}
 * becomes this form), or {@code ["NONE"]} (disabled, like {@code disable: true}). Durations are
 * parsed from Compose's {@code 1m30s}/{@code 10s}/{@code 500ms} syntax. Empty values mean "the
 * runtime default": interval 30 s, timeout 30 s, retries 3, start period 0 s (Compose Specification
 * defaults).
 */
@Value.Immutable
@ValueStyle
public abstract class Healthcheck implements WithHealthcheck {

  /** The check, in list form (see the type's documentation); empty when only timings are set. */
  public abstract List<String> test();

  /** {@code interval}: time between checks. */
  public abstract Optional<Duration> interval();

  /** {@code timeout}: how long one check may run. */
  public abstract Optional<Duration> timeout();

  /** {@code retries}: consecutive failures before the service counts as unhealthy. */
  public abstract OptionalInt retries();

  /** {@code start_period}: failures during this initial time are not counted. */
  public abstract Optional<Duration> startPeriod();

  /** {@code start_interval}: time between checks during the start period. */
  public abstract Optional<Duration> startInterval();

  /** {@code true} when the check is switched off ({@code disable: true} or test {@code NONE}). */
  public boolean disabled() {
    return !test().isEmpty() && test().get(0).equals("NONE");
  }

  /**
   * The argv the check runs in the instance, the one rule every runner of a healthcheck uses:
   * {@code ["CMD", exe, args…]} runs {@code [exe, args…]}; {@code ["CMD-SHELL", line…]} runs {@code
   * ["/bin/sh", "-c", line]} (several words after {@code CMD-SHELL} joined by single spaces); a
   * list with neither first word is taken as the argv itself (Compose Specification: {@code
   * healthcheck.test}).
   *
   * @throws IllegalStateException when the check is {@linkplain #disabled() disabled} or {@link
   *     #test()} is empty (only timings set): there is nothing to run
   */
  public List<String> argv() {
    List<String> t = test();
    if (t.isEmpty() || disabled()) {
      throw new IllegalStateException("the healthcheck is disabled or has no test");
    }
    return switch (t.get(0)) {
      case "CMD" -> List.copyOf(t.subList(1, t.size()));
      case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", t.subList(1, t.size())));
      default -> t;
    };
  }

  /**
   * A new, empty builder of {@link Healthcheck}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link Healthcheck}; get one from {@link Healthcheck#builder()} or {@link
   * Healthcheck#toBuilder()}.
   */
  public static final class Builder extends ImmutableHealthcheck.Builder {
    Builder() {}
  }
}
