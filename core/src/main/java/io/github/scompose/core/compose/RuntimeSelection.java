package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** A {@link RuntimeChoice} and where it came from (see {@link RuntimeChoice#select}). */
@Value.Immutable
@ValueStyle
public abstract class RuntimeSelection {

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
}
