package io.github.scompose.core.nodes;

import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** One row of {@code ps} across nodes: the node and what its engine reports of the instance. */
@Value.Immutable
@ValueStyle
public abstract class NodeInstance {

  /** Node name. */
  public abstract String node();

  /** The instance as the node's engine sees it. */
  public abstract InstanceStatus status();
}
