package io.github.scompose.core.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Placement is pure: every instance placed once, constraints honoured, spread balanced. */
class PlacementProperties {

  record Case(List<Node> nodes, ComposeProject project) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> nodeCount = Arbitraries.integers().between(1, 5);
    return nodeCount.flatMap(
        count -> {
          List<Node> nodes = new ArrayList<>();
          for (int i = 1; i <= count; i++) {
            nodes.add(
                Node.builder()
                    .name("n" + i)
                    .address("10.0.0." + i)
                    .putLabel("rack", i % 2 == 0 ? "even" : "odd")
                    .build());
          }
          Arbitrary<ServiceSpec> service =
              Combinators.combine(
                      Arbitraries.integers().between(0, 6),
                      Arbitraries.of(
                          "",
                          "node.hostname == n1",
                          "node.hostname != n1",
                          "node.labels.rack == odd",
                          "node.labels.rack != odd"))
                  .as(
                      (replicas, constraint) -> {
                        ServiceSpec.Builder b =
                            ServiceSpec.builder()
                                .name("s")
                                .image("docker://busybox")
                                .replicas(replicas);
                        if (!constraint.isEmpty()) {
                          b.addPlacementConstraints(constraint);
                        }
                        return (ServiceSpec) b.build();
                      });
          return service
              .list()
              .ofMinSize(1)
              .ofMaxSize(6)
              .map(
                  list -> {
                    List<ServiceSpec> named = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                      named.add(list.get(i).withName("s" + i));
                    }
                    ComposeProject p =
                        ComposeProject.builder()
                            .name("p")
                            .directory(Path.of("/p"))
                            .format(SourceFormat.COMPOSE_SPEC)
                            .services(named)
                            .build();
                    return new Case(nodes, p);
                  });
        });
  }

  private static boolean placeable(Case c) {
    for (ServiceSpec s : c.project().services()) {
      if (s.replicas() > 0
          && c.nodes().stream()
              .noneMatch(
                  n ->
                      s.placementConstraints().stream()
                          .allMatch(k -> PlacementConstraint.parse(k).test(n)))) {
        return false;
      }
    }
    return true;
  }

  @Property(tries = 300)
  void everyInstancePlacedOnceOnAnEligibleNode(@ForAll("cases") Case c) {
    if (!placeable(c)) {
      assertThrows(
          PlacementException.class,
          () -> Placement.of(c.project(), c.nodes(), InstanceNaming.PROJECT));
      return;
    }
    Placement p = Placement.of(c.project(), c.nodes(), InstanceNaming.PROJECT);
    int expected = c.project().services().stream().mapToInt(ServiceSpec::replicas).sum();
    assertEquals(expected, p.instances().size());
    Set<String> names = new HashSet<>();
    for (PlacedInstance i : p.instances()) {
      assertTrue(names.add(i.name()), "unique name " + i.name());
      ServiceSpec s = c.project().service(i.service()).orElseThrow();
      assertTrue(i.replica() >= 1 && i.replica() <= s.replicas(), i.name());
      Node n = p.node(i.node()).orElseThrow();
      for (String k : s.placementConstraints()) {
        assertTrue(PlacementConstraint.parse(k).test(n), k + " on " + n.name());
      }
    }
    // the per-node projects together start exactly the placed instances
    int perNode = 0;
    for (Node n : p.nodes()) {
      perNode +=
          p.projectOn(c.project(), n.name()).services().stream()
              .mapToInt(ServiceSpec::replicas)
              .sum();
    }
    assertEquals(expected, perNode);
  }

  @Property(tries = 300)
  void withoutConstraintsTheSpreadIsBalanced(@ForAll("cases") Case c) {
    List<ServiceSpec> free =
        c.project().services().stream()
            .map(s -> (ServiceSpec) s.withPlacementConstraints())
            .toList();
    ComposeProject project = c.project().withServices(free);
    Placement p = Placement.of(project, c.nodes(), InstanceNaming.PROJECT);
    Map<String, Integer> total = new HashMap<>();
    c.nodes().forEach(n -> total.put(n.name(), 0));
    p.instances().forEach(i -> total.merge(i.node(), 1, Integer::sum));
    int max = total.values().stream().mapToInt(x -> x).max().orElseThrow();
    int min = total.values().stream().mapToInt(x -> x).min().orElseThrow();
    assertTrue(max - min <= 1, "instances per node " + total);
    for (ServiceSpec s : free) {
      Map<String, Integer> mine = new HashMap<>();
      c.nodes().forEach(n -> mine.put(n.name(), 0));
      p.instances().stream()
          .filter(i -> i.service().equals(s.name()))
          .forEach(i -> mine.merge(i.node(), 1, Integer::sum));
      int smax = mine.values().stream().mapToInt(x -> x).max().orElseThrow();
      int smin = mine.values().stream().mapToInt(x -> x).min().orElseThrow();
      assertTrue(smax - smin <= 1, "replicas of " + s.name() + " per node " + mine);
    }
  }

  @Property(tries = 200)
  void everyNodesHostsFileNamesEveryInstanceOnce(@ForAll("cases") Case c) {
    if (!placeable(c)) {
      return;
    }
    Placement p = Placement.of(c.project(), c.nodes(), InstanceNaming.PROJECT);
    for (Node n : c.nodes()) {
      var hosts = p.hostsFile(n.name());
      Map<String, String> seen = new HashMap<>();
      hosts.entries().forEach(e -> e.hostnames().forEach(h -> seen.put(h, e.address().toString())));
      for (PlacedInstance i : p.instances()) {
        String want =
            i.node().equals(n.name())
                ? "127.0.0.1"
                : p.node(i.node()).orElseThrow().address().orElseThrow();
        assertEquals(want, seen.get(i.name()), i.name() + " on " + n.name());
      }
    }
  }

  @Property
  void nodeEntriesReadBack(
      @ForAll("users") String user,
      @ForAll("hosts") String host,
      @ForAll("ports") int port,
      @ForAll("addresses") String address) {
    Node n = Node.parse(user + "@" + host + ":" + port + "=" + address);
    assertEquals(n, Node.parse(n.entry()));
    assertEquals(host, n.name());
  }

  @Provide
  Arbitrary<String> users() {
    return Arbitraries.strings().withChars("abcxyz0-_.").ofMinLength(1).ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.strings()
        .withChars("abcn012.-")
        .ofMinLength(0)
        .ofMaxLength(10)
        .map(s -> "h" + s);
  }

  @Provide
  Arbitrary<Integer> ports() {
    return Arbitraries.integers().between(1, 65535);
  }

  @Provide
  Arbitrary<String> addresses() {
    return Arbitraries.integers()
        .between(0, 255)
        .list()
        .ofSize(4)
        .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
  }
}
