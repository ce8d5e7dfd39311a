package io.github.scompose.core.compose;

import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * A command run in an instance once it started: singularity-compose spec 2.0 {@code exec} or {@code
 * run}. A {@link #background()} step is launched and not waited for ({@code run.background: true});
 * otherwise {@code up} waits for it and fails when it exits non-zero.
 */
@Value.Immutable
@ValueStyle
public abstract class AfterStartStep implements WithAfterStartStep {

  /** An {@code Exec} or {@code Run} targeting {@code instance://NAME}. */
  public abstract SingularityCommand command();

  /** Launched without waiting; default {@code false}. */
  @Value.Default
  public boolean background() {
    return false;
  }

  /**
   * A new, empty builder of {@link AfterStartStep}.
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
   * Builds a {@link AfterStartStep}; get one from {@link AfterStartStep#builder()} or {@link
   * AfterStartStep#toBuilder()}.
   */
  public static final class Builder extends ImmutableAfterStartStep.Builder {
    Builder() {}
  }
}
