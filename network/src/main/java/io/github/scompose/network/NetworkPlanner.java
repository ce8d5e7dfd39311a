package io.github.scompose.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

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
 *       gets {@code 10.22.0.2}. A container port published without a host port ({@code "80"}) gets
 *       an ephemeral host port that {@link HostPorts#findFree} finds free; with a lease store it is
 *       chosen while the lease file is locked, outside every host port another project's lease
 *       records (so two projects planning at once never share one), and an instance keeps the one
 *       its lease already had on a second {@code up} (see {@link LeaseStore#lease(String,
 *       AddressAllocator, List, Map, Map, HostPorts, java.util.Collection, LeaseLiveness)}).
 *   <li>host: no {@code --net}; every instance name (and first-replica service alias) maps to
 *       {@code 127.0.0.1} in {@value #HOSTS_FILE}; published ports are the container ports, which
 *       must be distinct across instances. The instance listens on them itself, so a host port that
 *       differs from its container port, and (when not root) a container port below the privileged
 *       threshold ({@link #withUnprivilegedPortStart}), are errors, never dropped. An instance with
 *       {@link InstanceRequest#hostNetwork()} follows these rules in any mode.
 *   <li>none: {@code --net --network none}, {@code --hostname}; no files; a published port is an
 *       error.
 * </ul>
 *
 * <p><b>Errors</b>, all before anything is leased or started: {@link NetworkModeException} (every
 * port the mode cannot honour, each naming service, mapping and why the mode is what it is; checked
 * first, so a privileged port is reported as privileged, not as in use), {@link
 * PortConflictException} (every conflict listed; with a lease store also host ports another project
 * forwards through portmap, which a try-bind cannot see), {@link AddressExhaustedException}, {@link
 * LeaseFileException}, {@link IllegalArgumentException} for a repeated instance name.
 */
public final class NetworkPlanner {

  /** File name of the planned hosts file (the name singularity-compose 0.1.19 uses). */
  public static final String HOSTS_FILE = "etc.hosts";

  /** File name of the planned resolver configuration. */
  public static final String RESOLV_FILE = "resolv.conf";

  private static final IpAddress LOOPBACK = IpAddress.parse("127.0.0.1");

  /**
   * Linux's first port an unprivileged process may bind ({@code
   * net.ipv4.ip_unprivileged_port_start}, kernel 4.11+); read by {@link #create()}'s planner when
   * it needs it.
   */
  public static final Path UNPRIVILEGED_PORT_START_FILE =
      Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");

  /** The classic threshold, used when {@link #UNPRIVILEGED_PORT_START_FILE} cannot be read. */
  public static final int DEFAULT_UNPRIVILEGED_PORT_START = 1024;

  private final HostPorts hostPorts;
  private final LeaseStore leases;
  private final LeaseLiveness liveness;
  private final IntSupplier unprivilegedPortStart;

  private NetworkPlanner(
      HostPorts hostPorts,
      LeaseStore leases,
      LeaseLiveness liveness,
      IntSupplier unprivilegedPortStart) {
    this.hostPorts = Objects.requireNonNull(hostPorts, "hostPorts");
    this.leases = leases;
    this.liveness = liveness;
    this.unprivilegedPortStart = unprivilegedPortStart;
  }

  /**
   * A planner that checks ports on this host, allocates in memory (no lease file) and takes the
   * privileged-port threshold from {@link #UNPRIVILEGED_PORT_START_FILE} (default {@value
   * #DEFAULT_UNPRIVILEGED_PORT_START} when unreadable).
   */
  public static NetworkPlanner create() {
    return new NetworkPlanner(
        HostPorts.system(),
        null,
        null,
        () -> readUnprivilegedPortStart(UNPRIVILEGED_PORT_START_FILE));
  }

  /** A copy asking {@code hostPorts} about host ports. */
  public NetworkPlanner withHostPorts(HostPorts hostPorts) {
    return new NetworkPlanner(hostPorts, leases, liveness, unprivilegedPortStart);
  }

  /**
   * A copy that takes {@code port} as the first port a process not run by root may listen on
   * (instead of reading {@link #UNPRIVILEGED_PORT_START_FILE}); in host networking a container port
   * below it is an error unless the instances are started by root.
   *
   * @throws IllegalArgumentException when {@code port} is not within 0..65536
   */
  public NetworkPlanner withUnprivilegedPortStart(int port) {
    if (port < 0 || port > 65536) {
      throw new IllegalArgumentException("unprivileged port start " + port + " is not 0..65536");
    }
    return new NetworkPlanner(hostPorts, leases, liveness, () -> port);
  }

  /**
   * The number in {@code file} (the format of {@link #UNPRIVILEGED_PORT_START_FILE}: one decimal
   * number and a newline), or {@value #DEFAULT_UNPRIVILEGED_PORT_START} when the file is absent,
   * unreadable or holds no number in 0..65536 (kernels before 4.11, other systems).
   */
  public static int readUnprivilegedPortStart(Path file) {
    // one read of a whole buffer: a sysctl file answers a read at a non-zero offset with end of
    // file, so a reader that starts with one byte (Files.readString of a file whose size is 0)
    // sees "1" of "1024"
    try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
      String line = in.readLine();
      int port = Integer.parseInt(line == null ? "" : line.trim());
      return port >= 0 && port <= 65536 ? port : DEFAULT_UNPRIVILEGED_PORT_START;
    } catch (IOException | NumberFormatException | SecurityException e) {
      return DEFAULT_UNPRIVILEGED_PORT_START;
    }
  }

  /**
   * A copy that takes bridge addresses from {@code store}, shared with other projects, reclaiming
   * stale leases with {@code liveness}.
   */
  public NetworkPlanner withLeases(LeaseStore store, LeaseLiveness liveness) {
    return new NetworkPlanner(
        hostPorts,
        Objects.requireNonNull(store),
        Objects.requireNonNull(liveness),
        unprivilegedPortStart);
  }

  /**
   * @param hostWhy in host or none mode, why, as it appears in errors: {@code "host networking (not
   *     root, no fakeroot)"}
   * @param remedy what would give the instances a bridge, e.g. {@code "run as root for a bridge
   *     with portmap"}
   */
  private record Choice(
      NetworkMode mode,
      String reason,
      Optional<String> network,
      boolean fakeroot,
      String hostWhy,
      String remedy) {}

  private static final String ROOT_REMEDY = "run as root for a bridge with portmap";

  static Choice choose(NetworkRequest r, List<String> notes) {
    Optional<NetworkMode> asked = r.requestedMode();
    String because = r.requestReason().orElse("requested");
    String askedRemedy = "use a bridge network (as root, or with fakeroot) for portmap";
    if (asked.equals(Optional.of(NetworkMode.NONE))) {
      return new Choice(
          NetworkMode.NONE,
          r.requestReason()
              .map(x -> "network none (" + x + "): loopback only")
              .orElse("network none requested: loopback only"),
          Optional.of("none"),
          false,
          "network none (" + because + ") has loopback only and",
          askedRemedy);
    }
    if (asked.equals(Optional.of(NetworkMode.HOST))) {
      return new Choice(
          NetworkMode.HOST,
          r.requestReason().map(x -> "host networking: " + x).orElse("host networking requested"),
          Optional.empty(),
          false,
          "host networking (" + because + ")",
          askedRemedy);
    }
    String why = asked.isPresent() ? "bridge requested" : "no network mode requested";
    if (r.root()) {
      return new Choice(
          NetworkMode.BRIDGE,
          why + ", running as root: bridge network '" + r.bridgeNetwork() + "'",
          Optional.of(r.bridgeNetwork()),
          false,
          "",
          "");
    }
    if (r.fakerootAllowed()) {
      return new Choice(
          NetworkMode.BRIDGE,
          why
              + ", not root but fakeroot allowed: bridge network '"
              + r.fakerootNetwork()
              + "' with --fakeroot",
          Optional.of(r.fakerootNetwork()),
          true,
          "",
          "");
    }
    if (asked.isPresent()) {
      notes.add(
          "bridge networking needs root or --fakeroot; falling back to host networking:"
              + " instance names resolve to 127.0.0.1");
      return new Choice(
          NetworkMode.HOST,
          "bridge requested, but not root and no fakeroot: host networking",
          Optional.empty(),
          false,
          "host networking (bridge requested, but not root and no fakeroot)",
          ROOT_REMEDY);
    }
    return new Choice(
        NetworkMode.HOST,
        "not root and no fakeroot: host networking",
        Optional.empty(),
        false,
        "host networking (not root, no fakeroot)",
        ROOT_REMEDY);
  }

  /**
   * Plans the network of a project. See the class comment for the rules.
   *
   * @throws NetworkModeException when the chosen mode cannot honour a published port (nothing
   *     leased)
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
    boolean allocate = choice.mode() == NetworkMode.BRIDGE && r.allocateAddresses();
    // with a lease store, ephemeral host ports are chosen while its file is locked
    Map<String, List<PortPublication>> ephemeral = new HashMap<>();
    Map<String, List<PublishedPort>> ports =
        planPorts(r, choice, notes, allocate && leases != null ? ephemeral : null);

    Map<String, IpAddress> addresses = Map.of();
    Cidr subnet = choice.fakeroot() ? r.fakerootCidr() : r.cidr();
    // instances of the project that stay as they are (a partial up): their addresses are in use
    List<InstanceAddress> kept =
        r.keptInstances().stream().filter(k -> !names.contains(k.instance())).toList();
    List<IpAddress> taken = new ArrayList<>(r.takenAddresses());
    kept.forEach(k -> taken.add(k.address()));
    if (allocate) {
      AddressAllocator allocator =
          AddressAllocator.builder()
              .cidr(subnet)
              .gateway(r.gateway().orElse(subnet.firstHost()))
              .preferred(r.preferredAddresses())
              .build();
      if (leases == null) {
        addresses = allocator.allocate(order, taken);
      } else {
        LeaseStore.Leased leased =
            leases.lease(
                r.project(), allocator, order, ports, ephemeral, hostPorts, taken, liveness);
        addresses = leased.addresses();
        ports = ordered(r, leased.ports());
      }
    }

    NetworkPlan.Builder plan =
        NetworkPlan.builder().project(r.project()).mode(choice.mode()).reason(choice.reason());
    List<FileBind> binds = new ArrayList<>();
    if (choice.mode() != NetworkMode.NONE) {
      List<InstanceAddress> lines = new ArrayList<>();
      if (choice.mode() == NetworkMode.HOST || allocate) {
        for (InstanceRequest i : r.instances()) {
          lines.add(
              InstanceAddress.builder()
                  .service(i.service())
                  .instance(i.instance())
                  .replica(i.replica())
                  .address(
                      choice.mode() == NetworkMode.HOST ? LOOPBACK : addresses.get(i.instance()))
                  .build());
        }
        for (InstanceAddress k : kept) {
          if (choice.mode() == NetworkMode.HOST) {
            lines.add(k.withAddress(LOOPBACK));
          } else if (subnet.contains(k.address())) {
            lines.add(k);
          }
        }
      } else {
        notes.add(
            "addresses are chosen by CNI (allocate_ip off): instance names are not in "
                + HOSTS_FILE);
      }
      HostsFile hosts = HostsFile.forProject(lines, r.extraHosts());
      plan.hostsFile(hosts);
      plan.addFile(PlannedFile.builder().fileName(HOSTS_FILE).content(hosts.render()).build());
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
      plan.cidr(subnet).resolvConf(resolv);
      plan.addFile(PlannedFile.builder().fileName(RESOLV_FILE).content(resolv.render()).build());
      binds.add(FileBind.of(RESOLV_FILE, "/etc/resolv.conf"));
    }

    for (InstanceRequest i : r.instances()) {
      InstanceNetwork.Builder b =
          InstanceNetwork.builder()
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

  /**
   * What the ports of {@code i} cannot have in {@code choice}'s mode: in none mode any port; in
   * host networking (the project's, or the instance's own with {@link
   * InstanceRequest#hostNetwork()}) a host port that differs from the container port, and a
   * privileged container port when the instance is not started by root.
   */
  private void checkMode(
      NetworkRequest r, Choice choice, InstanceRequest i, Set<String> problems, int[] threshold) {
    NetworkMode mode = i.hostNetwork() ? NetworkMode.HOST : choice.mode();
    String hostWhy =
        i.hostNetwork()
            ? "the instance stays in the host's network (network.enable: false), which"
            : choice.hostWhy();
    String remedy =
        i.hostNetwork()
            ? "enable the service's network for a bridge with portmap"
            : choice.remedy();
    for (PortPublication p : i.ports()) {
      String written = "service " + i.service() + ": ports \"" + shortText(p) + "\"";
      if (mode == NetworkMode.NONE) {
        problems.add(
            written
                + " cannot be published: "
                + hostWhy
                + " publishes nothing; remove the mapping, or "
                + remedy);
        continue;
      }
      if (mode != NetworkMode.HOST) {
        continue;
      }
      PortRange c = p.containerPorts();
      boolean remapped = p.hostPorts().isPresent() && !p.hostPorts().get().equals(c);
      boolean privileged = false;
      if (!r.root()) {
        if (threshold[0] < 0) {
          threshold[0] = unprivilegedPortStart.getAsInt();
        }
        privileged = c.first() < threshold[0];
      }
      if (!remapped && !privileged) {
        continue;
      }
      String because =
          written
              + " cannot be published: "
              + hostWhy
              + " shares the host's ports, so the instance listens on "
              + c
              + " itself";
      if (privileged) {
        problems.add(
            because
                + ", and "
                + (c.size() == 1 ? c + " is a privileged port" : c + " has privileged ports")
                + " (below "
                + threshold[0]
                + ", net.ipv4.ip_unprivileged_port_start) that an instance not run by root cannot"
                + " listen on; make the service listen on a port of "
                + threshold[0]
                + " or above, or "
                + remedy);
      } else {
        problems.add(
            because + "; publish \"" + c + ":" + c + shortProtocol(p) + "\", or " + remedy);
      }
    }
  }

  private static String shortProtocol(PortPublication p) {
    return p.protocol() == Protocol.TCP ? "" : "/" + p.protocol().text();
  }

  /** The compose short syntax as a user writes it: {@code 18090:80}, {@code 53:53/udp}. */
  private static String shortText(PortPublication p) {
    String t = p.toString();
    return t.endsWith("/tcp") ? t.substring(0, t.length() - 4) : t;
  }

  /**
   * The published ports of each instance. With {@code deferred}, the publications without a host
   * port (bridge mode) are put there instead of being given a host port, for the lease store.
   */
  private Map<String, List<PublishedPort>> planPorts(
      NetworkRequest r,
      Choice choice,
      List<String> notes,
      Map<String, List<PortPublication>> deferred) {
    Map<String, List<PublishedPort>> out = new HashMap<>();
    Set<String> problems = new LinkedHashSet<>();
    int[] threshold = {-1};
    for (InstanceRequest i : r.instances()) {
      checkMode(r, choice, i, problems, threshold);
    }
    if (!problems.isEmpty()) {
      throw new NetworkModeException(r.project(), List.copyOf(problems));
    }
    NetworkMode projectMode = choice.mode();
    if (projectMode == NetworkMode.NONE) {
      return out;
    }
    Map<PortKey, String> owners = new HashMap<>();
    Set<Integer> usedTcp = new HashSet<>();
    Set<Integer> usedUdp = new HashSet<>();
    List<String> conflicts = new ArrayList<>();
    // explicit ports first, so that ephemeral picks avoid them
    for (InstanceRequest i : r.instances()) {
      NetworkMode mode = i.hostNetwork() ? NetworkMode.HOST : projectMode;
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
    if (projectMode == NetworkMode.BRIDGE) {
      for (InstanceRequest i : r.instances()) {
        for (PortPublication p : i.ports()) {
          if (p.hostPorts().isPresent() || i.hostNetwork()) {
            continue;
          }
          if (deferred != null) {
            deferred.computeIfAbsent(i.instance(), x -> new ArrayList<>()).add(p);
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
    return ordered(r, out);
  }

  /** Each instance's ports in declaration order. */
  private static Map<String, List<PublishedPort>> ordered(
      NetworkRequest r, Map<String, List<PublishedPort>> out) {
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
    return PublishedPort.builder()
        .hostPort(host)
        .containerPort(container)
        .protocol(protocol)
        .build();
  }
}
