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
public interface InstanceAddress {

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
    return ImmutableInstanceAddress.builder()
        .service(service)
        .instance(instance)
        .address(address)
        .build();
  }
}
