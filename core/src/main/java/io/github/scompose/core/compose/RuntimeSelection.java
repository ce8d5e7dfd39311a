package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** A {@link RuntimeChoice} and where it came from (see {@link RuntimeChoice#select}). */
@Value.Immutable
@ValueStyle
public abstract class RuntimeSelection implements WithRuntimeSelection {

  /** The runtime chosen. */
  public abstract RuntimeChoice choice();

  /**
   * Where the choice came from, for messages: the explicit source given to {@link
   * RuntimeChoice#select} (e.g. {@code --runtime}), {@code system property scompose.runtime},
   * {@code environment variable SCOMPOSE_RUNTIME}, or {@code default}.
   */
  public abstract String source();

  /** E.g. {@code "fake (from --runtime)"} or {@code "auto (default)"}. */
  public String describe() {
    return choice() + (source().equals("default") ? " (default)" : " (from " + source() + ")");
  }

  /**
   * A new, empty builder of {@link RuntimeSelection}.
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
   * Builds a {@link RuntimeSelection}; get one from {@link RuntimeSelection#builder()} or {@link
   * RuntimeSelection#toBuilder()}.
   */
  public static final class Builder extends ImmutableRuntimeSelection.Builder {
    Builder() {}
  }
}
