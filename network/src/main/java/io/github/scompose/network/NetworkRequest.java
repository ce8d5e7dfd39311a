package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Everything the {@link NetworkPlanner} needs to plan a project's network: the instances, what the
 * user asked for and the facts about the caller (root or not, fakeroot or not).
 */
@Value.Immutable
@ValueStyle
public interface NetworkRequest extends WithNetworkRequest {

  /** The project name; leases are keyed by it. */
  String project();

  /** The instances, in start order (which is also the order of address allocation). */
  List<InstanceRequest> instances();

  /** The mode the user asked for; empty lets the planner choose (see {@link NetworkPlanner}). */
  Optional<NetworkMode> requestedMode();

  /**
   * Why {@link #requestedMode()} was asked for, in a few words, e.g. {@code "network.enable is
   * false for every service"}; it becomes part of {@link NetworkPlan#reason()} and of the errors
   * about settings the mode cannot honour. Default: empty ("requested").
   */
  Optional<String> requestReason();

  /** {@code true} when instances will be started by root. Default: {@code false}. */
  @Value.Default
  default boolean root() {
    return false;
  }

  /**
   * {@code true} when instances may be started with {@code --fakeroot} (the user asked for it, or
   * the site allows it and the caller accepts uid 0 inside). Default: {@code false}.
   */
  @Value.Default
  default boolean fakerootAllowed() {
    return false;
  }

  /** The CNI network used as root. Default: {@code bridge} (SingularityCE's default network). */
  @Value.Default
  default String bridgeNetwork() {
    return "bridge";
  }

  /**
   * The CNI network used with {@code --fakeroot}. Default: {@code fakeroot}, the one network
   * SingularityCE lets fakeroot users join.
   */
  @Value.Default
  default String fakerootNetwork() {
    return "fakeroot";
  }

  /**
   * The bridge's subnet. Default: {@code 10.22.0.0/16}, SingularityCE's {@code bridge} network
   * (recorded from SingularityCE 3.4.2). Set it to the site's CNI configuration when it differs
   * (e.g. for the {@code fakeroot} network).
   */
  @Value.Default
  default Cidr cidr() {
    return Cidr.parse("10.22.0.0/16");
  }

  /**
   * The subnet of the {@link #fakerootNetwork() fakeroot} network, used instead of {@link #cidr()}
   * when instances join it with {@code --fakeroot}. Default: {@code 10.23.0.0/16}, the {@code
   * host-local} range of SingularityCE's shipped {@code 40_fakeroot.conflist} (a {@code ptp}
   * network; checked on a real SingularityCE 3.4.2 built from source, where an address of {@code
   * 10.22.0.0/16} was refused with "failed to allocate all requested IPs"). Set it to the site's
   * CNI configuration when it differs.
   */
  @Value.Default
  default Cidr fakerootCidr() {
    return Cidr.parse("10.23.0.0/16");
  }

  /** The bridge gateway; default the first host of the subnet in use. */
  Optional<IpAddress> gateway();

  /**
   * {@code true} to give each bridged instance a fixed address ({@code --network-args IP=}) so the
   * hosts file can name it; {@code false} lets CNI choose and writes no instance lines
   * (singularity-compose spec 2.0: {@code network.allocate_ip}). Default: {@code true}.
   */
  @Value.Default
  default boolean allocateAddresses() {
    return true;
  }

  /** Addresses in use outside the lease file, e.g. IPs from {@code instance list --json}. */
  List<IpAddress> takenAddresses();

  /**
   * Addresses instances should keep when they are free (see {@link AddressAllocator#preferred()}),
   * instance name → address: e.g. what the project's running instances have, so that planning the
   * same project again gives the same addresses. With a {@link LeaseStore} an instance's own lease
   * wins; this applies to instances without one. Default: none.
   */
  java.util.Map<String, IpAddress> preferredAddresses();

  /** Extra hosts file lines (compose {@code extra_hosts}). */
  List<HostsEntry> extraHosts();

  /**
   * Instances of the project that this plan does not start but that stay (recorded by an earlier
   * {@code up}: the other services of an {@code up SERVICE} or {@code up --no-deps SERVICE}), each
   * with the address it has (any address, e.g. {@code 127.0.0.1}, when none is known). With
   * allocated bridge addresses, their addresses are never handed to a planned instance and the
   * hosts file names those of them whose address is in the subnet; in host networking the hosts
   * file names them all at {@code 127.0.0.1}. Their lines follow the planned instances' lines; an
   * instance also in {@link #instances()} is ignored here. Default: none.
   */
  List<InstanceAddress> keptInstances();

  /** The resolver configuration for bridged instances; empty: read the host's. */
  Optional<ResolvConf> resolvConf();

  /**
   * The host's resolver file read when {@link #resolvConf()} is empty. Default: {@code
   * /etc/resolv.conf}.
   */
  @Value.Default
  default Path hostResolvConf() {
    return Path.of("/etc/resolv.conf");
  }

  /**
   * systemd-resolved's upstream file, used when the host file lists only loopback servers. Default:
   * {@code /run/systemd/resolve/resolv.conf}.
   */
  @Value.Default
  default Path upstreamResolvConf() {
    return Path.of("/run/systemd/resolve/resolv.conf");
  }

  /** {@code true} to try-bind published host ports on this host. Default: {@code true}. */
  @Value.Default
  default boolean checkHostPorts() {
    return true;
  }

  /**
   * A new, empty builder of {@link NetworkRequest}.
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
   * Builds a {@link NetworkRequest}; get one from {@link NetworkRequest#builder()} or {@link
   * NetworkRequest#toBuilder()}.
   */
  static final class Builder extends ImmutableNetworkRequest.Builder {
    Builder() {}
  }
}
