package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * One port as the plan publishes it: a concrete host port (ephemeral ports already chosen), the
 * container port and the protocol. In host networking both numbers are equal.
 */
@Value.Immutable
@ValueStyle
public interface PublishedPort extends WithPublishedPort {

  /** Host port, 1..65535. */
  int hostPort();

  /** Container port, 1..65535. */
  int containerPort();

  /** Protocol. */
  Protocol protocol();

  /** {@code HOST:CONTAINER/PROTO}, e.g. {@code 8080:80/tcp}; the lease file's form. */
  default String text() {
    return hostPort() + ":" + containerPort() + "/" + protocol().text();
  }

  /**
   * Reads {@link #text()}.
   *
   * @throws IllegalArgumentException naming the text
   */
  static PublishedPort parse(String text) {
    PortPublication p = PortPublication.parse(text);
    if (p.hostPorts().isEmpty() || p.containerPorts().size() != 1 || p.hostIp().isPresent()) {
      throw new IllegalArgumentException(
          "published port '" + text + "' is not HOST:CONTAINER/PROTO");
    }
    return PublishedPort.builder()
        .hostPort(p.hostPorts().get().first())
        .containerPort(p.containerPorts().first())
        .protocol(p.protocol())
        .build();
  }

  /** The CNI argument {@code portmap=HOST:CONTAINER/PROTO}. */
  default String portmapArg() {
    return "portmap=" + hostPort() + ":" + containerPort() + "/" + protocol().text();
  }

  /**
   * A new, empty builder of {@link PublishedPort}.
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
   * Builds a {@link PublishedPort}; get one from {@link PublishedPort#builder()} or {@link
   * PublishedPort#toBuilder()}.
   */
  static final class Builder extends ImmutablePublishedPort.Builder {
    Builder() {}
  }
}
