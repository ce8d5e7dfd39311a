package io.github.scompose.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link NetworkRequest} into a {@link NetworkPlan}. Starts no process; the only side
 * effects are the lease file (when {@linkplain #withLeases leases} are used) and, unless disabled,
 * try-binding published host ports through {@link HostPorts}.
 *
 * <p><b>Mode choice</b> (recorded in {@link NetworkPlan#reason()}):
 *
 * <ul>
 *   <li>{@code none} requested → none.
 *   <li>{@code host} requested → host.
 *   <li>{@code bridge} requested, or nothing requested → bridge when root (CNI network {@link
 *       NetworkRequest#bridgeNetwork()}), else bridge through {@code --fakeroot} when fakeroot is
 *       allowed (CNI network {@link NetworkRequest#fakerootNetwork()}), else host networking ("not
 *       root and no fakeroot: host networking"). SingularityCE lets only root, or fakeroot users on
 *       the fakeroot network, use {@code --net} with a bridge; singularity-compose 0.1.19 fell back
 *       to {@code --network none} instead, which left instances unable to reach each other. A
 *       bridge request that falls back also adds a note.
 * </ul>
 *
 * <p><b>Per mode</b>:
 *
 * <ul>
 *   <li>bridge: {@code --net --network NAME}, {@code IP=<address>} from the allocator (or the lease
 *       store; a free {@linkplain NetworkRequest#preferredAddresses() preferred address} is kept),
 *       one {@code portmap=H:C/proto} per published port, {@code --hostname <instance>}, binds of
 *       {@value #HOSTS_FILE} and {@value #RESOLV_FILE}. The first instance of {@code 10.22.0.0/16}
 *       gets {@code 10.22.0.2}.
 *   <li>host: no {@code --net}; every instance name (and first-replica service alias) maps to
 *       {@code 127.0.0.1} in {@value #HOSTS_FILE}; published ports are the container ports, which
 *       must be distinct across instances; a different host port is reported in the notes, not
 *       honoured.
 *   <li>none: {@code --net --network none}, {@code --hostname}; no files, no ports.
 * </ul>
 *
 * <p><b>Errors</b>, all before anything is leased or started: {@link PortConflictException} (every
 * conflict listed; with a lease store also host ports another project forwards through portmap,
 * which a try-bind cannot see), {@link AddressExhaustedException}, {@link LeaseFileException},
 * {@link IllegalArgumentException} for a repeated instance name.
 */
public final class NetworkPlanner {

  /** File name of the planned hosts file (the name singularity-compose 0.1.19 uses). */
  public static final String HOSTS_FILE = "etc.hosts";

  /** File name of the planned resolver configuration. */
  public static final String RESOLV_FILE = "resolv.conf";

  private static final IpAddress LOOPBACK = IpAddress.parse("127.0.0.1");

  private final HostPorts hostPorts;
  private final LeaseStore leases;
  private final LeaseLiveness liveness;

  private NetworkPlanner(HostPorts hostPorts, LeaseStore leases, LeaseLiveness liveness) {
    this.hostPorts = Objects.requireNonNull(hostPorts, "hostPorts");
    this.leases = leases;
    this.liveness = liveness;
  }

  /** A planner that checks ports on this host and allocates in memory (no lease file). */
  public static NetworkPlanner create() {
    return new NetworkPlanner(HostPorts.system(), null, null);
  }

  /** A copy asking {@code hostPorts} about host ports. */
  public NetworkPlanner withHostPorts(HostPorts hostPorts) {
    return new NetworkPlanner(hostPorts, leases, liveness);
  }

  /**
   * A copy that takes bridge addresses from {@code store}, shared with other projects, reclaiming
   * stale leases with {@code liveness}.
   */
  public NetworkPlanner withLeases(LeaseStore store, LeaseLiveness liveness) {
    return new NetworkPlanner(
        hostPorts, Objects.requireNonNull(store), Objects.requireNonNull(liveness));
  }

  private record Choice(
      NetworkMode mode, String reason, Optional<String> network, boolean fakeroot) {}

  static Choice choose(NetworkRequest r, List<String> notes) {
    Optional<NetworkMode> asked = r.requestedMode();
    if (asked.equals(Optional.of(NetworkMode.NONE))) {
      return new Choice(
          NetworkMode.NONE, "network none requested: loopback only", Optional.of("none"), false);
    }
    if (asked.equals(Optional.of(NetworkMode.HOST))) {
      return new Choice(NetworkMode.HOST, "host networking requested", Optional.empty(), false);
    }
    String why = asked.isPresent() ? "bridge requested" : "no network mode requested";
    if (r.root()) {
      return new Choice(
          NetworkMode.BRIDGE,
          why + ", running as root: bridge network '" + r.bridgeNetwork() + "'",
          Optional.of(r.bridgeNetwork()),
          false);
    }
    if (r.fakerootAllowed()) {
      return new Choice(
          NetworkMode.BRIDGE,
          why
              + ", not root but fakeroot allowed: bridge network '"
              + r.fakerootNetwork()
              + "' with --fakeroot",
          Optional.of(r.fakerootNetwork()),
          true);
    }
    if (asked.isPresent()) {
      notes.add(
          "bridge networking needs root or --fakeroot; falling back to host networking:"
              + " instance names resolve to 127.0.0.1");
      return new Choice(
          NetworkMode.HOST,
          "bridge requested, but not root and no fakeroot: host networking",
          Optional.empty(),
          false);
    }
    return new Choice(
        NetworkMode.HOST, "not root and no fakeroot: host networking", Optional.empty(), false);
  }

  /**
   * Plans the network of a project. See the class comment for the rules.
   *
   * @throws PortConflictException when published ports clash (nothing leased)
   * @throws AddressExhaustedException when the bridge subnet is full (nothing leased)
   * @throws LeaseFileException when the lease file is bad or cannot be written
   * @throws IllegalArgumentException when an instance name repeats
   */
  public NetworkPlan plan(NetworkRequest r) {
    Set<String> names = new HashSet<>();
    List<String> order = new ArrayList<>();
    for (InstanceRequest i : r.instances()) {
      if (!names.add(i.instance())) {
        throw new IllegalArgumentException(
            "instance name '" + i.instance() + "' appears twice in project " + r.project());
      }
      order.add(i.instance());
    }
    List<String> notes = new ArrayList<>();
    Choice choice = choose(r, notes);
    Map<String, List<PublishedPort>> ports = planPorts(r, choice.mode(), notes);

    Map<String, IpAddress> addresses = Map.of();
    boolean allocate = choice.mode() == NetworkMode.BRIDGE && r.allocateAddresses();
    if (allocate) {
      AddressAllocator allocator =
          ImmutableAddressAllocator.builder()
              .cidr(r.cidr())
              .gateway(r.gateway().orElse(r.cidr().firstHost()))
              .preferred(r.preferredAddresses())
              .build();
      addresses =
          leases == null
              ? allocator.allocate(order, r.takenAddresses())
              : leases.lease(r.project(), allocator, order, ports, r.takenAddresses(), liveness);
    }

    ImmutableNetworkPlan.Builder plan =
        ImmutableNetworkPlan.builder()
            .project(r.project())
            .mode(choice.mode())
            .reason(choice.reason());
    List<FileBind> binds = new ArrayList<>();
    if (choice.mode() != NetworkMode.NONE) {
      List<InstanceAddress> lines = new ArrayList<>();
      if (choice.mode() == NetworkMode.HOST || allocate) {
        for (InstanceRequest i : r.instances()) {
          lines.add(
              ImmutableInstanceAddress.builder()
                  .service(i.service())
                  .instance(i.instance())
                  .replica(i.replica())
                  .address(
                      choice.mode() == NetworkMode.HOST ? LOOPBACK : addresses.get(i.instance()))
                  .build());
        }
      } else {
        notes.add(
            "addresses are chosen by CNI (allocate_ip off): instance names are not in "
                + HOSTS_FILE);
      }
      HostsFile hosts = HostsFile.forProject(lines, r.extraHosts());
      plan.hostsFile(hosts);
      plan.addFile(
          ImmutablePlannedFile.builder().fileName(HOSTS_FILE).content(hosts.render()).build());
      binds.add(FileBind.of(HOSTS_FILE, "/etc/hosts"));
    }
    if (choice.mode() == NetworkMode.BRIDGE) {
      ResolvConf resolv =
          r.resolvConf()
              .orElseGet(() -> ResolvConf.readHost(r.hostResolvConf(), r.upstreamResolvConf()));
      if (resolv.nameservers().isEmpty()) {
        notes.add(
            "no name server found (read "
                + r.hostResolvConf()
                + "): names outside the project will not resolve in bridged instances");
      }
      plan.cidr(r.cidr()).resolvConf(resolv);
      plan.addFile(
          ImmutablePlannedFile.builder().fileName(RESOLV_FILE).content(resolv.render()).build());
      binds.add(FileBind.of(RESOLV_FILE, "/etc/resolv.conf"));
    }

    for (InstanceRequest i : r.instances()) {
      ImmutableInstanceNetwork.Builder b =
          ImmutableInstanceNetwork.builder()
              .instance(i.instance())
              .service(i.service())
              .mode(choice.mode())
              .net(choice.mode() != NetworkMode.HOST)
              .network(choice.network())
              .fakeroot(choice.fakeroot())
              .binds(binds)
              .ports(ports.getOrDefault(i.instance(), List.of()));
      if (choice.mode() != NetworkMode.HOST) {
        b.hostname(i.instance());
      }
      IpAddress address = addresses.get(i.instance());
      if (address != null) {
        b.address(address).addNetworkArg("IP=" + address);
      }
      if (choice.mode() == NetworkMode.BRIDGE) {
        for (PublishedPort p : ports.getOrDefault(i.instance(), List.of())) {
          b.addNetworkArg(p.portmapArg());
        }
      }
      plan.addInstance(b.build());
    }
    return plan.notes(notes).build();
  }

  private record PortKey(Protocol protocol, int port) {}

  private Map<String, List<PublishedPort>> planPorts(
      NetworkRequest r, NetworkMode mode, List<String> notes) {
    Map<String, List<PublishedPort>> out = new HashMap<>();
    if (mode == NetworkMode.NONE) {
      for (InstanceRequest i : r.instances()) {
        if (!i.ports().isEmpty()) {
          notes.add(i.instance() + ": ports are not published with network none");
        }
      }
      return out;
    }
    Map<PortKey, String> owners = new HashMap<>();
    Set<Integer> usedTcp = new HashSet<>();
    Set<Integer> usedUdp = new HashSet<>();
    List<String> conflicts = new ArrayList<>();
    // explicit ports first, so that ephemeral picks avoid them
    for (InstanceRequest i : r.instances()) {
      for (PortPublication p : i.ports()) {
        p.hostIp()
            .ifPresent(
                ip ->
                    notes.add(
                        i.instance()
                            + ": host IP "
                            + ip
                            + " of "
                            + p
                            + " is not supported by SingularityCE's portmap argument;"
                            + " the port is published on all addresses"));
        if (mode == NetworkMode.HOST
            && p.hostPorts().isPresent()
            && !p.hostPorts().get().equals(p.containerPorts())) {
          notes.add(
              i.instance()
                  + ": "
                  + p
                  + " is published as "
                  + p.containerPorts()
                  + "/"
                  + p.protocol().text()
                  + ": host networking cannot remap ports");
        }
        Optional<PortRange> fixed =
            mode == NetworkMode.HOST ? Optional.of(p.containerPorts()) : p.hostPorts();
        if (fixed.isEmpty()) {
          continue;
        }
        for (int k = 0; k < p.containerPorts().size(); k++) {
          int host = fixed.get().first() + k;
          int container = p.containerPorts().first() + k;
          String what =
              mode == NetworkMode.HOST
                  ? "port " + host + "/" + p.protocol().text()
                  : "host port " + host + "/" + p.protocol().text();
          String previous = owners.putIfAbsent(new PortKey(p.protocol(), host), i.instance());
          if (previous != null) {
            conflicts.add(
                what
                    + (previous.equals(i.instance())
                        ? " is published twice by " + previous
                        : " is published by both " + previous + " and " + i.instance())
                    + (mode == NetworkMode.HOST
                        ? " (host networking: instances share ports)"
                        : ""));
          } else if (r.checkHostPorts()
              && !hostPorts.isFree(p.protocol(), Optional.empty(), host)) {
            conflicts.add(what + " of " + i.instance() + " is already in use on this host");
          }
          (p.protocol() == Protocol.TCP ? usedTcp : usedUdp).add(host);
          out.computeIfAbsent(i.instance(), x -> new ArrayList<>())
              .add(published(host, container, p.protocol()));
        }
      }
    }
    if (!conflicts.isEmpty()) {
      throw new PortConflictException(r.project(), conflicts);
    }
    if (mode == NetworkMode.BRIDGE) {
      for (InstanceRequest i : r.instances()) {
        for (PortPublication p : i.ports()) {
          if (p.hostPorts().isPresent()) {
            continue;
          }
          Set<Integer> used = p.protocol() == Protocol.TCP ? usedTcp : usedUdp;
          for (int k = 0; k < p.containerPorts().size(); k++) {
            int host = hostPorts.findFree(p.protocol(), Optional.empty(), Set.copyOf(used));
            used.add(host);
            out.computeIfAbsent(i.instance(), x -> new ArrayList<>())
                .add(published(host, p.containerPorts().first() + k, p.protocol()));
          }
        }
      }
    }
    // keep each instance's ports in declaration order
    Map<String, List<PublishedPort>> ordered = new HashMap<>();
    for (InstanceRequest i : r.instances()) {
      List<PublishedPort> got = out.getOrDefault(i.instance(), List.of());
      List<PublishedPort> sorted = new ArrayList<>();
      for (PortPublication p : i.ports()) {
        for (int k = 0; k < p.containerPorts().size(); k++) {
          int container = p.containerPorts().first() + k;
          for (PublishedPort g : got) {
            if (g.containerPort() == container
                && g.protocol() == p.protocol()
                && !sorted.contains(g)) {
              sorted.add(g);
              break;
            }
          }
        }
      }
      ordered.put(i.instance(), List.copyOf(sorted));
    }
    return ordered;
  }

  private static PublishedPort published(int host, int container, Protocol protocol) {
    return ImmutablePublishedPort.builder()
        .hostPort(host)
        .containerPort(container)
        .protocol(protocol)
        .build();
  }
}
