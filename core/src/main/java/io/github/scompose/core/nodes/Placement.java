package io.github.scompose.core.nodes;

import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.network.HostsEntry;
import io.github.scompose.network.HostsFile;
import io.github.scompose.network.InstanceAddress;
import io.github.scompose.network.IpAddress;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.NetworkSpec;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.style.ValueStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Where every instance of a project runs: a pure function of the project and the nodes ({@link
 * #of}), nothing is asked of any node.
 *
 * <p><b>Rule.</b> Services are taken in the project's order (dependencies first), each replica
 * ({@code deploy.replicas}, default 1) in turn. A replica goes to the node, among those satisfying
 * all of the service's {@code deploy.placement.constraints} ({@link PlacementConstraint}), that
 * runs the fewest replicas of this service so far, then the fewest instances in all, then the first
 * in the node list. So replicas spread over the nodes, and without constraints the nodes' instance
 * counts differ by at most one. Replica numbers and names are project-wide ({@code shop-web-1} on
 * {@code n1}, {@code shop-web-2} on {@code n2}).
 *
 * <p><b>Hosts.</b> Host networking on every node: a node's hosts file ({@link #hostsFile}) maps its
 * own instances (and the services with a replica on it) to {@code 127.0.0.1}, every other instance
 * to the address of its node, and a service without a replica on the node to the node of its
 * lowest-numbered replica.
 */
@Value.Immutable
@ValueStyle
public abstract class Placement implements WithPlacement {

  private static final IpAddress LOOPBACK = IpAddress.parse("127.0.0.1");

  /** The nodes, in the order given. */
  public abstract List<Node> nodes();

  /** Every instance, in the project's order of services, then replica. */
  public abstract List<PlacedInstance> instances();

  /**
   * Places every replica of every service of {@code project} (see the class comment).
   *
   * @throws PlacementException when there is no node, a node name repeats, a constraint cannot be
   *     read, or no node satisfies a service's constraints (naming the service, its constraints and
   *     the nodes)
   */
  public static Placement of(ComposeProject project, List<Node> nodes, InstanceNaming naming) {
    if (nodes.isEmpty()) {
      throw new PlacementException("no node to place the services of " + project.name() + " on");
    }
    Map<String, Integer> total = new LinkedHashMap<>();
    for (Node n : nodes) {
      if (total.put(n.name(), 0) != null) {
        throw new PlacementException("node " + n.name() + " is named twice");
      }
    }
    Placement.Builder out = Placement.builder().nodes(nodes);
    for (ServiceSpec s : project.services()) {
      List<PlacementConstraint> constraints = new ArrayList<>();
      for (String c : s.placementConstraints()) {
        try {
          constraints.add(PlacementConstraint.parse(c));
        } catch (IllegalArgumentException e) {
          throw new PlacementException("service " + s.name() + ": " + e.getMessage());
        }
      }
      List<Node> eligible =
          nodes.stream().filter(n -> constraints.stream().allMatch(c -> c.test(n))).toList();
      if (eligible.isEmpty() && s.replicas() > 0) {
        throw new PlacementException(
            "service "
                + s.name()
                + ": no node satisfies "
                + String.join(" and ", s.placementConstraints())
                + " (nodes: "
                + String.join(", ", nodes.stream().map(Placement::describe).toList())
                + ")");
      }
      Map<String, Integer> mine = new LinkedHashMap<>();
      for (int r = 1; r <= s.replicas(); r++) {
        Node best = null;
        for (Node n : eligible) {
          if (best == null
              || mine.getOrDefault(n.name(), 0) < mine.getOrDefault(best.name(), 0)
              || (mine.getOrDefault(n.name(), 0).equals(mine.getOrDefault(best.name(), 0))
                  && total.get(n.name()) < total.get(best.name()))) {
            best = n;
          }
        }
        mine.merge(best.name(), 1, Integer::sum);
        total.merge(best.name(), 1, Integer::sum);
        out.addInstances(
            PlacedInstance.builder()
                .service(s.name())
                .replica(r)
                .name(naming.name(project.name(), s.name(), r))
                .node(best.name())
                .build());
      }
    }
    return out.build();
  }

  private static String describe(Node n) {
    if (n.labels().isEmpty()) {
      return n.name();
    }
    List<String> l = new ArrayList<>();
    n.labels().forEach((k, v) -> l.add(k + "=" + v));
    return n.name() + " [" + String.join(" ", l) + "]";
  }

  /** The node named {@code name}. */
  public Optional<Node> node(String name) {
    return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** The instances on node {@code node}, in placement order. */
  public List<PlacedInstance> on(String node) {
    return instances().stream().filter(i -> i.node().equals(node)).toList();
  }

  /** The nodes that run at least one instance, in node order. */
  public List<Node> usedNodes() {
    return nodes().stream().filter(n -> !on(n.name()).isEmpty()).toList();
  }

  /**
   * The table {@code up --dry-run} prints: a header {@code NODE INSTANCE SERVICE}, then one line
   * per instance in placement order, columns padded with spaces.
   */
  public String render() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NODE", "INSTANCE", "SERVICE"});
    for (PlacedInstance i : instances()) {
      rows.add(new String[] {i.node(), i.name(), i.service()});
    }
    int[] w = new int[3];
    for (String[] r : rows) {
      for (int c = 0; c < 3; c++) {
        w[c] = Math.max(w[c], r[c].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      b.append(r[0])
          .append(" ".repeat(w[0] - r[0].length() + 2))
          .append(r[1])
          .append(" ".repeat(w[1] - r[1].length() + 2))
          .append(r[2])
          .append('\n');
    }
    return b.toString();
  }

  /**
   * The names node {@code node}'s hosts file maps (see the class comment): each instance, then each
   * service, to {@code 127.0.0.1} or its node's address.
   *
   * @throws IllegalStateException when a node whose address is needed has none (resolve first)
   */
  public List<HostsEntry> hostsEntries(String node) {
    List<HostsEntry> out = new ArrayList<>();
    for (PlacedInstance i : instances()) {
      out.add(HostsEntry.of(addressOf(i.node(), node), i.name()));
    }
    Map<String, String> serviceNode = new LinkedHashMap<>();
    for (PlacedInstance i : instances()) {
      serviceNode.putIfAbsent(i.service(), i.node());
      if (i.node().equals(node)) {
        serviceNode.put(i.service(), node);
      }
    }
    serviceNode.forEach((s, n) -> out.add(HostsEntry.of(addressOf(n, node), s)));
    return out;
  }

  /** The hosts file the engine writes on node {@code node} (bound at {@code /etc/hosts}). */
  public HostsFile hostsFile(String node) {
    List<InstanceAddress> local = new ArrayList<>();
    for (PlacedInstance i : on(node)) {
      local.add(
          io.github.scompose.network.InstanceAddress.builder()
              .service(i.service())
              .instance(i.name())
              .replica(i.replica())
              .address(LOOPBACK)
              .build());
    }
    return HostsFile.forProject(local, hostsEntries(node));
  }

  private IpAddress addressOf(String of, String from) {
    if (of.equals(from)) {
      return LOOPBACK;
    }
    Node n = node(of).orElseThrow();
    return IpAddress.parse(
        n.address()
            .orElseThrow(
                () -> new IllegalStateException("node " + of + " has no address; resolve it")));
  }

  /** The replica numbers of each service on node {@code node} (services without any left out). */
  public Map<String, List<Integer>> replicaNumbers(String node) {
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (PlacedInstance i : on(node)) {
      out.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i.replica());
    }
    return out;
  }

  /**
   * The project node {@code node}'s engine runs: only the services with a replica on it, each with
   * that many replicas, {@code depends_on} limited to services on the same node (the order across
   * nodes is kept by starting dependency levels one after the other), host networking for networked
   * services, and {@link #hostsEntries} added to {@code extra_hosts} (after the service's own).
   */
  public ComposeProject projectOn(ComposeProject project, String node) {
    Map<String, List<Integer>> numbers = replicaNumbers(node);
    List<HostsEntry> hosts = hostsEntries(node);
    List<ServiceSpec> services = new ArrayList<>();
    for (ServiceSpec s : project.services()) {
      List<Integer> mine = numbers.get(s.name());
      if (mine == null) {
        continue;
      }
      List<DependsOn> deps =
          s.dependsOn().stream().filter(d -> numbers.containsKey(d.service())).toList();
      ServiceSpec.Builder b = ServiceSpec.builder().from(s).replicas(mine.size()).dependsOn(deps);
      Map<String, List<String>> extra = new LinkedHashMap<>(s.extraHosts());
      for (HostsEntry h : hosts) {
        for (String name : h.hostnames()) {
          extra.putIfAbsent(name, List.of(h.address().toString()));
        }
      }
      b.extraHosts(extra);
      NetworkSpec net = s.network().orElse(NetworkSpec.defaults());
      if (net.enable()) {
        b.network(NetworkSpec.builder().from(net).type("host").build());
      }
      services.add(b.build());
    }
    return ComposeProject.builder().from(project).services(services).build();
  }

  /**
   * A new, empty builder of {@link Placement}.
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
   * Builds a {@link Placement}; get one from {@link Placement#builder()} or {@link
   * Placement#toBuilder()}.
   */
  public static final class Builder extends ImmutablePlacement.Builder {
    Builder() {}
  }
}
