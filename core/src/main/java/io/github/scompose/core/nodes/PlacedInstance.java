package io.github.scompose.core.nodes;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** One instance of a {@link Placement}: which replica of which service runs on which node. */
@Value.Immutable
@ValueStyle
public abstract class PlacedInstance {

  /** Service name. */
  public abstract String service();

  /** 1-based replica number, unique per service across all nodes. */
  public abstract int replica();

  /** Instance name, e.g. {@code shop-web-2}; unique across all nodes. */
  public abstract String name();

  /** Name of the node it runs on. */
  public abstract String node();
}
