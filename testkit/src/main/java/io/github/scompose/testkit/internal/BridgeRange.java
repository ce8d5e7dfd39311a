package io.github.scompose.testkit.internal;

import java.util.Optional;
import java.util.Set;

/**
 * The address range of the emulated CNI bridge network, as recorded from SingularityCE 3.4.2's
 * default {@code bridge} network ({@code sbr0}, 10.22.0.0/16, gateway 10.22.0.1; its errors name
 * the range set {@code 10.22.0.1-10.22.255.254}), allocated the way CNI's {@code host-local} IPAM
 * does: the next free address after the last one reserved ({@code last_reserved_ip.0} in the
 * recording), wrapping around at the end of the range, never the gateway and never an address in
 * use.
 */
final class BridgeRange {
  /** 10.22.0.1 as an unsigned 32-bit value. */
  private static final long GATEWAY = (10L << 24) | (22L << 16) | 1;

  /** 10.22.255.254. */
  private static final long LAST = (10L << 24) | (22L << 16) | (255L << 8) | 254;

  /** The range set as the real binary's errors print it. */
  static final String RANGE_SET = "10.22.0.1-10.22.255.254";

  private BridgeRange() {}

  /**
   * The address to hand out next.
   *
   * @param inUse addresses held by listed instances (any text; those outside the range are ignored)
   * @param lastReserved the address reserved last, or null when none was: allocation then starts at
   *     10.22.0.2
   * @return empty when every address of the range is in use
   */
  static Optional<String> next(Set<String> inUse, String lastReserved) {
    long size = LAST - GATEWAY; // addresses 10.22.0.2 .. 10.22.255.254
    long start = lastReserved == null ? GATEWAY : parse(lastReserved);
    if (start < GATEWAY || start > LAST) {
      start = GATEWAY;
    }
    for (long step = 1; step <= size + 1; step++) {
      long candidate = start + step;
      if (candidate > LAST) {
        candidate = GATEWAY + (candidate - LAST);
      }
      if (candidate == GATEWAY) {
        continue;
      }
      String text = format(candidate);
      if (!inUse.contains(text)) {
        return Optional.of(text);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code address} is a dotted IPv4 address an instance may hold in the range. */
  static boolean contains(String address) {
    long value = parse(address);
    return value > GATEWAY && value <= LAST;
  }

  /** The value of a dotted IPv4 address; -1 when it is not one. */
  static long parse(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return -1;
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  static String format(long value) {
    return ((value >> 24) & 0xff)
        + "."
        + ((value >> 16) & 0xff)
        + "."
        + ((value >> 8) & 0xff)
        + "."
        + (value & 0xff);
  }
}
