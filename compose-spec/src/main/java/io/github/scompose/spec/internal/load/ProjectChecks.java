package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.PortMapping;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.spec.internal.yaml.Loc;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Project-level checks after binding: names, references ({@code depends_on}, {@code volumes_from}),
 * dependency cycles, host ports published twice; and the topological order.
 */
final class ProjectChecks {

  /**
   * Instance names SingularityCE accepts: recorded from SingularityCE 3.4.2 (08-inspect-errors:
   * names with other characters are refused); the Compose Specification uses the same pattern for
   * service names.
   */
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");

  private final Nodes nodes;
  private final String section;

  ProjectChecks(Nodes nodes, SourceFormat format) {
    this.nodes = nodes;
    this.section = format.isSingularityCompose() ? "instances" : "services";
  }

  List<ServiceSpec> check(
      List<ServiceSpec> services, Map<String, YMap> serviceNodes, Map<String, Loc> serviceLocs) {
    Map<String, ServiceSpec> byName = new LinkedHashMap<>();
    services.forEach(s -> byName.put(s.name(), s));
    for (Map.Entry<String, Loc> e : serviceLocs.entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        nodes
            .problems()
            .error(
                e.getValue(),
                section + "." + e.getKey(),
                "invalid name \""
                    + e.getKey()
                    + "\": use letters, digits, '.', '_' and '-', starting with a letter or digit");
      }
    }
    for (ServiceSpec s : services) {
      YMap node = serviceNodes.get(s.name());
      if (s.image().isEmpty()
          && s.build().isEmpty()
          && (node == null || node.get("build") == null)) {
        // a warning, not an error: an override file alone may leave the image to the base file;
        // docker compose refuses such a service at "up", singularity-compose has nothing to start
        nodes
            .problems()
            .warning(
                serviceLocs.get(s.name()),
                section + "." + s.name(),
                "\"" + s.name() + "\" has neither \"image\" nor \"build\"; it cannot be started");
      }
      for (DependsOn d : s.dependsOn()) {
        if (!serviceLocs.containsKey(d.service())) {
          if (d.required()) {
            nodes
                .problems()
                .error(
                    dependencyLoc(node, "depends_on", d.service(), serviceLocs.get(s.name())),
                    section + "." + s.name() + ".depends_on",
                    "\""
                        + s.name()
                        + "\" depends on \""
                        + d.service()
                        + "\", which is not defined; known: "
                        + String.join(", ", serviceLocs.keySet()));
          } else {
            nodes
                .problems()
                .warning(
                    dependencyLoc(node, "depends_on", d.service(), serviceLocs.get(s.name())),
                    section + "." + s.name() + ".depends_on",
                    "optional dependency \"" + d.service() + "\" is not defined; ignored");
          }
        }
      }
      for (String from : s.volumesFrom()) {
        if (!serviceLocs.containsKey(from)) {
          nodes
              .problems()
              .error(
                  dependencyLoc(node, "volumes_from", from, serviceLocs.get(s.name())),
                  section + "." + s.name() + ".volumes_from",
                  "\"" + s.name() + "\" takes volumes from \"" + from + "\", which is not defined");
        }
      }
    }
    checkPorts(services);
    return order(services, byName, serviceNodes, serviceLocs);
  }

  private static Loc dependencyLoc(YMap node, String key, String target, Loc fallback) {
    if (node == null) {
      return fallback;
    }
    YNode deps = node.get(key);
    if (deps instanceof YSeq seq) {
      for (YNode item : seq.items()) {
        if (item instanceof YScalar s && s.value().equals(target)) {
          return s.loc();
        }
      }
    } else if (deps instanceof YMap m && m.get(target) != null) {
      return m.keyLoc(target);
    }
    return deps != null ? deps.loc() : fallback;
  }

  private void checkPorts(List<ServiceSpec> services) {
    record Published(String service, String hostIp, Loc loc) {}
    Map<String, List<Published>> byPort = new HashMap<>();
    for (ServiceSpec s : services) {
      List<Loc> locs = nodes.portLocs(s.name());
      for (int i = 0; i < s.ports().size(); i++) {
        PortMapping p = s.ports().get(i);
        Loc loc = i < locs.size() ? locs.get(i) : Loc.ofFile("", null);
        if (p.hostPorts().isEmpty()) {
          continue;
        }
        PortMapping.PortRange host = p.hostPorts().get();
        if (host.size() > 1 && p.containerPorts().isSingle()) {
          continue; // any free port of the range
        }
        String ip = p.hostIp().orElse("");
        for (int port = host.start(); port <= host.end(); port++) {
          String key = port + "/" + p.protocol().value();
          List<Published> seen = byPort.computeIfAbsent(key, k -> new ArrayList<>());
          for (Published other : seen) {
            if (other.hostIp().isEmpty() || ip.isEmpty() || other.hostIp().equals(ip)) {
              String path = section + "." + s.name() + ".ports[" + i + "]";
              nodes
                  .problems()
                  .error(
                      loc,
                      path,
                      "host port "
                          + key
                          + (other.service().equals(s.name())
                              ? " is published twice by \"" + s.name() + "\""
                              : " is already published by \"" + other.service() + "\""));
              break;
            }
          }
          seen.add(new Published(s.name(), ip, loc));
        }
      }
    }
  }

  /**
   * Depth-first order: services in declaration order, each after its dependencies (in the order
   * written). Reports every cycle once, with its path. Iterative (an explicit stack), so a chain of
   * any length is walked without recursion, in time linear in services plus dependencies.
   */
  private List<ServiceSpec> order(
      List<ServiceSpec> services,
      Map<String, ServiceSpec> byName,
      Map<String, YMap> serviceNodes,
      Map<String, Loc> serviceLocs) {
    /** A service on the walk's path and the index of its next dependency to visit. */
    final class Frame {
      final ServiceSpec service;
      int next;

      Frame(ServiceSpec service) {
        this.service = service;
      }
    }
    List<ServiceSpec> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    List<Frame> path = new ArrayList<>();
    Map<String, Integer> onPath = new HashMap<>();
    Set<Set<String>> reported = new HashSet<>();
    for (ServiceSpec root : services) {
      if (done.contains(root.name())) {
        continue;
      }
      path.add(new Frame(root));
      onPath.put(root.name(), 0);
      while (!path.isEmpty()) {
        Frame top = path.get(path.size() - 1);
        List<DependsOn> deps = top.service.dependsOn();
        if (top.next == deps.size()) {
          path.remove(path.size() - 1);
          onPath.remove(top.service.name());
          if (done.add(top.service.name())) {
            out.add(top.service);
          }
          continue;
        }
        ServiceSpec dep = byName.get(deps.get(top.next++).service());
        if (dep == null || done.contains(dep.name())) {
          continue;
        }
        Integer at = onPath.get(dep.name());
        if (at != null) {
          List<String> cycle = new ArrayList<>();
          for (Frame f : path.subList(at, path.size())) {
            cycle.add(f.service.name());
          }
          if (reported.add(new HashSet<>(cycle))) {
            cycle.add(dep.name());
            String s = top.service.name();
            nodes
                .problems()
                .error(
                    dependencyLoc(
                        serviceNodes.get(s), "depends_on", dep.name(), serviceLocs.get(s)),
                    section + "." + s + ".depends_on",
                    "dependency cycle: " + cycleText(cycle));
          }
          continue;
        }
        onPath.put(dep.name(), path.size());
        path.add(new Frame(dep));
      }
    }
    return out;
  }

  /** {@code a -> b -> a}; a long cycle shows its first and last 5 members and how many between. */
  static String cycleText(List<String> cycle) {
    if (cycle.size() <= 12) {
      return String.join(" -> ", cycle);
    }
    return String.join(" -> ", cycle.subList(0, 5))
        + " -> ... ("
        + (cycle.size() - 10)
        + " more) -> "
        + String.join(" -> ", cycle.subList(cycle.size() - 5, cycle.size()));
  }
}
