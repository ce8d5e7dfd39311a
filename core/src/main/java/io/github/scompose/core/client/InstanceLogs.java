package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * An instance's log text: what its startscript wrote to stdout ({@code .out}) and stderr ({@code
 * .err}). The binary appends to these files and keeps them after stop (recorded from 3.4.2), so
 * they may hold earlier instances' text under the same name. A missing file reads as empty.
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceLogs implements WithInstanceLogs {

  /** The instance. */
  public abstract String instanceName();

  /** Path of the {@code .out} file on the transport's host. */
  public abstract String outPath();

  /** Path of the {@code .err} file on the transport's host. */
  public abstract String errPath();

  /** The {@code .out} text (UTF-8, malformed bytes replaced). */
  public abstract String out();

  /** The {@code .err} text. */
  public abstract String err();

  /**
   * A new, empty builder of {@link InstanceLogs}.
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
   * Builds a {@link InstanceLogs}; get one from {@link InstanceLogs#builder()} or {@link
   * InstanceLogs#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceLogs.Builder {
    Builder() {}
  }
}
