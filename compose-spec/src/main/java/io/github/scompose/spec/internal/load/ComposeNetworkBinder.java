package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.NetworkSpec;
import io.github.scompose.spec.PortMapping;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.internal.syntax.PortSyntax;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network keys of one Compose Specification service: {@code network_mode}, {@code networks}
 * (checked, then warned about), {@code ports} and {@code extra_hosts}. Part of {@link
 * ComposeBinder}; the same lenient reading and problems.
 */
final class ComposeNetworkBinder {

  private final Nodes nodes;
  private final Set<String> declaredNetworks;

  ComposeNetworkBinder(Nodes nodes, Set<String> declaredNetworks) {
    this.nodes = nodes;
    this.declaredNetworks = declaredNetworks;
  }

  /**
   * Compose {@code network_mode}: {@code host} and {@code none} become the instance's network type
   * (host networking; {@code --net --network none}), {@code bridge} and {@code default} are what
   * happens anyway; {@code service:NAME} and {@code container:NAME} (sharing another container's
   * network namespace) cannot be honoured: a warning.
   */
  Optional<NetworkSpec> networkMode(YNode v, String p, String service) {
    Optional<String> mode = nodes.string(v, p);
    if (mode.isEmpty()) {
      return Optional.empty();
    }
    switch (mode.get()) {
      case "host", "none" -> {
        return Optional.of(NetworkSpec.builder().type(mode.get()).build());
      }
      case "bridge", "default" -> {
        return Optional.empty();
      }
      default -> {
        nodes
            .problems()
            .warning(
                v.loc(),
                p,
                "network_mode \""
                    + mode.get()
                    + "\" of service \""
                    + service
                    + "\" cannot be honoured on Singularity (instances do not share network"
                    + " namespaces); ignored");
        return Optional.empty();
      }
    }
  }

  void checkNetworks(YNode v, String p, String service) {
    List<String> names = new ArrayList<>();
    if (v instanceof YMap nm) {
      names.addAll(nm.entries().keySet());
    } else {
      names.addAll(nodes.strings(v, p));
    }
    for (String n : names) {
      if (!n.equals("default") && !declaredNetworks.contains(n)) {
        nodes
            .problems()
            .error(
                v.loc(),
                p,
                "service \""
                    + service
                    + "\" uses network \""
                    + n
                    + "\", which is not defined under the top-level networks");
      }
    }
    nodes
        .problems()
        .warning(
            v.loc(),
            p,
            "\"networks\" cannot be honoured on Singularity (one bridge per project); ignored");
  }

  void ports(YNode v, String p, String service, ServiceSpec.Builder b) {
    if (!(v instanceof YSeq seq)) {
      nodes.wrongType(v, p, "a list of ports");
      return;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      String ip = p + "[" + i++ + "]";
      try {
        if (item instanceof YScalar s && !s.isNull()) {
          var parsed = PortSyntax.parse(s.value());
          b.addAllPorts(parsed);
          nodes.portsAt(service, item.loc(), parsed.size());
        } else if (item instanceof YMap pm) {
          nodes.unknownKeys(
              pm,
              ip,
              ScBinder.ordered(
                  "name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"),
              true,
              "a port");
          YNode target = pm.get("target");
          if (target == null) {
            nodes.problems().error(item.loc(), ip, "port needs a \"target\" (the container port)");
            continue;
          }
          PortMapping.Builder pb = PortMapping.builder();
          Optional<String> t = nodes.string(target, Nodes.child(ip, "target"));
          if (t.isEmpty()) {
            continue;
          }
          pb.containerPorts(PortSyntax.range(t.get()));
          YNode x;
          if ((x = pm.get("published")) != null) {
            nodes
                .string(x, Nodes.child(ip, "published"))
                .ifPresent(s -> pb.hostPorts(PortSyntax.range(s)));
          }
          if ((x = pm.get("host_ip")) != null) {
            nodes.string(x, Nodes.child(ip, "host_ip")).ifPresent(pb::hostIp);
          }
          if ((x = pm.get("protocol")) != null) {
            nodes
                .string(x, Nodes.child(ip, "protocol"))
                .ifPresent(s -> pb.protocol(PortMapping.Protocol.parse(s)));
          }
          if ((x = pm.get("app_protocol")) != null) {
            nodes.string(x, Nodes.child(ip, "app_protocol")).ifPresent(pb::appProtocol);
          }
          if ((x = pm.get("mode")) != null) {
            nodes.string(x, Nodes.child(ip, "mode")).ifPresent(pb::mode);
          }
          if ((x = pm.get("name")) != null) {
            nodes.string(x, Nodes.child(ip, "name")).ifPresent(pb::name);
          }
          b.addPort(pb.build());
          nodes.portsAt(service, item.loc(), 1);
        } else {
          nodes.wrongType(item, ip, "a port (\"HOST:CONTAINER\", a number or a mapping)");
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        nodes.problems().error(item.loc(), ip, e.getMessage());
      }
    }
  }

  void extraHosts(YNode v, String p, ServiceSpec.Builder b) {
    LinkedHashMap<String, List<String>> hosts = new LinkedHashMap<>();
    if (v instanceof YMap hm) {
      for (Map.Entry<String, YNode> e : hm.entrySetView()) {
        hosts
            .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
            .addAll(nodes.stringOrList(e.getValue(), Nodes.child(p, e.getKey())));
      }
    } else {
      List<String> entries = nodes.strings(v, p);
      for (int i = 0; i < entries.size(); i++) {
        String entry = entries.get(i);
        int eq = entry.indexOf('=');
        int at = eq >= 0 ? eq : entry.indexOf(':');
        if (at <= 0) {
          nodes
              .problems()
              .error(
                  ((YSeq) v).items().get(i).loc(),
                  p + "[" + i + "]",
                  "extra host \"" + entry + "\" is not \"HOST:IP\" or \"HOST=IP\"");
          continue;
        }
        String ip = entry.substring(at + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
          ip = ip.substring(1, ip.length() - 1);
        }
        hosts.computeIfAbsent(entry.substring(0, at), k -> new ArrayList<>()).add(ip);
      }
    }
    hosts.forEach(b::putExtraHost);
  }
}
