package io.github.scompose.network;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation: a network address and a prefix length, e.g. {@code
 * 10.22.0.0/16} (the default bridge of SingularityCE, recorded from SingularityCE 3.4.2: gateway
 * {@code 10.22.0.1}) or {@code fd00:22::/64}.
 *
 * <p>Rules (RFC 4632, RFC 4291): the prefix is 0..32 for IPv4 and 0..128 for IPv6; the address must
 * have no bits set after the prefix ({@code 10.22.0.5/16} is refused with a hint naming {@code
 * 10.22.0.0/16}, because such a typo usually means a different network than intended).
 *
 * <p>Host addresses: offset 0 is the network address; for IPv4 the last address is the broadcast
 * address; every other address is a host. IPv6 has no broadcast; its offset 0 (the subnet-router
 * anycast address) is not a host either.
 *
 * <p>A hand-written scalar value (like {@link IpAddress}), parsed from and printed to text; {@link
 * #toString()} gives the canonical form, e.g. {@code fd00:22::/64}.
 */
public final class Cidr {

  private final IpAddress network;
  private final int prefix;

  private Cidr(IpAddress network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses {@code ADDRESS/PREFIX}.
   *
   * @throws IllegalArgumentException naming the text: no {@code /}, bad address, prefix out of
   *     range, or host bits set
   */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "invalid CIDR '" + text + "': expected ADDRESS/PREFIX, e.g. 10.22.0.0/16");
    }
    IpAddress address;
    try {
      address = IpAddress.parse(t.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid CIDR '" + text + "': " + e.getMessage(), e);
    }
    String p = t.substring(slash + 1);
    int prefix;
    if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "invalid CIDR '" + text + "': prefix '" + p + "' is not a number");
    }
    prefix = Integer.parseInt(p);
    return of(address, prefix, text);
  }

  /**
   * The network of {@code address} with {@code prefixLength} bits.
   *
   * @throws IllegalArgumentException when the prefix is out of range or host bits are set
   */
  public static Cidr of(IpAddress address, int prefixLength) {
    return of(address, prefixLength, address + "/" + prefixLength);
  }

  private static Cidr of(IpAddress address, int prefix, String text) {
    int max = address.isIpv6() ? 128 : 32;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException(
          "invalid CIDR '" + text + "': prefix " + prefix + " is outside 0.." + max);
    }
    Cidr masked = new Cidr(mask(address, prefix), prefix);
    if (!masked.network.equals(address)) {
      throw new IllegalArgumentException(
          "invalid CIDR '"
              + text
              + "': host bits are set after the /"
              + prefix
              + " prefix; did you mean "
              + masked
              + "?");
    }
    return masked;
  }

  private static IpAddress mask(IpAddress a, int prefix) {
    if (!a.isIpv6()) {
      long m = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
      return IpAddress.ipv4((int) (a.low() & m));
    }
    long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    return IpAddress.ipv6(a.high() & hiMask, a.low() & loMask);
  }

  /** The network address (offset 0). */
  public IpAddress network() {
    return network;
  }

  /** The prefix length in bits. */
  public int prefixLength() {
    return prefix;
  }

  /** {@code true} for an IPv6 network. */
  public boolean isIpv6() {
    return network.isIpv6();
  }

  /** Number of addresses in the network, network and broadcast addresses included. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft((isIpv6() ? 128 : 32) - prefix);
  }

  /** {@code true} when {@code address} is of the same family and inside this network. */
  public boolean contains(IpAddress address) {
    return address.isIpv6() == isIpv6() && mask(address, prefix).equals(network);
  }

  /** The address at {@code offset} from the network address (0 = the network address). */
  public IpAddress addressAt(long offset) {
    if (offset < 0 || BigInteger.valueOf(offset).compareTo(size()) >= 0) {
      throw new IllegalArgumentException("offset " + offset + " is outside " + this);
    }
    return network.plus(offset);
  }

  /**
   * Offset of {@code address} from the network address.
   *
   * @throws IllegalArgumentException when the address is not inside this network
   */
  public BigInteger offsetOf(IpAddress address) {
    if (!contains(address)) {
      throw new IllegalArgumentException(address + " is not inside " + this);
    }
    if (!isIpv6()) {
      return BigInteger.valueOf(address.low() - network.low());
    }
    return toUnsigned(address.high(), address.low())
        .subtract(toUnsigned(network.high(), network.low()));
  }

  private static BigInteger toUnsigned(long hi, long lo) {
    BigInteger h = new BigInteger(Long.toUnsignedString(hi));
    return h.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(lo)));
  }

  /** The first host address (offset 1): the default gateway of a bridge. */
  public IpAddress firstHost() {
    return addressAt(1);
  }

  /** The IPv4 broadcast address (the last address); empty for IPv6. */
  public Optional<IpAddress> broadcast() {
    if (isIpv6()) {
      return Optional.empty();
    }
    return Optional.of(network.plus(size().longValueExact() - 1));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && c.network.equals(network);
  }

  @Override
  public int hashCode() {
    return network.hashCode() * 131 + prefix;
  }

  /** Canonical text, e.g. {@code 10.22.0.0/16}. */
  @Override
  public String toString() {
    return network + "/" + prefix;
  }
}
