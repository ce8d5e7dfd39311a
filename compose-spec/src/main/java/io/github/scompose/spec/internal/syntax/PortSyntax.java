package io.github.scompose.spec.internal.syntax;

import io.github.scompose.spec.PortMapping;
import io.github.scompose.spec.PortMapping.PortRange;
import io.github.scompose.spec.PortMapping.Protocol;
import java.util.List;

/**
 * Parses the short syntax of a published port, {@code [HOST:]CONTAINER[/PROTOCOL]} where {@code
 * HOST} is {@code [IP:](port | range)} (Compose Specification: {@code services.ports}, short
 * syntax; singularity-compose {@code ports} entries use the same form).
 *
 * <p>Accepted, with the spec's own examples: {@code "3000"}, {@code "3000-3005"}, {@code
 * "8000:8000"}, {@code "9090-9091:8080-8081"}, {@code "49100:22"}, {@code "8000-9000:80"}, {@code
 * "127.0.0.1:8001:8001"}, {@code "127.0.0.1:5000-5010:5000-5010"}, {@code "::1:6000:6000"}, {@code
 * "[::1]:6001:6001"}, {@code "6060:6060/udp"}; also Docker's {@code "127.0.0.1::80"} (bound to an
 * address, host port picked by the runtime). Protocols: {@code tcp} (default), {@code udp}, {@code
 * sctp}, any letter case. Without brackets an IPv6 address is everything before the last two
 * colons.
 */
public final class PortSyntax {

  static final String EXPECTED = "[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]";

  private PortSyntax() {}

  /**
   * Parses one short-syntax entry.
   *
   * @return the mapping the entry stands for (one element; a list so a caller can treat every entry
   *     form alike)
   * @throws IllegalArgumentException when the text is not of that form, a port is outside 1..65535,
   *     a range ends before it starts, host and container ranges differ in length, the protocol is
   *     unknown or the host IP is not an address; the message names the problem and the text
   */
  public static List<PortMapping> parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("port mapping is empty; expected " + EXPECTED);
    }
    try {
      return List.of(parseOne(text));
    } catch (FormatError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " in port mapping \"" + text + "\"", e);
    }
  }

  private static PortMapping parseOne(String text) {
    String rest = text;
    Protocol protocol = Protocol.TCP;
    int slash = rest.lastIndexOf('/');
    if (slash >= 0) {
      protocol = Protocol.parse(rest.substring(slash + 1));
      rest = rest.substring(0, slash);
    }
    String ip = null;
    String host = null;
    String container;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'[' of an IPv6 host IP is not closed");
      }
      ip = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (!after.startsWith(":")) {
        throw formatError(text);
      }
      after = after.substring(1);
      int colon = after.indexOf(':');
      if (colon < 0) {
        throw formatError(text);
      }
      host = after.substring(0, colon);
      container = after.substring(colon + 1);
    } else {
      int last = rest.lastIndexOf(':');
      if (last < 0) {
        container = rest;
      } else {
        container = rest.substring(last + 1);
        String before = rest.substring(0, last);
        int second = before.lastIndexOf(':');
        if (second < 0) {
          host = before;
        } else {
          host = before.substring(second + 1);
          ip = before.substring(0, second);
        }
      }
    }
    if (ip != null && ip.isEmpty()) {
      throw new IllegalArgumentException("host IP is empty");
    }
    // ":80" (an empty host port, e.g. from an unset variable) publishes the container port on a
    // free host port, as docker compose does (go-connections nat.ParsePortSpec allows it)
    PortMapping.Builder b =
        PortMapping.builder().containerPorts(range(container)).protocol(protocol);
    if (host != null && !host.isEmpty()) {
      b.hostPorts(range(host));
    }
    if (ip != null) {
      if (!isIpLiteral(ip)) {
        throw new IllegalArgumentException("host IP \"" + ip + "\" is not an IPv4 or IPv6 address");
      }
      b.hostIp(ip);
    }
    return b.build();
  }

  /**
   * Parses {@code "8000"} or {@code "8000-8010"}.
   *
   * @throws IllegalArgumentException when not of that form, a port is outside 1..65535, or the
   *     range ends before it starts
   */
  public static PortRange range(String text) {
    int dash = text.indexOf('-');
    if (dash < 0) {
      return PortRange.single(port(text));
    }
    return PortRange.of(port(text.substring(0, dash)), port(text.substring(dash + 1)));
  }

  /**
   * Parses one port number, 1..65535.
   *
   * @throws IllegalArgumentException when not a decimal number in range
   */
  public static int port(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a port number or a range like 8000-8010");
    }
    int zeros = 0; // leading zeros, the last digit kept
    while (zeros < text.length() - 1 && text.charAt(zeros) == '0') {
      zeros++;
    }
    String digits = text.substring(zeros);
    if (digits.length() > 5) {
      throw new IllegalArgumentException("port " + digits + " is outside 1..65535");
    }
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
    return port;
  }

  /** A failure whose message already names the whole text. */
  private static final class FormatError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    FormatError(String message) {
      super(message);
    }
  }

  private static IllegalArgumentException formatError(String text) {
    return new FormatError("port mapping \"" + text + "\" is not of the form " + EXPECTED);
  }

  private static boolean isIpLiteral(String ip) {
    try {
      PortMapping.builder().containerPorts(PortRange.single(1)).hostIp(ip).build();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
