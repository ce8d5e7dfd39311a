package io.github.scompose.core.compose;

import io.github.scompose.core.client.LogStream;
import io.github.scompose.style.ValueStyle;
import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One line of an instance's log, with the prefix that tells merged logs apart: {@code
 * <service>-<n>} (n the replica number) padded to the longest label of the request, then {@code " |
 * "} — the style of {@code docker compose logs} ({@code web-1 | hello}).
 */
@Value.Immutable
@ValueStyle
public abstract class ComposeLogLine implements WithComposeLogLine {

  /** The service. */
  public abstract String service();

  /** The instance. */
  public abstract String instance();

  /** {@code .out} (the startscript's stdout) or {@code .err}. */
  public abstract LogStream stream();

  /** The prefix, e.g. {@code "web-1 | "}. */
  public abstract String prefix();

  /** The line, without terminator. */
  public abstract String text();

  /**
   * When the line was written, where known: a follower ({@link ComposeStack#followLogs}) stamps
   * each line appended while it follows with the time it read it (on the engine's clock; within the
   * poll interval, default 250 ms, of its writing). Empty for lines that were in the files already:
   * the runtime's log files carry no times.
   */
  public abstract Optional<Instant> time();

  /** {@link #prefix()} then {@link #text()}. */
  public String line() {
    return prefix() + text();
  }

  /**
   * A new, empty builder of {@link ComposeLogLine}.
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
   * Builds a {@link ComposeLogLine}; get one from {@link ComposeLogLine#builder()} or {@link
   * ComposeLogLine#toBuilder()}.
   */
  public static final class Builder extends ImmutableComposeLogLine.Builder {
    Builder() {}
  }
}
