package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * One row of {@code ps}: an instance of the project as the state file records it and as one {@code
 * instance list} shows it now.
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceStatus implements WithInstanceStatus {

  /** Whether it runs. */
  public enum State {
    /** Listed by the binary. */
    RUNNING,
    /** Recorded in the state file but not listed. */
    EXITED
  }

  /** The service. */
  public abstract String service();

  /** The instance name. */
  public abstract String name();

  /** Running or not. */
  public abstract State state();

  /** PID from the listing, when running. */
  public abstract OptionalLong pid();

  /** Address from the network plan, when it has one. */
  public abstract Optional<String> ip();

  /** The image it was started from. */
  public abstract String image();

  /** How often the engine restarted it (startup retries and restart policy). */
  @Value.Default
  public int restarts() {
    return 0;
  }

  /**
   * A new, empty builder of {@link InstanceStatus}.
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
   * Builds a {@link InstanceStatus}; get one from {@link InstanceStatus#builder()} or {@link
   * InstanceStatus#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceStatus.Builder {
    Builder() {}
  }
}
