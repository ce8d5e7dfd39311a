package io.github.scompose.network;

import java.math.BigInteger;

/**
 * Thrown when a {@link Cidr} has fewer free host addresses than requested. The message names the
 * CIDR, how many addresses were asked for and how many were free, e.g. {@code "10.22.0.0/29 has 5
 * free host addresses, 6 requested (network, gateway 10.22.0.1, broadcast and 0 taken addresses
 * excluded)"}. Nothing is allocated when this is thrown.
 */
public final class AddressExhaustedException extends NetworkException {
  private static final long serialVersionUID = 1L;

  private final transient Cidr cidr;
  private final int requested;
  private final BigInteger free;

  /** An exhaustion of {@code cidr}: {@code requested} asked, {@code free} available. */
  public AddressExhaustedException(Cidr cidr, int requested, BigInteger free, String detail) {
    super(
        cidr
            + " has "
            + free
            + " free host address"
            + (free.equals(BigInteger.ONE) ? "" : "es")
            + ", "
            + requested
            + " requested ("
            + detail
            + ")");
    this.cidr = cidr;
    this.requested = requested;
    this.free = free;
  }

  /** The exhausted network. */
  public Cidr cidr() {
    return cidr;
  }

  /** How many addresses were asked for. */
  public int requested() {
    return requested;
  }

  /** How many host addresses were free. */
  public BigInteger free() {
    return free;
  }
}
