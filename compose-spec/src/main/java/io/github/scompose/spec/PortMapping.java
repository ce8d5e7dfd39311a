package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.Locale;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One published port of a service or instance: container port(s), optionally the host port(s) and
 * host IP they are published on, and the protocol.
 *
 * <p>Shapes (Compose Specification: {@code services.ports}, short syntax {@code
 * [HOST:]CONTAINER[/PROTOCOL]} where {@code HOST} is {@code [IP:](port | range)}; long syntax
 * {@code target}, {@code published}, {@code host_ip}, {@code protocol}, {@code app_protocol},
 * {@code mode}, {@code name}); singularity-compose's {@code ports} entries use the same short
 * syntax:
 *
 * <ul>
 *   <li>{@code "3000"}: container port 3000, no host port (the runtime picks one); {@code ":3000"}
 *       (an empty host port, e.g. from an unset variable) is read the same way, as docker compose
 *       does;
 *   <li>{@code "8000:80"}: host port 8000 to container port 80;
 *   <li>{@code "9090-9091:8080-8081"}: host range to a container range of the same length;
 *   <li>{@code "8000-9000:80"}: any free host port of 8000..9000 to container port 80;
 *   <li>{@code "127.0.0.1:8001:8001"}, {@code "[::1]:6001:6001"}: bound to one host address.
 * </ul>
 *
 * <p>Rules checked when a value is built (each violation throws {@link IllegalArgumentException}
 * naming the values): every port is in 1..65535 and a range does not end before it starts (see
 * {@link PortRange}); a host range is either as long as the container range or the container side
 * is a single port (Compose Specification: "Host and container must use equivalent ranges"; the
 * single-container-port case is the spec's {@code "8000-9000:80"} example); a host IP needs host
 * ports or an empty host part as in {@code "127.0.0.1::80"} (Docker's documented {@code
 * IP::CONTAINER} form, accepted by docker compose); a host IP is an IPv4 or IPv6 literal, stored
 * without brackets.
 *
 * <p>Build with {@link PortMapping#builder()}; parse the short syntax with the loader (or {@code
 * io.github.scompose.spec.internal.syntax.PortSyntax}).
 */
@Value.Immutable
@ValueStyle
public abstract class PortMapping implements WithPortMapping {

  /** Transport protocol of a published port. Compose Specification: {@code protocol}. */
  public enum Protocol {
    /** {@code tcp}, the default. */
    TCP,
    /** {@code udp}. */
    UDP,
    /** {@code sctp}; accepted by Docker, listed here so files that use it load. */
    SCTP;

