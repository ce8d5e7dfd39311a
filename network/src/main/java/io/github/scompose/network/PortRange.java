package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** An inclusive range of port numbers, {@code first..last}, each in 1..65535. */
@Value.Immutable
@ValueStyle
public abstract class PortRange implements WithPortRange {

  /** The first port. */
  public abstract int first();

  /** The last port (inclusive), ≥ {@link #first()}. */
  public abstract int last();

  @Value.Check
  void check() {
    for (int p : new int[] {first(), last()}) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("port " + p + " is outside 1..65535");
      }
    }
    if (last() < first()) {
      throw new IllegalArgumentException("port range " + first() + "-" + last() + " is reversed");
    }
  }

  /** Number of ports in the range. */
  public int size() {
    return last() - first() + 1;
  }

  /** {@code true} when the ranges share a port. */
  public boolean overlaps(PortRange other) {
    return first() <= other.last() && other.first() <= last();
  }

  /** The range {@code first..last}. */
  public static PortRange of(int first, int last) {
    return PortRange.builder().first(first).last(last).build();
  }

  /** The one-port range {@code port..port}. */
  public static PortRange single(int port) {
    return of(port, port);
  }

  /**
   * Reads {@code 80} or {@code 8000-8010}.
   *
   * @throws IllegalArgumentException naming the text
   */
  public static PortRange parse(String text) {
    String[] parts = text.trim().split("-", -1);
    try {
      if (parts.length == 1) {
        return single(number(parts[0]));
      }
      if (parts.length == 2) {
        return of(number(parts[0]), number(parts[1]));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("port range '" + text + "': " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("port range '" + text + "' is not PORT or FIRST-LAST");
  }

  private static int number(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("'" + s + "' is not a port number");
    }
    return Integer.parseInt(s);
  }

  /** {@code 80} or {@code 8000-8010}. */
  @Override
  public String toString() {
    return first() == last() ? Integer.toString(first()) : first() + "-" + last();
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
