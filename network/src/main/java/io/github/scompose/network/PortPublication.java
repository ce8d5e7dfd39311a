package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A request to publish container ports on the host: optional host IP, optional host port or range,
 * container port or range, protocol.
 *
 * <p>Named {@code PortPublication}, not {@code PortMapping}, on purpose: compose-spec's {@code
 * PortMapping} is what a compose file <em>says</em> ({@code ports:} items, as written); this is
 * what the network plan <em>publishes</em>, the input of the port checks and of the CNI {@code
 * portmap} arguments. Core maps one onto the other; the network module does not depend on
 * compose-spec.
 *
 * <p>Rules: when both are given, host and container ranges have the same size (port {@code i} of
 * one maps to port {@code i} of the other, as in the compose specification's short syntax). An
 * absent host port means "any free host port" in bridge mode (the {@link HostPorts} free-port
 * finder picks one per container port) and "the container port itself" in host mode.
 */
@Value.Immutable
@ValueStyle
public abstract class PortPublication implements WithPortPublication {

  /** Host address to bind; empty means all addresses. */
  public abstract Optional<IpAddress> hostIp();

  /** Host port or range; empty means an ephemeral port chosen at planning time. */
  public abstract Optional<PortRange> hostPorts();

  /** Container port or range. */
  public abstract PortRange containerPorts();

  /** Protocol; default {@link Protocol#TCP}. */
  @Value.Default
  public Protocol protocol() {
    return Protocol.TCP;
  }

  @Value.Check
  void check() {
    if (hostPorts().isPresent() && hostPorts().get().size() != containerPorts().size()) {
      throw new IllegalArgumentException(
          "host ports "
              + hostPorts().get()
              + " and container ports "
              + containerPorts()
              + " differ in size");
    }
  }

  /** Publishes {@code containerPort} on {@code hostPort} over TCP. */
  public static PortPublication of(int hostPort, int containerPort) {
    return PortPublication.builder()
        .hostPorts(PortRange.single(hostPort))
        .containerPorts(PortRange.single(containerPort))
        .build();
  }

  /**
   * Reads the compose short syntax {@code [HOST_IP:][HOST:]CONTAINER[/PROTOCOL]}, where HOST and
   * CONTAINER are a port or a range ({@code 8000-8010}) and an IPv6 host IP is written in brackets
   * ({@code [::1]:8080:80}). Examples: {@code 80}, {@code 8080:80}, {@code 127.0.0.1:8080:80/udp},
   * {@code 127.0.0.1::80}.
   *
   * @throws IllegalArgumentException naming the text
   */
  public static PortPublication parse(String text) {
    try {
      String t = text.trim();
      Protocol protocol = Protocol.TCP;
      int slash = t.lastIndexOf('/');
      if (slash >= 0) {
        protocol = Protocol.parse(t.substring(slash + 1));
        t = t.substring(0, slash);
      }
      Optional<IpAddress> ip = Optional.empty();
      if (t.startsWith("[")) {
        int close = t.indexOf("]:");
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' around the host IP");
        }
        ip = Optional.of(IpAddress.parse(t.substring(1, close)));
        t = t.substring(close + 2);
      }
      String[] parts = t.split(":", -1);
      if (ip.isEmpty() && parts.length == 3) {
        ip = Optional.of(IpAddress.parse(parts[0]));
        parts = new String[] {parts[1], parts[2]};
      }
      PortPublication.Builder b = PortPublication.builder().hostIp(ip).protocol(protocol);
      if (parts.length == 1) {
        return b.containerPorts(PortRange.parse(parts[0])).build();
      }
      if (parts.length == 2) {
        if (!parts[0].isEmpty()) {
          b.hostPorts(PortRange.parse(parts[0]));
        }
        return b.containerPorts(PortRange.parse(parts[1])).build();
      }
      throw new IllegalArgumentException("too many ':'");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("port '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * The CNI {@code portmap} network arguments for this publication with the given host ports, one
   * per port, ranges expanded: {@code portmap=8080:80/tcp} (recorded from SingularityCE 3.4.2:
   * {@code --network-args portmap=8080:80/tcp}).
   */
  public static List<String> portmapArgs(
      PortRange hostPorts, PortRange containerPorts, Protocol p) {
    List<String> out = new ArrayList<>(containerPorts.size());
    for (int i = 0; i < containerPorts.size(); i++) {
      out.add(
          "portmap="
              + (hostPorts.first() + i)
              + ":"
              + (containerPorts.first() + i)
              + "/"
              + p.text());
    }
    return out;
  }

  /** The compose short syntax of this publication. */
  @Override
  public String toString() {
    String ip = hostIp().map(a -> a.isIpv6() ? "[" + a + "]:" : a + ":").orElse("");
    String host = hostPorts().map(PortRange::toString).orElse("");
    String prefix = ip.isEmpty() && host.isEmpty() ? "" : ip + host + ":";
    return prefix + containerPorts() + "/" + protocol().text();
  }

  /**
   * A new, empty builder of {@link PortPublication}.
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
   * Builds a {@link PortPublication}; get one from {@link PortPublication#builder()} or {@link
   * PortPublication#toBuilder()}.
   */
  public static final class Builder extends ImmutablePortPublication.Builder {
    Builder() {}
  }
}
