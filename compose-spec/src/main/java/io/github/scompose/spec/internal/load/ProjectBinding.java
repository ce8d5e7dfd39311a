package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.SecretSpec;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.internal.yaml.Loc;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the merged document of a {@link ProjectLoading}: a singularity-compose file's {@code
 * instances} through {@link ScBinder}; a Compose file's top-level {@code secrets}, then its {@code
 * services} through {@link ComposeBinder} (with the declared volumes, networks and secrets).
 */
final class ProjectBinding {

  private final Nodes nodes;
  private final HostPaths paths;
  private final Map<String, String> environment;

  ProjectBinding(Nodes nodes, HostPaths paths, Map<String, String> environment) {
    this.nodes = nodes;
    this.paths = paths;
    this.environment = environment;
  }

  void bindSc(
      YMap root,
      List<ServiceSpec> services,
      Map<String, YMap> serviceNodes,
      Map<String, Loc> serviceLocs) {
    YNode instances = root.get("instances");
    if (instances
        == null) { // a file with no instances has no services (found by LoaderFuzzProperties)
      return;
    }
    Optional<YMap> map = nodes.map(instances, "instances");
    if (map.isEmpty()) {
      return;
    }
    ScBinder binder = new ScBinder(nodes, paths);
    for (Map.Entry<String, YNode> e : map.get().entrySetView()) {
      String path = "instances." + e.getKey();
      serviceLocs.put(e.getKey(), map.get().keyLoc(e.getKey()));
      if (e.getValue() instanceof YMap m) {
        serviceNodes.put(e.getKey(), m);
      }
      binder.bind(e.getKey(), e.getValue(), path).ifPresent(services::add);
    }
  }

  void bindCompose(
      YMap root,
      List<ServiceSpec> services,
      List<SecretSpec> secrets,
      Map<String, YMap> serviceNodes,
      Map<String, Loc> serviceLocs) {
    Set<String> volumes = names(root, "volumes");
    Set<String> networks = names(root, "networks");
    Set<String> secretNames = names(root, "secrets");
    if (root.get("secrets") instanceof YMap sm) {
      for (Map.Entry<String, YNode> e : sm.entrySetView()) {
        String p = "secrets." + e.getKey();
        Optional<YMap> def = nodes.map(e.getValue(), p);
        if (def.isEmpty()) {
          continue;
        }
        nodes.unknownKeys(
            def.get(),
            p,
            ScBinder.ordered(
                "name",
                "environment",
                "file",
                "external",
                "labels",
                "driver",
                "driver_opts",
                "template_driver"),
            true,
            "a secret");
        SecretSpec.Builder sb = SecretSpec.builder().name(e.getKey());
        YNode x;
        if ((x = def.get().get("file")) != null) {
          YNode fx = x;
          nodes
              .string(x, p + ".file")
              .ifPresent(f -> sb.file(paths.resolvePath(f, fx.loc().baseDir())));
        }
        if ((x = def.get().get("environment")) != null) {
          nodes.string(x, p + ".environment").ifPresent(sb::environment);
        }
        if ((x = def.get().get("external")) != null) {
          if (x instanceof YMap) {
            sb.external(true);
          } else {
            nodes.bool(x, p + ".external").ifPresent(sb::external);
          }
        }
        secrets.add(sb.build());
      }
    }
    YNode servicesNode = root.get("services");
    if (servicesNode == null) {
      return;
    }
    Optional<YMap> map = nodes.map(servicesNode, "services");
    if (map.isEmpty()) {
      return;
    }
    ComposeBinder binder =
        new ComposeBinder(nodes, paths, environment, volumes, networks, secretNames);
    for (Map.Entry<String, YNode> e : map.get().entrySetView()) {
      String path = "services." + e.getKey();
      serviceLocs.put(e.getKey(), map.get().keyLoc(e.getKey()));
      if (e.getValue() instanceof YMap m) {
        serviceNodes.put(e.getKey(), m);
      }
      binder.bind(e.getKey(), e.getValue(), path).ifPresent(services::add);
    }
  }

  private Set<String> names(YMap root, String section) {
    Set<String> out = new LinkedHashSet<>();
    YNode node = root.get(section);
    if (node instanceof YMap m) {
      out.addAll(m.entries().keySet());
    } else if (node != null && !(node instanceof YScalar s && s.isNull())) {
      nodes.wrongType(node, section, "a mapping");
    }
    return out;
  }
}
