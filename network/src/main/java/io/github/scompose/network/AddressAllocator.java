package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.immutables.value.Value;

/**
 * Hands out host addresses of one {@link Cidr} to instance names, deterministically.
 *
 * <p>Rule: walking the host addresses upward from the first host, each requested name, in the order
 * given, gets the next address that is not the network address, not the {@linkplain #gateway()
 * gateway}, not the IPv4 broadcast address, not in the {@code taken} set and not kept by a
 * {@linkplain #preferred() preferred} name (which keeps its address when it is free). The same
 * inputs always give the same result. With the default gateway ({@code .1}) the first instance of
 * {@code 10.22.0.0/16} gets {@code 10.22.0.2}, as singularity-compose 0.1.19 and the SingularityCE
 * CNI bridge do (recorded from SingularityCE 3.4.2).
 *
 * <p>Exhaustion is exact and checked before anything is handed out: a {@code /29} holds 8
 * addresses, of which 5 are free for instances (network, gateway and broadcast excluded); asking
 * for 6 throws {@link AddressExhaustedException} naming the CIDR and both counts.
 *
 * <pre>{@code
 * AddressAllocator allocator = AddressAllocator.of(Cidr.parse("10.22.0.0/16"));
 * Map<String, IpAddress> ips = allocator.allocate(List.of("web1", "db1"), Set.of());
 * // {web1=10.22.0.2, db1=10.22.0.3}
 * }</pre>
 */
@Value.Immutable
@ValueStyle
public abstract class AddressAllocator implements WithAddressAllocator {

  /** The network to allocate from. */
  public abstract Cidr cidr();

  /**
   * The gateway address, never handed out. Default: the first host address of the CIDR ({@code
   * 10.22.0.1} for {@code 10.22.0.0/16}), the gateway of the CNI bridge plugin's host-local IPAM.
   * It must lie inside the CIDR.
   */
  @Value.Default
  public IpAddress gateway() {
    return cidr().firstHost();
  }

  /**
   * Addresses that instances should keep, instance name → address, e.g. the addresses a project's
   * running instances already have, so that planning the project again does not renumber them. A
   * requested name keeps its preferred address when that address is a host address of the CIDR, not
   * the gateway, not {@code taken} and not preferred by an earlier name; otherwise it gets an
   * address like any other name. Other names never get a kept address. Default: none.
   */
  public abstract java.util.Map<String, IpAddress> preferred();

  @Value.Check
  void check() {
    if (!cidr().contains(gateway())) {
      throw new IllegalArgumentException("gateway " + gateway() + " is outside " + cidr());
    }
  }

  /** An allocator of {@code cidr} with the default gateway. */
  public static AddressAllocator of(Cidr cidr) {
    return AddressAllocator.builder().cidr(cidr).build();
  }

  /**
   * Assigns an address to each name.
   *
   * @param names instance names, in the order they get addresses; must be distinct
   * @param taken addresses in use elsewhere (other leases, IPs seen in {@code instance list
   *     --json}); addresses outside the CIDR are ignored
   * @return name → address, in the order of {@code names}, unmodifiable
   * @throws AddressExhaustedException when fewer free host addresses remain than names
   * @throws IllegalArgumentException when a name repeats
   */
  public Map<String, IpAddress> allocate(List<String> names, Collection<IpAddress> taken) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException("instance name '" + name + "' is requested twice");
      }
    }
    Cidr cidr = cidr();
    IpAddress gateway = gateway();
    Set<IpAddress> blocked = new HashSet<>();
    for (IpAddress a : taken) {
      if (cidr.contains(a) && !a.equals(gateway) && isHost(cidr, a)) {
        blocked.add(a);
      }
    }
    BigInteger hosts = hostCount(cidr);
    BigInteger free = hosts;
    if (isHost(cidr, gateway)) {
      free = free.subtract(BigInteger.ONE);
    }
    free = free.subtract(BigInteger.valueOf(blocked.size())).max(BigInteger.ZERO);
    if (free.compareTo(BigInteger.valueOf(names.size())) < 0) {
      throw new AddressExhaustedException(
          cidr,
          names.size(),
          free,
          "network"
              + (cidr.isIpv6() ? "" : ", broadcast")
              + ", gateway "
              + gateway
              + " and "
              + blocked.size()
              + " taken address"
              + (blocked.size() == 1 ? "" : "es")
              + " excluded");
    }
    Map<String, IpAddress> kept = new LinkedHashMap<>();
    Set<IpAddress> claimed = new HashSet<>();
    for (String name : names) {
      IpAddress p = preferred().get(name);
      if (p != null
          && cidr.contains(p)
          && isHost(cidr, p)
          && !p.equals(gateway)
          && !blocked.contains(p)
          && claimed.add(p)) {
        kept.put(name, p);
      }
    }
    Map<String, IpAddress> out = new LinkedHashMap<>(names.size() * 2);
    long offset = 1;
    for (String name : names) {
      IpAddress keep = kept.get(name);
      if (keep != null) {
        out.put(name, keep);
        continue;
      }
      IpAddress candidate = cidr.network().plus(offset);
      while (candidate.equals(gateway)
          || blocked.contains(candidate)
          || claimed.contains(candidate)) {
        offset++;
        candidate = cidr.network().plus(offset);
      }
      out.put(name, candidate);
      offset++;
    }
    return Collections.unmodifiableMap(out);
  }

  private static BigInteger hostCount(Cidr cidr) {
    return cidr.size().subtract(BigInteger.valueOf(cidr.isIpv6() ? 1 : 2)).max(BigInteger.ZERO);
  }

  private static boolean isHost(Cidr cidr, IpAddress a) {
    BigInteger off = cidr.offsetOf(a);
    return off.signum() > 0 && off.compareTo(hostCount(cidr)) <= 0;
  }

  /**
   * A new, empty builder of {@link AddressAllocator}.
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
   * Builds a {@link AddressAllocator}; get one from {@link AddressAllocator#builder()} or {@link
   * AddressAllocator#toBuilder()}.
   */
  public static final class Builder extends ImmutableAddressAllocator.Builder {
    Builder() {}
  }
}
