package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * What {@link ComposeStack#logs(LogOptions)} and {@link ComposeStack#followLogs} show. Every value
 * has a default: all services, all lines.
 */
@Value.Immutable
@ValueStyle
public abstract class LogOptions implements WithLogOptions {

  /** Only these services, in this order; default empty, meaning every service of the project. */
  public abstract List<String> services();

  /**
   * Only the last N lines of each log file ({@code .out} and {@code .err} each), like {@code docker
   * compose logs --tail N}; default empty, meaning every line.
   */
  public abstract OptionalInt tail();

  /**
   * Only what may have been written at or after this instant ({@code docker compose logs --since}):
   * an instance's lines are left out when its current run began before it and neither log file
   * changed since; otherwise its run's lines are shown, which may include earlier ones (the
   * runtime's log files carry no time per line). Default empty: no such filter.
   */
  public abstract Optional<Instant> since();

  @Value.Check
  protected void check() {
    if (tail().isPresent() && tail().getAsInt() < 0) {
      throw new IllegalArgumentException("tail " + tail().getAsInt() + " is negative");
    }
  }

  /** Every line of every service. */
  public static LogOptions all() {
    return LogOptions.builder().build();
  }

  /** The last {@code lines} lines of each log of {@code services} (all when none are given). */
  public static LogOptions tail(int lines, String... services) {
    return LogOptions.builder().tail(lines).addServices(services).build();
  }

  /**
   * A new, empty builder of {@link LogOptions}.
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
   * Builds a {@link LogOptions}; get one from {@link LogOptions#builder()} or {@link
   * LogOptions#toBuilder()}.
   */
  public static final class Builder extends ImmutableLogOptions.Builder {
    Builder() {}
  }
}
