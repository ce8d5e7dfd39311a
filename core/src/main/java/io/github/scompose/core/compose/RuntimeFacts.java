package io.github.scompose.core.compose;

import io.github.scompose.core.client.Dialect;
import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * What the engine must know about the runtime before it plans: the binary's {@link Dialect}, and
 * whether instances are started by root or may use {@code --fakeroot}. These decide the network
 * mode (see {@link io.github.scompose.network.NetworkPlanner}) and which flags exist.
 */
@Value.Immutable
@ValueStyle
public abstract class RuntimeFacts {

  /** The binary's dialect. */
  public abstract Dialect dialect();

  /** Instances are started by root (directly or through {@code sudo}). Default {@code false}. */
  @Value.Default
  public boolean root() {
    return false;
  }

  /**
   * The caller may start instances with {@code --fakeroot} (a subuid mapping exists). Default
   * {@code false}. A project whose networked instances all ask for {@code fakeroot} in {@code
   * start.options} counts as allowed too.
   */
  @Value.Default
  public boolean fakerootAllowed() {
    return false;
  }

  /** Facts for {@code dialect}, not root, no fakeroot. */
  public static RuntimeFacts of(Dialect dialect) {
    return ImmutableRuntimeFacts.builder().dialect(dialect).build();
  }
}
