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
public abstract class NetworkSpec implements WithNetworkSpec {

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
    return NetworkSpec.builder().build();
  }

  /**
   * A new, empty builder of {@link NetworkSpec}.
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
   * Builds a {@link NetworkSpec}; get one from {@link NetworkSpec#builder()} or {@link
   * NetworkSpec#toBuilder()}.
   */
  public static final class Builder extends ImmutableNetworkSpec.Builder {
    Builder() {}
  }
}
