package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.internal.interpolation.DotEnv;
import io.github.scompose.spec.internal.interpolation.DotEnvException;
import io.github.scompose.spec.internal.yaml.SourceText;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds one Compose Specification service to a {@link ServiceSpec}. Keys and shapes: the Compose
 * Specification ({@code compose-spec/schema/compose-spec.json}). Keys the schema knows but that
 * cannot be honoured on Singularity are warnings; keys it does not know are errors. Values are read
 * as leniently as compose-go reads them (its {@code loader/tests}): numbers and booleans where
 * strings are expected and the reverse, YAML 1.1 booleans ({@code yes}/{@code no}, warned about),
 * an empty or null {@code restart} as {@code no}, and an undeclared named volume as a bind of the
 * project's folder of that name (singularity-stack's rule; warned about).
 *
 * <p>This class reads the service's keys, {@code image}, {@code command}, {@code entrypoint}, the
 * environment and {@code depends_on}; the other keys are read by {@link ComposeNetworkBinder},
 * {@link ComposeMountBinder}, {@link ComposeLifecycleBinder} and {@link ComposeResourceBinder}.
 */
final class ComposeBinder {

  static final Set<String> SERVICE_KEYS =
      ScBinder.ordered(
          "develop",
          "deploy",
          "annotations",
          "attach",
          "build",
          "blkio_config",
          "cap_add",
          "cap_drop",
          "cgroup",
          "cgroup_parent",
          "command",
          "configs",
          "container_name",
          "cpu_count",
          "cpu_percent",
          "cpu_shares",
          "cpu_quota",
          "cpu_period",
          "cpu_rt_period",
          "cpu_rt_runtime",
          "cpus",
          "cpuset",
          "credential_spec",
          "depends_on",
          "device_cgroup_rules",
          "devices",
          "dns",
          "dns_opt",
          "dns_search",
          "domainname",
          "entrypoint",
          "env_file",
          "label_file",
          "environment",
          "expose",
          "extends",
          "provider",
          "external_links",
          "extra_hosts",
          "gpus",
          "group_add",
          "healthcheck",
          "hostname",
          "image",
          "init",
          "ipc",
          "isolation",
          "labels",
          "links",
          "logging",
          "mac_address",
          "mem_limit",
          "mem_reservation",
          "mem_swappiness",
          "memswap_limit",
          "network_mode",
          "models",
          "networks",
          "oom_kill_disable",
          "oom_score_adj",
          "pid",
          "pids_limit",
          "platform",
          "ports",
          "post_start",
          "pre_stop",
          "privileged",
          "profiles",
          "pull_policy",
          "pull_refresh_after",
          "read_only",
          "restart",
          "runtime",
          "scale",
          "security_opt",
          "shm_size",
          "secrets",
          "sysctls",
          "stdin_open",
          "stop_grace_period",
          "stop_signal",
          "storage_opt",
          "tmpfs",
          "tty",
          "ulimits",
          "use_api_socket",
          "user",
          "uts",
          "userns_mode",
          "volumes",
          "volumes_from",
          "working_dir");

  /** Keys mapped onto the model. */
  static final Set<String> HONOURED =
      ScBinder.ordered(
          "image",
          "command",
          "entrypoint",
          "environment",
          "env_file",
          "depends_on",
          "ports",
          "volumes",
          "extra_hosts",
          "secrets",
          "hostname",
          "working_dir",
          "labels",
          "healthcheck",
          "restart",
          "stop_signal",
          "stop_grace_period",
          "deploy",
          "profiles",
          "extends",
          "gpus",
          "cpus",
          "mem_limit",
          "pids_limit");

  private final Nodes nodes;
  private final HostPaths paths;
  private final Map<String, String> environment;
  private final Set<String> declaredVolumes;
  private final Set<String> declaredNetworks;
  private final Set<String> declaredSecrets;
  private final ComposeNetworkBinder network;
  private final ComposeMountBinder mounts;
  private final ComposeLifecycleBinder lifecycle;
  private final ComposeResourceBinder resources;
  private String service;

  ComposeBinder(
      Nodes nodes,
      HostPaths paths,
      Map<String, String> environment,
      Set<String> declaredVolumes,
      Set<String> declaredNetworks,
      Set<String> declaredSecrets) {
    this.nodes = nodes;
    this.paths = paths;
    this.environment = environment;
    this.declaredVolumes = declaredVolumes;
    this.declaredNetworks = declaredNetworks;
    this.declaredSecrets = declaredSecrets;
    this.network = new ComposeNetworkBinder(nodes, declaredNetworks);
    this.mounts = new ComposeMountBinder(nodes, paths, declaredVolumes, declaredSecrets);
    this.lifecycle = new ComposeLifecycleBinder(nodes);
    this.resources = new ComposeResourceBinder(nodes);
  }

