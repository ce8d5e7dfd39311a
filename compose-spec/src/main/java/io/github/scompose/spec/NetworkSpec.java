package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Network settings of a singularity-compose instance. singularity-compose spec 2.0: {@code
 * network.enable} (default {@code true}), {@code network.allocate_ip} (default {@code true}),
 * {@code network.type} (e.g. {@code bridge}; empty: singularity-compose's choice, {@code none} when
 * not root and no fakeroot, as recorded from singularity-compose 0.1.19).
 */
@Value.Immutable
@ValueStyle
public abstract class NetworkSpec {

  /** {@code network.enable}: {@code false} means no {@code --net} flags at all. */
  @Value.Default
  public boolean enable() {
    return true;
  }

  /** {@code network.allocate_ip}: give the instance its own address on the bridge. */
  @Value.Default
  public boolean allocateIp() {
    return true;
  }

  /** {@code network.type}: the CNI network to join, e.g. {@code bridge}. */
  public abstract Optional<String> type();

  /** The defaults: enabled, allocate an IP, no type. */
  public static NetworkSpec defaults() {
    return ImmutableNetworkSpec.builder().build();
  }
}
