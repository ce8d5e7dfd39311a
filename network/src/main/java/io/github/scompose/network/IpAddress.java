package io.github.scompose.network;

import io.github.scompose.network.internal.AddressText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * One IPv4 or IPv6 address, as a comparable value with a canonical text form.
 *
 * <p>Text: IPv4 as a dotted quad ({@code 10.22.0.2}); IPv6 in the RFC 5952 canonical form (lower
 * case, longest run of zero groups written as {@code ::}, e.g. {@code fd00:22::2}). {@link
 * #toString()} returns that form, and it is the form written to hosts files, lease files and {@code
 * --network-args IP=}.
 *
 * <p>Parsing is strict and never touches DNS: IPv4 numbers are 0..255 without leading zeros (no
 * octal surprises), IPv6 zone indexes ({@code %eth0}) are refused. Errors are {@link
 * IllegalArgumentException}s that quote the text.
 *
 * <p>Ordering: all IPv4 addresses sort before all IPv6 addresses, each family numerically.
 *
 * <p>This is a small hand-written value class rather than an Immutables type because it is a scalar
 * (like {@code java.time.Instant}): two longs, parsed from and printed to text.
 */
public final class IpAddress implements Comparable<IpAddress> {

  private final boolean ipv6;
  private final long hi;
  private final long lo;

  private IpAddress(boolean ipv6, long hi, long lo) {
    this.ipv6 = ipv6;
    this.hi = hi;
    this.lo = lo;
  }

  /**
   * Parses {@code 10.22.0.2}, {@code fd00:22::2}, {@code ::ffff:10.0.0.1} and the like.
   *
   * @throws IllegalArgumentException when the text is not an IP literal (host names are refused)
   */
  public static IpAddress parse(String text) {
    AddressText.Bits bits = AddressText.parse(text.trim());
    return new IpAddress(bits.ipv6(), bits.hi(), bits.lo());
  }

  /** The IPv4 address with the given 32 bits (the int is read as unsigned). */
  public static IpAddress ipv4(int bits) {
    return new IpAddress(false, 0, bits & 0xFFFFFFFFL);
  }

  /** The IPv6 address with the given high and low 64 bits. */
  public static IpAddress ipv6(long high, long low) {
    return new IpAddress(true, high, low);
  }

  /** Converts a JDK address (no DNS lookup: the address bytes are read). */
  public static IpAddress of(InetAddress address) {
    ByteBuffer bytes = ByteBuffer.wrap(address.getAddress());
    if (bytes.capacity() == 4) {
      return ipv4(bytes.getInt());
    }
    return ipv6(bytes.getLong(), bytes.getLong());
  }

  /** {@code true} for IPv6, {@code false} for IPv4. */
  public boolean isIpv6() {
    return ipv6;
  }

  /** High 64 bits (always 0 for IPv4). */
  public long high() {
    return hi;
  }

  /** Low 64 bits (for IPv4: the address in the low 32 bits). */
  public long low() {
    return lo;
  }

  /** {@code true} for {@code 127.0.0.0/8} and {@code ::1}. */
  public boolean isLoopback() {
    return ipv6 ? hi == 0 && lo == 1 : (lo >>> 24) == 127;
  }

  /**
   * This address plus {@code offset} (unsigned, no wrap checks: callers stay inside a {@link
   * Cidr}).
   */
  IpAddress plus(long offset) {
    long newLo = lo + offset;
    long newHi = hi;
    if (ipv6 && Long.compareUnsigned(newLo, lo) < 0) {
      newHi++;
    }
    return new IpAddress(ipv6, newHi, ipv6 ? newLo : newLo & 0xFFFFFFFFL);
  }

  /** The JDK form of this address (no DNS lookup). */
  public InetAddress toInetAddress() {
    byte[] bytes =
        ipv6
            ? ByteBuffer.allocate(16).putLong(hi).putLong(lo).array()
            : ByteBuffer.allocate(4).putInt((int) lo).array();
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("unreachable: address of length " + bytes.length, e);
    }
  }

  @Override
  public int compareTo(IpAddress other) {
    if (ipv6 != other.ipv6) {
      return ipv6 ? 1 : -1;
    }
    int c = Long.compareUnsigned(hi, other.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress a && a.ipv6 == ipv6 && a.hi == hi && a.lo == lo;
  }

  @Override
  public int hashCode() {
    long h = hi * 31 + lo;
    return (int) (h ^ (h >>> 32)) + (ipv6 ? 1 : 0);
  }

  /** Canonical text: dotted quad, or RFC 5952 IPv6. */
  @Override
  public String toString() {
    return ipv6 ? AddressText.formatIpv6(hi, lo) : AddressText.formatIpv4(lo);
  }
}