  Optional<ServiceSpec> bind(String name, YNode node, String path) {
    if (!(node instanceof YMap m)) {
      nodes.wrongType(node, path, "a mapping (the service's definition)");
      return Optional.empty();
    }
    ServiceSpec.Builder b = ServiceSpec.builder().name(name);
    this.service = name;
    for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
      String key = e.getKey();
      String keyPath = Nodes.child(path, key);
      if (key.startsWith("x-")) {
        Object plain = YNode.toPlain(e.getValue());
        b.putExtension(key, plain == null ? "" : plain);
        continue;
      }
      if (HONOURED.contains(key)) {
        continue;
      }
      if (!SERVICE_KEYS.contains(key)) {
        nodes
            .problems()
            .error(
                m.keyLoc(key),
                keyPath,
                "unknown key \""
                    + key
                    + "\" in service \""
                    + name
                    + "\""
                    + Nodes.closest(key, SERVICE_KEYS)
                        .map(k -> "; did you mean \"" + k + "\"?")
                        .orElse(""));
      } else if (key.equals("networks")) {
        network.checkNetworks(e.getValue(), keyPath, name);
      } else if (key.equals("network_mode")) {
        network.networkMode(e.getValue(), keyPath, name).ifPresent(b::network);
      } else {
        nodes
            .problems()
            .warning(
                m.keyLoc(key),
                keyPath,
                "\"" + key + "\" cannot be honoured on Singularity; ignored");
      }
    }
    YNode v;
    if ((v = m.get("image")) != null) {
      nodes.string(v, Nodes.child(path, "image")).ifPresent(b::image);
    }
    if ((v = m.get("command")) != null) {
      argv(v, Nodes.child(path, "command")).ifPresent(b::command);
    }
    if ((v = m.get("entrypoint")) != null) {
      argv(v, Nodes.child(path, "entrypoint")).ifPresent(b::entrypoint);
    }
    LinkedHashMap<String, String> env = new LinkedHashMap<>();
    if ((v = m.get("env_file")) != null) {
      envFiles(v, Nodes.child(path, "env_file"), env);
    }
    if ((v = m.get("environment")) != null) {
      nodes
          .listOrDict(v, Nodes.child(path, "environment"), '=')
          .forEach(
              (k, val) -> {
                if (val != null) {
                  env.put(k, val);
                } else if (environment.containsKey(k)) {
                  env.put(k, environment.get(k));
                }
              });
    }
    b.putAllEnvironment(env);
    if ((v = m.get("depends_on")) != null) {
      dependsOn(v, Nodes.child(path, "depends_on"), b);
    }
    if ((v = m.get("ports")) != null) {
      network.ports(v, Nodes.child(path, "ports"), service, b);
    }
    if ((v = m.get("volumes")) != null) {
      mounts.volumes(v, Nodes.child(path, "volumes"), b);
    }
    if ((v = m.get("extra_hosts")) != null) {
      network.extraHosts(v, Nodes.child(path, "extra_hosts"), b);
    }
    if ((v = m.get("secrets")) != null) {
      mounts.secrets(v, Nodes.child(path, "secrets"), b);
    }
    if ((v = m.get("hostname")) != null) {
      nodes.string(v, Nodes.child(path, "hostname")).ifPresent(b::hostname);
    }
    if ((v = m.get("working_dir")) != null) {
      nodes.string(v, Nodes.child(path, "working_dir")).ifPresent(b::workingDir);
    }
    if ((v = m.get("labels")) != null) {
      nodes
          .listOrDict(v, Nodes.child(path, "labels"), '=')
          .forEach((k, val) -> b.putLabel(k, val == null ? "" : val));
    }
    if ((v = m.get("stop_signal")) != null) {
      nodes.string(v, Nodes.child(path, "stop_signal")).ifPresent(b::stopSignal);
    }
    lifecycle.duration(m, "stop_grace_period", path).ifPresent(b::stopGracePeriod);
    if ((v = m.get("healthcheck")) != null) {
      lifecycle.healthcheck(v, Nodes.child(path, "healthcheck")).ifPresent(b::healthcheck);
    }
    if ((v = m.get("restart")) != null) {
      lifecycle.restart(v, Nodes.child(path, "restart")).ifPresent(b::restart);
    }
    resources.resources(m, path, b);
    if ((v = m.get("deploy")) != null) {
      lifecycle.deploy(v, Nodes.child(path, "deploy"), b);
    }
    if ((v = m.get("profiles")) != null) {
      b.addAllProfiles(nodes.strings(v, Nodes.child(path, "profiles")));
    }
    // built even after errors in its fields (what could be read), so that the project checks
    // (depends_on, cycles, host ports) report their problems too; the load fails anyway
    try {
      return Optional.of(b.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      nodes.problems().error(m.loc(), path, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<List<String>> argv(YNode v, String p) {
    if (v instanceof YScalar s && s.isNull()) {
      return Optional.empty();
    }
    if (v instanceof YScalar s) {
      try {
        return Optional.of(ShellWords.split(s.value()));
      } catch (IllegalArgumentException e) {
        nodes.problems().error(v.loc(), p, e.getMessage());
        return Optional.empty();
      }
    }
    if (v instanceof YSeq) {
      return Optional.of(nodes.strings(v, p));
    }
    nodes.wrongType(v, p, "a string or a list of strings");
    return Optional.empty();
  }

  private void envFiles(YNode v, String p, Map<String, String> env) {
    List<YNode> items = v instanceof YSeq seq ? seq.items() : List.of(v);
    int i = 0;
    for (YNode item : items) {
      String ip = v instanceof YSeq ? p + "[" + i++ + "]" : p;
      String file;
      boolean required = true;
      if (item instanceof YMap fm) {
        nodes.unknownKeys(fm, ip, ScBinder.ordered("path", "required", "format"), true, "env_file");
        YNode pathNode = fm.get("path");
        if (pathNode == null) {
          nodes.problems().error(item.loc(), ip, "env_file entry needs a \"path\"");
          continue;
        }
        Optional<String> pathText = nodes.string(pathNode, Nodes.child(ip, "path"));
        if (pathText.isEmpty()) {
          continue;
        }
        file = pathText.get();
        YNode r = fm.get("required");
        if (r != null) {
          required = nodes.bool(r, Nodes.child(ip, "required")).orElse(true);
        }
      } else {
        Optional<String> text = nodes.string(item, ip);
        if (text.isEmpty()) {
          continue;
        }
        file = text.get();
      }
      Path resolved = paths.resolvePath(file, item.loc().baseDir());
      if (!Files.isRegularFile(resolved)) {
        if (required) {
          nodes.problems().error(item.loc(), ip, "env_file " + resolved + " not found");
        }
        continue;
      }
      try {
        String content = SourceText.read(resolved);
        DotEnv.parse(content)
            .forEach(
                (k, val) -> {
                  if (val != null) {
                    env.put(k, val);
                  }
                });
      } catch (DotEnvException e) {
        nodes
            .problems()
            .error(
                item.loc(), ip, "env_file " + resolved + " line " + e.line() + ": " + e.reason());
      } catch (SourceText.Unreadable e) {
        String where = e.line() > 0 ? " line " + e.line() + " column " + e.column() : "";
        nodes
            .problems()
            .error(item.loc(), ip, "cannot read env_file " + resolved + where + ": " + e.reason());
      }
    }
  }

  private void dependsOn(YNode v, String p, ServiceSpec.Builder b) {
    if (v instanceof YSeq) {
      nodes.strings(v, p).forEach(d -> b.addDependsOn(DependsOn.on(d)));
      return;
    }
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return;
    }
    for (Map.Entry<String, YNode> e : maybe.get().entrySetView()) {
      String dp = Nodes.child(p, e.getKey());
      DependsOn.Builder db = DependsOn.builder().service(e.getKey());
      Optional<YMap> dm = nodes.map(e.getValue(), dp);
      if (dm.isEmpty()) {
        continue;
      }
      nodes.unknownKeys(
          dm.get(), dp, ScBinder.ordered("condition", "required", "restart"), true, "depends_on");
      YNode x;
      if ((x = dm.get().get("condition")) != null) {
        YNode cn = x;
        nodes
            .string(x, Nodes.child(dp, "condition"))
            .ifPresent(
                c -> {
                  try {
                    db.condition(DependsOn.Condition.valueOf(c.toUpperCase(Locale.ROOT)));
                  } catch (IllegalArgumentException ex) {
                    nodes
                        .problems()
                        .error(
                            cn.loc(),
                            Nodes.child(dp, "condition"),
                            "condition \""
                                + c
                                + "\" is not one of service_started, service_healthy,"
                                + " service_completed_successfully");
                  }
                });
      }
      if ((x = dm.get().get("required")) != null) {
        nodes.bool(x, Nodes.child(dp, "required")).ifPresent(db::required);
      }
      if ((x = dm.get().get("restart")) != null) {
        nodes.bool(x, Nodes.child(dp, "restart")).ifPresent(db::restart);
      }
      b.addDependsOn(db.build());
    }
  }
}
