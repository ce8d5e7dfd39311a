package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code instance stop [--signal SIG] [--timeout S] [--force] (NAME | --all)} (2.x: {@code
 * instance.stop}). Flags from SingularityCE 3.4.2's help (recorded).
 *
 * <p>The binary returns before the instance is gone (recorded: listed for 2-3 s more); use {@link
 * SingularityClient#stopAndWait} to restart under the same name.
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceStop implements SingularityCommand, WithInstanceStop {

  /** The instance to stop; exactly one of this and {@link #all()}. */
  public abstract Optional<String> name();

  /** {@code --all}: every instance of this user; default {@code false}. */
  @Value.Default
  public boolean all() {
    return false;
  }

  /**
   * {@code --signal SIG}, e.g. {@code TERM}, {@code SIGTERM}, {@code 15}; default: the binary's.
   */
  public abstract Optional<String> signal();

  /**
   * {@code --timeout S}: kill after this long, in whole seconds (rounded up); default: the binary's
   * (10 s in 3.4.2).
   */
  public abstract Optional<Duration> timeout();

  /** {@code --force}: kill at once; default {@code false}. */
  @Value.Default
  public boolean force() {
    return false;
  }

  @Value.Check
  protected void check() {
    if (name().isPresent() == all()) {
      throw new IllegalArgumentException("instance stop needs exactly one of a name and --all");
    }
    timeout()
        .filter(t -> t.isNegative() || t.isZero())
        .ifPresent(
            t -> {
              throw new IllegalArgumentException("stop timeout " + t + " is not positive");
            });
  }

  /** Stop {@code name} with the binary's defaults. */
  public static InstanceStop of(String name) {
    return InstanceStop.builder().name(name).build();
  }

  /** Stop all of this user's instances. */
  public static InstanceStop everything() {
    return InstanceStop.builder().all(true).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.instanceStop(this, dialect);
  }

  /**
   * A new, empty builder of {@link InstanceStop}.
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
   * Builds a {@link InstanceStop}; get one from {@link InstanceStop#builder()} or {@link
   * InstanceStop#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceStop.Builder {
    Builder() {}
  }
}
