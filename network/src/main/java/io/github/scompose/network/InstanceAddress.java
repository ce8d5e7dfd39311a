package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * An instance's address as it goes into the project's hosts file: the service it belongs to, its
 * replica number and instance name (e.g. service {@code web}, replica 1, instance {@code web1}),
 * and its address (in host networking: {@code 127.0.0.1}).
 */
@Value.Immutable
@ValueStyle
public interface InstanceAddress extends WithInstanceAddress {

  /** The service name, e.g. {@code web}. */
  String service();

  /** The instance name, e.g. {@code web1}; also its host name. */
  String instance();

  /** The replica number, 1-based. Default: 1. */
  @Value.Default
  default int replica() {
    return 1;
  }

  /** The address the instance's names resolve to. */
  IpAddress address();

  /** An instance of replica 1. */
  static InstanceAddress of(String service, String instance, IpAddress address) {
    return InstanceAddress.builder().service(service).instance(instance).address(address).build();
  }

  /**
   * A new, empty builder of {@link InstanceAddress}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link InstanceAddress}; get one from {@link InstanceAddress#builder()} or {@link
   * InstanceAddress#toBuilder()}.
   */
  static final class Builder extends ImmutableInstanceAddress.Builder {
    Builder() {}
  }
}
