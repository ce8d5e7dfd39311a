package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * One line of a hosts file (hosts(5)): an address and one or more names, the first being the
 * canonical name and the others aliases. Names may not be empty or contain whitespace or {@code #}.
 */
@Value.Immutable
@ValueStyle
public interface HostsEntry extends WithHostsEntry {

  /** The address the names resolve to. */
  IpAddress address();

  /** The names, canonical name first; at least one. */
  List<String> hostnames();

  /**
   * Validates the names (Immutables calls it on build).
   *
   * @throws IllegalArgumentException when there is no name or a name is empty or contains
   *     whitespace or {@code #}
   */
  @Value.Check
  default void check() {
    if (hostnames().isEmpty()) {
      throw new IllegalArgumentException("hosts entry for " + address() + " has no name");
    }
    for (String n : hostnames()) {
      if (n.isEmpty() || n.chars().anyMatch(c -> Character.isWhitespace(c) || c == '#')) {
        throw new IllegalArgumentException(
            "host name '" + n + "' is empty or contains whitespace or '#'");
      }
    }
  }

  /** An entry with the given address and names. */
  static HostsEntry of(IpAddress address, String... hostnames) {
    return HostsEntry.builder().address(address).hostnames(List.of(hostnames)).build();
  }

  /**
   * Parses one compose {@code extra_hosts} item: {@code HOST:IP} or {@code HOST=IP}, the IP
   * optionally in brackets ({@code myhost=[::1]}, {@code myhost:::1}); the compose specification's
   * {@code extra_hosts} syntax.
   *
   * @throws IllegalArgumentException naming the item when it has no separator or a bad address
   */
  static HostsEntry parseExtraHost(String item) {
    int eq = item.indexOf('=');
    int colon = item.indexOf(':');
    int sep = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
    if (sep <= 0) {
      throw new IllegalArgumentException(
          "extra_hosts item '" + item + "' is not HOST:IP or HOST=IP");
    }
    String host = item.substring(0, sep).trim();
    String ip = item.substring(sep + 1).trim();
    if (ip.startsWith("[") && ip.endsWith("]")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    try {
      return of(IpAddress.parse(ip), host);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("extra_hosts item '" + item + "': " + e.getMessage(), e);
    }
  }

  /**
   * A new, empty builder of {@link HostsEntry}.
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
   * Builds a {@link HostsEntry}; get one from {@link HostsEntry#builder()} or {@link
   * HostsEntry#toBuilder()}.
   */
  static final class Builder extends ImmutableHostsEntry.Builder {
    Builder() {}
  }
}
