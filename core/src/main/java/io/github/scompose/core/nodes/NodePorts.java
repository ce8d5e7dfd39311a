package io.github.scompose.core.nodes;

import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.NetworkException;
import io.github.scompose.network.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports of a remote node, as its kernel lists them: {@code /proc/net/tcp}, {@code tcp6} (sockets in
 * state {@code LISTEN}) and {@code udp}, {@code udp6} (every bound socket), read through the node's
 * {@link Transport}. A port is free when no such socket is bound to it on the address asked for, on
 * a wildcard address, or (asking for all addresses) on any address. Read afresh on each question: a
 * snapshot, as {@link HostPorts#system()} is. A file that is missing (not Linux) counts as no
 * socket.
 */
public final class NodePorts implements HostPorts {

  /** First port {@link #findFree} tries from: {@value} (Linux's default ephemeral range start). */
  static final int EPHEMERAL_FIRST = 32768;

  /** Last port {@link #findFree} tries: {@value}. */
  static final int EPHEMERAL_LAST = 60999;

  /** The first 24 hex digits of an IPv4-mapped IPv6 address in {@code /proc/net/tcp6}. */
  private static final String MAPPED = "0000000000000000FFFF0000";

  private final Transport transport;

  private NodePorts(Transport transport) {
    this.transport = transport;
  }

  /** The ports of the node {@code transport} reaches. */
  public static NodePorts of(Transport transport) {
    return new NodePorts(transport);
  }

  /** A bound socket: the local address as the kernel prints it (hex), and the port. */
  record Bound(String addressHex, int port) {}

  /**
   * The sockets listed in {@code text} (a {@code /proc/net/tcp}-style table): for TCP only those in
   * state {@code 0A} (LISTEN).
   */
  static Set<Bound> parse(String text, boolean tcp) {
    Set<Bound> out = new HashSet<>();
    String[] lines = text.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].strip().split("\\s+");
      if (f.length < 4) {
        continue;
      }
      int colon = f[1].lastIndexOf(':');
      if (colon < 0 || (tcp && !f[3].equals("0A"))) {
        continue;
      }
      try {
        out.add(
            new Bound(f[1].substring(0, colon), Integer.parseInt(f[1].substring(colon + 1), 16)));
      } catch (NumberFormatException e) {
        // not a socket line
      }
    }
    return out;
  }

  private Set<Bound> bound(Protocol protocol) {
    String base = protocol == Protocol.TCP ? "/proc/net/tcp" : "/proc/net/udp";
    Set<Bound> out = new HashSet<>();
    for (String file : new String[] {base, base + "6"}) {
      Optional<byte[]> text = transport.readFile(file, 0);
      text.ifPresent(
          b -> out.addAll(parse(new String(b, StandardCharsets.UTF_8), protocol == Protocol.TCP)));
    }
    return out;
  }

  /** The kernel's hex form of an IPv4 address in {@code /proc/net/tcp} (little-endian). */
  static String hex(IpAddress a) {
    if (a.isIpv6()) {
      return null;
    }
    int v = (int) a.low();
    return String.format("%08X", Integer.reverseBytes(v));
  }

  private static boolean wildcard(String hex) {
    return hex.chars().allMatch(c -> c == '0');
  }

  @Override
  public boolean isFree(Protocol protocol, Optional<IpAddress> hostIp, int port) {
    String want = hostIp.map(NodePorts::hex).orElse(null);
    for (Bound b : bound(protocol)) {
      if (b.port() != port) {
        continue;
      }
      String at = b.addressHex();
      if (at.length() == 32 && at.toUpperCase(java.util.Locale.ROOT).startsWith(MAPPED)) {
        at = at.substring(MAPPED.length()); // an IPv4-mapped IPv6 socket (::ffff:a.b.c.d)
      }
      if (hostIp.isEmpty() || wildcard(at) || at.equalsIgnoreCase(want)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int findFree(Protocol protocol, Optional<IpAddress> hostIp, Set<Integer> exclude) {
    Set<Integer> taken = new HashSet<>(exclude);
    bound(protocol).forEach(b -> taken.add(b.port()));
    int span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int p = EPHEMERAL_FIRST + (start + i) % span;
      if (!taken.contains(p)) {
        return p;
      }
    }
    throw new NetworkException(
        "no free "
            + protocol.text()
            + " port in "
            + EPHEMERAL_FIRST
            + "-"
            + EPHEMERAL_LAST
            + " on "
            + transport.describe());
  }
}