    /** The lower-case name used in compose files and in Singularity's {@code portmap}. */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code tcp}, {@code udp} or {@code sctp} (any letter case).
     *
     * @throws IllegalArgumentException for any other text, naming it
     */
    public static Protocol parse(String text) {
      for (Protocol p : values()) {
        if (p.value().equalsIgnoreCase(text)) {
          return p;
        }
      }
      throw new IllegalArgumentException("protocol \"" + text + "\" is not one of tcp, udp, sctp");
    }
  }

  /**
   * An inclusive range of ports, {@code start..end}; a single port has {@code start == end}. Both
   * ends are in 1..65535 and {@code start <= end}, else {@link IllegalArgumentException} (e.g.
   * {@code port 70000 is outside 1..65535}).
   */
  @Value.Immutable
  @ValueStyle
  public abstract static class PortRange implements WithPortRange {

    /** First port of the range, 1..65535. */
    @Value.Parameter
    public abstract int start();

    /** Last port of the range (inclusive), 1..65535, not below {@link #start()}. */
    @Value.Parameter
    public abstract int end();

    /** The range {@code start..end}. */
    public static PortRange of(int start, int end) {
      return ImmutablePortRange.of(start, end);
    }

    /** The one-port range {@code port..port}. */
    public static PortRange single(int port) {
      return ImmutablePortRange.of(port, port);
    }

    /** Number of ports in the range, at least 1. */
    public int size() {
      return end() - start() + 1;
    }

    /** {@code true} when the range holds one port. */
    public boolean isSingle() {
      return start() == end();
    }

    /** {@code "8000"} or {@code "8000-8010"}, as written in the short syntax. */
    public String toShortForm() {
      return isSingle() ? Integer.toString(start()) : start() + "-" + end();
    }

    @Value.Check
    protected void check() {
      checkPort(start());
      checkPort(end());
      if (end() < start()) {
        throw new IllegalArgumentException(
            "port range " + start() + "-" + end() + " ends before it starts");
      }
    }

    private static void checkPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is outside 1..65535");
      }
    }

    /**
     * A new, empty builder of {@link PortRange}.
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
     * Builds a {@link PortRange}; get one from {@link PortRange#builder()} or {@link
     * PortRange#toBuilder()}.
     */
    public static final class Builder extends ImmutablePortRange.Builder {
      Builder() {}
    }
  }

  /**
   * Host address the port is published on, an IPv4 or IPv6 literal without brackets ({@code
   * "127.0.0.1"}, {@code "::1"}). Empty: all interfaces (Compose Specification: "If it is not set,
   * it binds to all network interfaces").
   */
  public abstract Optional<String> hostIp();

  /**
   * Host port(s) ({@code published}). Empty: the runtime picks a free host port. A range longer
   * than one port with a single {@link #containerPorts() container port} means "any free port of
   * the range".
   */
  public abstract Optional<PortRange> hostPorts();

  /** Container port(s) ({@code target}). */
  public abstract PortRange containerPorts();

  /** Protocol; default {@link Protocol#TCP}. */
  @Value.Default
  public Protocol protocol() {
    return Protocol.TCP;
  }

  /** Long syntax {@code name}: a human-readable name for the port. */
  public abstract Optional<String> name();

  /** Long syntax {@code app_protocol}: application protocol hint such as {@code http}. */
  public abstract Optional<String> appProtocol();

  /**
   * Long syntax {@code mode} ({@code host} or {@code ingress} in Compose; meaningless for
   * Singularity, kept as written).
   */
  public abstract Optional<String> mode();

  /**
   * The short syntax for this mapping, e.g. {@code "127.0.0.1:8000-8001:80-81/udp"} or {@code
   * "[::1]:6001:6001"}; {@code /tcp} is left out. Empty when the mapping carries a long-syntax-only
   * field ({@link #name()}, {@link #appProtocol()}, {@link #mode()}); write the long syntax then.
   */
  public Optional<String> toShortForm() {
    if (name().isPresent() || appProtocol().isPresent() || mode().isPresent()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    hostIp().ifPresent(ip -> out.append(ip.contains(":") ? "[" + ip + "]" : ip).append(':'));
    hostPorts().ifPresent(range -> out.append(range.toShortForm()));
    if (hostIp().isPresent() || hostPorts().isPresent()) {
      out.append(':');
    }
    out.append(containerPorts().toShortForm());
    if (protocol() != Protocol.TCP) {
      out.append('/').append(protocol().value());
    }
    return Optional.of(out.toString());
  }

  @Value.Check
  protected void check() {
    if (hostPorts().isPresent()) {
      PortRange host = hostPorts().get();
      PortRange container = containerPorts();
      if (!container.isSingle() && host.size() != container.size()) {
        throw new IllegalArgumentException(
            "host ports "
                + host.toShortForm()
                + " and container ports "
                + container.toShortForm()
                + " are ranges of different length");
      }
    }
    hostIp()
        .ifPresent(
            ip -> {
              if (!isIpLiteral(ip)) {
                throw new IllegalArgumentException(
                    "host IP \"" + ip + "\" is not an IPv4 or IPv6 address");
              }
            });
  }

  /** {@code true} for a dotted-quad IPv4 or an IPv6 literal (no brackets, no zone). */
  static boolean isIpLiteral(String ip) {
    if (ip.indexOf(':') < 0) {
      return isIpv4(ip);
    }
    return isIpv6(ip);
  }

  private static boolean isIpv4(String ip) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String ip) {
    String body = ip;
    int lastColon = ip.lastIndexOf(':');
    String tail = ip.substring(lastColon + 1);
    if (tail.indexOf('.') >= 0) {
      if (!isIpv4(tail)) {
        return false;
      }
      body = ip.substring(0, lastColon + 1) + "0:0";
    }
    int compression = body.indexOf("::");
    if (compression < 0) {
      return countGroups(body) == 8;
    }
    if (body.indexOf("::", compression + 1) >= 0) {
      return false;
    }
    int left = countGroups(body.substring(0, compression));
    int right = countGroups(body.substring(compression + 2));
    return left >= 0 && right >= 0 && left + right <= 7;
  }

  /** Number of colon-separated hex groups of 1..4 digits, 0 for "", -1 when malformed. */
  private static int countGroups(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    String[] groups = text.split(":", -1);
    for (String g : groups) {
      if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return -1;
      }
    }
    return groups.length;
  }

  /**
   * A new, empty builder of {@link PortMapping}.
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
   * Builds a {@link PortMapping}; get one from {@link PortMapping#builder()} or {@link
   * PortMapping#toBuilder()}.
   */
  public static final class Builder extends ImmutablePortMapping.Builder {
    Builder() {}
  }
}
