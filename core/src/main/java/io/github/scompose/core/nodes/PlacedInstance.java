package io.github.scompose.core.nodes;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** One instance of a {@link Placement}: which replica of which service runs on which node. */
@Value.Immutable
@ValueStyle
public abstract class PlacedInstance implements WithPlacedInstance {

  /** Service name. */
  public abstract String service();

  /** 1-based replica number, unique per service across all nodes. */
  public abstract int replica();

  /** Instance name, e.g. {@code shop-web-2}; unique across all nodes. */
  public abstract String name();

  /** Name of the node it runs on. */
  public abstract String node();

  /**
   * A new, empty builder of {@link PlacedInstance}.
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
   * Builds a {@link PlacedInstance}; get one from {@link PlacedInstance#builder()} or {@link
   * PlacedInstance#toBuilder()}.
   */
  public static final class Builder extends ImmutablePlacedInstance.Builder {
    Builder() {}
  }
}
