package io.github.scompose.core.nodes;

import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** One row of {@code ps} across nodes: the node and what its engine reports of the instance. */
@Value.Immutable
@ValueStyle
public abstract class NodeInstance implements WithNodeInstance {

  /** Node name. */
  public abstract String node();

  /** The instance as the node's engine sees it. */
  public abstract InstanceStatus status();

  /**
   * A new, empty builder of {@link NodeInstance}.
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
   * Builds a {@link NodeInstance}; get one from {@link NodeInstance#builder()} or {@link
   * NodeInstance#toBuilder()}.
   */
  public static final class Builder extends ImmutableNodeInstance.Builder {
    Builder() {}
  }
}
