package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/** One instance to plan the network of: its names and the ports it publishes. */
@Value.Immutable
@ValueStyle
public interface InstanceRequest extends WithInstanceRequest {

  /** The service name, e.g. {@code web}; replica 1 gets it as a host alias. */
  String service();

  /** The instance name, e.g. {@code web1}; also its host name in bridge and none modes. */
  String instance();

  /** Replica number, 1-based. Default: 1. */
  @Value.Default
  default int replica() {
    return 1;
  }

  /**
   * {@code true} when this instance stays in the host's network namespace whatever the project's
   * mode (singularity-compose spec 2.0 {@code network.enable: false}): its ports are checked as in
   * host networking. Default: {@code false}.
   */
  @Value.Default
  default boolean hostNetwork() {
    return false;
  }

  /** Ports to publish. Default: none. */
  List<PortPublication> ports();

  /** An instance of replica 1 without ports. */
  static InstanceRequest of(String service, String instance) {
    return InstanceRequest.builder().service(service).instance(instance).build();
  }

  /**
   * A new, empty builder of {@link InstanceRequest}.
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
   * Builds a {@link InstanceRequest}; get one from {@link InstanceRequest#builder()} or {@link
   * InstanceRequest#toBuilder()}.
   */
  static final class Builder extends ImmutableInstanceRequest.Builder {
    Builder() {}
  }
}
