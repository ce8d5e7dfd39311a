package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.GpuRequest;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.NetworkSpec;
import io.github.scompose.spec.PortMapping;
import io.github.scompose.spec.ResourceLimits;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.SecretReference;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.VolumeMount;
import io.github.scompose.spec.internal.interpolation.DotEnv;
import io.github.scompose.spec.internal.interpolation.DotEnvException;
import io.github.scompose.spec.internal.syntax.ByteSyntax;
import io.github.scompose.spec.internal.syntax.DurationSyntax;
import io.github.scompose.spec.internal.syntax.PortSyntax;
import io.github.scompose.spec.internal.syntax.VolumeSyntax;
import io.github.scompose.spec.internal.yaml.SourceText;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        checkNetworks(e.getValue(), keyPath, name);
      } else if (key.equals("network_mode")) {
        networkMode(e.getValue(), keyPath, name).ifPresent(b::network);
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
      ports(v, Nodes.child(path, "ports"), b);
    }
    if ((v = m.get("volumes")) != null) {
      volumes(v, Nodes.child(path, "volumes"), b);
    }
    if ((v = m.get("extra_hosts")) != null) {
      extraHosts(v, Nodes.child(path, "extra_hosts"), b);
    }
    if ((v = m.get("secrets")) != null) {
      secrets(v, Nodes.child(path, "secrets"), b);
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
    duration(m, "stop_grace_period", path).ifPresent(b::stopGracePeriod);
    if ((v = m.get("healthcheck")) != null) {
      healthcheck(v, Nodes.child(path, "healthcheck")).ifPresent(b::healthcheck);
    }
    if ((v = m.get("restart")) != null) {
      restart(v, Nodes.child(path, "restart")).ifPresent(b::restart);
    }
    resources(m, path, b);
    if ((v = m.get("deploy")) != null) {
      deploy(v, Nodes.child(path, "deploy"), b);
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

  /**
   * Compose {@code network_mode}: {@code host} and {@code none} become the instance's network type
   * (host networking; {@code --net --network none}), {@code bridge} and {@code default} are what
   * happens anyway; {@code service:NAME} and {@code container:NAME} (sharing another container's
   * network namespace) cannot be honoured: a warning.
   */
  private Optional<NetworkSpec> networkMode(YNode v, String p, String service) {
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

  private void checkNetworks(YNode v, String p, String service) {
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

  private void ports(YNode v, String p, ServiceSpec.Builder b) {
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

  private void volumes(YNode v, String p, ServiceSpec.Builder b) {
    if (!(v instanceof YSeq seq)) {
      nodes.wrongType(v, p, "a list of volumes");
      return;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      String ip = p + "[" + i++ + "]";
      try {
        VolumeMount mount;
        if (item instanceof YScalar s && !s.isNull()) {
          mount = VolumeSyntax.parse(s.value());
        } else if (item instanceof YMap vm) {
          Optional<VolumeMount> longForm = longVolume(vm, ip);
          if (longForm.isEmpty()) {
            continue;
          }
          mount = longForm.get();
        } else {
          nodes.wrongType(item, ip, "a volume (\"SOURCE:TARGET[:MODE]\" or a mapping)");
          continue;
        }
        if (mount.type() == VolumeMount.Type.BIND) {
          mount =
              mount.withSource(paths.resolve(mount.source().orElseThrow(), item.loc().baseDir()));
        } else if (mount.type() == VolumeMount.Type.VOLUME
            && mount.source().isPresent()
            && !declaredVolumes.contains(mount.source().get())) {
          // singularity-stack binds an undeclared named volume from the folder of that name in
          // the project directory; docker compose rejects it. Files written for
          // singularity-stack must run: a bind, created at up when missing, and a warning.
          String name = mount.source().get();
          String source = paths.resolve("./" + name, item.loc().baseDir());
          nodes
              .problems()
              .warning(
                  item.loc(),
                  ip,
                  "volume \""
                      + name
                      + "\" is not defined under the top-level volumes; bound from the folder "
                      + source
                      + " (created at up if missing), as singularity-stack does (docker compose"
                      + " rejects it)");
          mount =
              VolumeMount.builder()
                  .from(mount)
                  .type(VolumeMount.Type.BIND)
                  .source(source)
                  .createHostPath(true)
                  .build();
        }
        b.addVolume(mount);
      } catch (IllegalArgumentException | IllegalStateException e) {
        nodes.problems().error(item.loc(), ip, e.getMessage());
      }
    }
  }

  private Optional<VolumeMount> longVolume(YMap vm, String ip) {
    nodes.unknownKeys(
        vm,
        ip,
        ScBinder.ordered(
            "type",
            "source",
            "target",
            "read_only",
            "consistency",
            "bind",
            "volume",
            "tmpfs",
            "image"),
        true,
        "a volume");
    YNode typeNode = vm.get("type");
    YNode target = vm.get("target");
    if (typeNode == null || target == null) {
      nodes.problems().error(vm.loc(), ip, "a volume in long form needs \"type\" and \"target\"");
      return Optional.empty();
    }
    Optional<String> type = nodes.string(typeNode, Nodes.child(ip, "type"));
    Optional<String> tgt = nodes.string(target, Nodes.child(ip, "target"));
    if (type.isEmpty() || tgt.isEmpty()) {
      return Optional.empty();
    }
    VolumeMount.Type t;
    switch (type.get()) {
      case "bind" -> t = VolumeMount.Type.BIND;
      case "volume" -> t = VolumeMount.Type.VOLUME;
      case "tmpfs" -> t = VolumeMount.Type.TMPFS;
      default -> {
        nodes
            .problems()
            .error(
                typeNode.loc(),
                Nodes.child(ip, "type"),
                "volume type \""
                    + type.get()
                    + "\" is not supported; expected bind, volume or tmpfs");
        return Optional.empty();
      }
    }
    VolumeMount.Builder vb = VolumeMount.builder().type(t).target(tgt.get());
    YNode x;
    if ((x = vm.get("source")) != null) {
      nodes.string(x, Nodes.child(ip, "source")).ifPresent(vb::source);
    }
    if ((x = vm.get("read_only")) != null) {
      nodes.bool(x, Nodes.child(ip, "read_only")).ifPresent(vb::readOnly);
    }
    if ((x = vm.get("bind")) instanceof YMap bm && bm.get("create_host_path") != null) {
      nodes
          .bool(bm.get("create_host_path"), Nodes.child(ip, "bind.create_host_path"))
          .ifPresent(vb::createHostPath);
    }
    if ((x = vm.get("tmpfs")) instanceof YMap tm && tm.get("size") != null) {
      nodes
          .string(tm.get("size"), Nodes.child(ip, "tmpfs.size"))
          .ifPresent(s -> vb.tmpfsSize(bytes(s)));
    }
    return Optional.of(vb.build());
  }

  static long bytes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long factor = 1;
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    if (!t.isEmpty()) {
      char unit = t.charAt(t.length() - 1);
      int shift = "kmg".indexOf(unit);
      if (shift >= 0) {
        factor = 1L << (10 * (shift + 1));
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      return Long.parseLong(t) * factor;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "size \"" + text + "\" is not a number of bytes (e.g. 1048576, 512k, 64m, 1g)");
    }
  }

  private void extraHosts(YNode v, String p, ServiceSpec.Builder b) {
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

  private void secrets(YNode v, String p, ServiceSpec.Builder b) {
    if (!(v instanceof YSeq seq)) {
      nodes.wrongType(v, p, "a list of secrets");
      return;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      String ip = p + "[" + i++ + "]";
      SecretReference.Builder sb = SecretReference.builder();
      String source;
      if (item instanceof YMap sm) {
        nodes.unknownKeys(
            sm, ip, ScBinder.ordered("source", "target", "uid", "gid", "mode"), true, "a secret");
        YNode s = sm.get("source");
        if (s == null) {
          nodes.problems().error(item.loc(), ip, "secret needs a \"source\"");
          continue;
        }
        Optional<String> src = nodes.string(s, Nodes.child(ip, "source"));
        if (src.isEmpty()) {
          continue;
        }
        source = src.get();
        YNode x;
        if ((x = sm.get("target")) != null) {
          nodes.string(x, Nodes.child(ip, "target")).ifPresent(sb::target);
        }
        if ((x = sm.get("mode")) != null) {
          nodes.string(x, Nodes.child(ip, "mode")).ifPresent(sb::mode);
        }
      } else {
        Optional<String> src = nodes.string(item, ip);
        if (src.isEmpty()) {
          continue;
        }
        source = src.get();
      }
      if (!declaredSecrets.contains(source)) {
        nodes
            .problems()
            .error(
                item.loc(),
                ip,
                "secret \"" + source + "\" is not defined under the top-level secrets");
        continue;
      }
      b.addSecret(sb.source(source).build());
    }
  }

  private Optional<Healthcheck> healthcheck(YNode v, String p) {
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    YMap h = maybe.get();
    nodes.unknownKeys(
        h,
        p,
        ScBinder.ordered(
            "disable", "interval", "retries", "test", "timeout", "start_period", "start_interval"),
        true,
        "healthcheck");
    Healthcheck.Builder hb = Healthcheck.builder();
    YNode x;
    if ((x = h.get("test")) != null) {
      String tp = Nodes.child(p, "test");
      if (x instanceof YScalar s && !s.isNull()) {
        hb.addTest("CMD-SHELL", s.value());
      } else {
        List<String> test = nodes.strings(x, tp);
        if (!test.isEmpty() && !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
          nodes
              .problems()
              .error(
                  x.loc(),
                  tp,
                  "healthcheck test must start with \"CMD\", \"CMD-SHELL\" or \"NONE\", found \""
                      + test.get(0)
                      + "\"");
        } else {
          hb.addAllTest(test);
        }
      }
    }
    if ((x = h.get("disable")) != null && nodes.bool(x, Nodes.child(p, "disable")).orElse(false)) {
      hb.test(List.of("NONE"));
    }
    duration(h, "interval", p).ifPresent(hb::interval);
    duration(h, "timeout", p).ifPresent(hb::timeout);
    duration(h, "start_period", p).ifPresent(hb::startPeriod);
    duration(h, "start_interval", p).ifPresent(hb::startInterval);
    if ((x = h.get("retries")) != null) {
      nodes.integer(x, Nodes.child(p, "retries")).ifPresent(hb::retries);
    }
    return Optional.of(hb.build());
  }

  private Optional<Duration> duration(YMap m, String key, String p) {
    YNode x = m.get(key);
    if (x == null) {
      return Optional.empty();
    }
    String kp = Nodes.child(p, key);
    Optional<String> text = nodes.string(x, kp);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(DurationSyntax.parse(text.get()));
    } catch (IllegalArgumentException e) {
      nodes.problems().error(x.loc(), kp, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<RestartPolicy> restart(YNode v, String p) {
    if (v instanceof YScalar s && s.isNull()) {
      return Optional.of(RestartPolicy.of(RestartPolicy.Condition.NO)); // as "" (compose-go)
    }
    Optional<String> text = nodes.string(v, p);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.get();
    switch (t) {
      case "", "no": // compose-go/docker compose read an empty restart as "no"
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.NO));
      case "always":
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.ALWAYS));
      case "unless-stopped":
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED));
      case "on-failure":
        return Optional.of(RestartPolicy.of(RestartPolicy.Condition.ON_FAILURE));
      default:
        if (t.startsWith("on-failure:")) {
          try {
            int n = Integer.parseInt(t.substring("on-failure:".length()));
            if (n >= 0) {
              return Optional.of(
                  RestartPolicy.builder()
                      .condition(RestartPolicy.Condition.ON_FAILURE)
                      .maxAttempts(n)
                      .build());
            }
          } catch (NumberFormatException e) {
            // reported below
          }
        }
        nodes
            .problems()
            .error(
                v.loc(),
                p,
                "restart \"" + t + "\" is not one of no, always, on-failure[:N], unless-stopped");
        return Optional.empty();
    }
  }

  private void deploy(YNode v, String p, ServiceSpec.Builder b) {
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return;
    }
    YMap d = maybe.get();
    for (String key : d.entries().keySet()) {
      if (!key.equals("replicas")
          && !key.equals("restart_policy")
          && !key.equals("resources")
          && !key.startsWith("x-")) {
        nodes
            .problems()
            .warning(
                d.keyLoc(key),
                Nodes.child(p, key),
                "\"deploy." + key + "\" cannot be honoured on Singularity; ignored");
      }
    }
    YNode x;
    if ((x = d.get("replicas")) != null) {
      String rp = Nodes.child(p, "replicas");
      YNode rn = x;
      nodes
          .integer(x, rp)
          .ifPresent(
              n -> {
                if (n < 0) {
                  nodes.problems().error(rn.loc(), rp, "replicas must not be negative, found " + n);
                } else {
                  b.replicas(n);
                }
              });
    }
    if ((x = d.get("restart_policy")) != null) {
      String rp = Nodes.child(p, "restart_policy");
      Optional<YMap> rm = nodes.map(x, rp);
      if (rm.isEmpty()) {
        return;
      }
      nodes.unknownKeys(
          rm.get(),
          rp,
          ScBinder.ordered("condition", "delay", "max_attempts", "window"),
          true,
          "restart_policy");
      RestartPolicy.Builder pb = RestartPolicy.builder().condition(RestartPolicy.Condition.ALWAYS);
      YNode c = rm.get().get("condition");
      if (c != null) {
        Optional<String> ct = nodes.string(c, Nodes.child(rp, "condition"));
        if (ct.isPresent()) {
          switch (ct.get()) {
            case "none" -> pb.condition(RestartPolicy.Condition.NO);
            case "on-failure" -> pb.condition(RestartPolicy.Condition.ON_FAILURE);
            case "any" -> pb.condition(RestartPolicy.Condition.ALWAYS);
            default ->
                nodes
                    .problems()
                    .error(
                        c.loc(),
                        Nodes.child(rp, "condition"),
                        "condition \"" + ct.get() + "\" is not one of none, on-failure, any");
          }
        }
      }
      duration(rm.get(), "delay", rp).ifPresent(pb::delay);
      duration(rm.get(), "window", rp).ifPresent(pb::window);
      YNode ma = rm.get().get("max_attempts");
      if (ma != null) {
        nodes.integer(ma, Nodes.child(rp, "max_attempts")).ifPresent(pb::maxAttempts);
      }
      b.restart(pb.build());
    }
  }

  // ---- resources and GPUs -----------------------------------------------------------------------

  /** One limit as read, with where it was written (for the conflict error). */
  private record Read<T>(T value, YNode node, String path) {}

  /**
   * Service-level {@code cpus}, {@code mem_limit}, {@code pids_limit} and {@code gpus}, and {@code
   * deploy.resources} ({@code limits}, {@code reservations.devices}). A limit given at both places
   * with distinct values is an error (compose-go: "can't set distinct values"); {@code 0} (and
   * {@code -1} for memory and pids) means no limit, as in compose-go.
   */
  private void resources(YMap m, String path, ServiceSpec.Builder b) {
    Read<Double> cpus = null;
    Read<Long> memory = null;
    Read<Long> pids = null;
    YNode x;
    if ((x = m.get("cpus")) != null) {
      cpus = cpus(x, Nodes.child(path, "cpus"));
    }
    if ((x = m.get("mem_limit")) != null) {
      memory = memory(x, Nodes.child(path, "mem_limit"));
    }
    if ((x = m.get("pids_limit")) != null) {
      pids = pids(x, Nodes.child(path, "pids_limit"));
    }
    if ((x = m.get("gpus")) != null) {
      String gp = Nodes.child(path, "gpus");
      if (x instanceof YScalar s && !s.isNull()) {
        b.addGpus(GpuRequest.all()); // compose-go: any string means all GPUs
      } else if (x instanceof YSeq seq) {
        int i = 0;
        for (YNode item : seq.items()) {
          device(item, gp + "[" + i++ + "]", false).ifPresent(b::addGpus);
        }
      } else if (!(x instanceof YScalar s && s.isNull())) {
        nodes.wrongType(x, gp, "\"all\" or a list of GPU requests");
      }
    }
    YNode deploy = m.get("deploy");
    if (deploy instanceof YMap d && d.get("resources") != null) {
      String rp = Nodes.child(path, "deploy.resources");
      Optional<YMap> res = nodes.map(d.get("resources"), rp);
      if (res.isPresent()) {
        nodes.unknownKeys(
            res.get(), rp, ScBinder.ordered("limits", "reservations"), true, "resources");
        YNode limits = res.get().get("limits");
        if (limits != null) {
          String lp = Nodes.child(rp, "limits");
          Optional<YMap> lm = nodes.map(limits, lp);
          if (lm.isPresent()) {
            nodes.unknownKeys(
                lm.get(), lp, ScBinder.ordered("cpus", "memory", "pids"), true, "limits");
            cpus =
                agree(
                    cpus,
                    lm.get().get("cpus") == null
                        ? null
                        : cpus(lm.get().get("cpus"), Nodes.child(lp, "cpus")));
            memory =
                agree(
                    memory,
                    lm.get().get("memory") == null
                        ? null
                        : memory(lm.get().get("memory"), Nodes.child(lp, "memory")));
            pids =
                agree(
                    pids,
                    lm.get().get("pids") == null
                        ? null
                        : pids(lm.get().get("pids"), Nodes.child(lp, "pids")));
          }
        }
        YNode reservations = res.get().get("reservations");
        if (reservations != null) {
          reservations(reservations, Nodes.child(rp, "reservations"), b);
        }
      }
    }
    ResourceLimits.Builder lb = ResourceLimits.builder();
    if (cpus != null && cpus.value() > 0) {
      lb.cpus(cpus.value());
    }
    if (memory != null && memory.value() > 0) {
      lb.memoryBytes(memory.value());
    }
    if (pids != null && pids.value() > 0) {
      lb.pids(pids.value());
    }
    ResourceLimits limits = lb.build();
    if (!limits.isEmpty()) {
      b.limits(limits);
    }
  }

  /** The one of two reads of the same limit that is present; an error when both are, and differ. */
  private <T> Read<T> agree(Read<T> service, Read<T> deploy) {
    if (service == null || deploy == null) {
      return service == null ? deploy : service;
    }
    if (service.value() instanceof Number n && n.doubleValue() == 0) {
      return deploy; // 0 is "not set" at the service level (compose-go)
    }
    if (!service.value().equals(deploy.value())) {
      nodes
          .problems()
          .error(
              deploy.node().loc(),
              deploy.path(),
              "distinct values for the same limit: "
                  + service.path().substring(service.path().lastIndexOf('.') + 1)
                  + " is "
                  + YNode.toPlain(service.node())
                  + " but "
                  + deploy.path().substring(deploy.path().indexOf("deploy."))
                  + " is "
                  + YNode.toPlain(deploy.node())
                  + "; give one of them, or the same value");
    }
    return service;
  }

  private Read<Double> cpus(YNode x, String p) {
    Optional<String> text = nodes.string(x, p);
    if (text.isEmpty()) {
      return null;
    }
    try {
      double v = Double.parseDouble(text.get().trim());
      if (Double.isFinite(v) && v >= 0) {
        return new Read<>(v, x, p);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    nodes
        .problems()
        .error(
            x.loc(),
            p,
            "cpus \"" + text.get() + "\" is not a number of CPUs (e.g. 2, 0.5 or \"1.5\")");
    return null;
  }

  private Read<Long> memory(YNode x, String p) {
    Optional<String> text = nodes.string(x, p);
    if (text.isEmpty()) {
      return null;
    }
    String t = text.get().trim();
    if (t.equals("-1")) {
      return new Read<>(0L, x, p); // unlimited (compose-go UnitBytes reads -1)
    }
    try {
      return new Read<>(ByteSyntax.parse(t), x, p);
    } catch (IllegalArgumentException e) {
      nodes.problems().error(x.loc(), p, e.getMessage());
      return null;
    }
  }

  private Read<Long> pids(YNode x, String p) {
    Optional<String> text = nodes.string(x, p);
    if (text.isEmpty()) {
      return null;
    }
    try {
      long n = Long.parseLong(text.get().trim());
      if (n >= -1) {
        return new Read<>(Math.max(n, 0L), x, p); // -1 and 0: no limit
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    nodes
        .problems()
        .error(
            x.loc(),
            p,
            "pids limit \"" + text.get() + "\" is not a whole number (-1 or 0 for no limit)");
    return null;
  }

  /**
   * {@code deploy.resources.reservations}: its GPU devices are honoured; cpus, memory and other
   * devices cannot be reserved on Singularity (warnings).
   */
  private void reservations(YNode v, String p, ServiceSpec.Builder b) {
    Optional<YMap> rm = nodes.map(v, p);
    if (rm.isEmpty()) {
      return;
    }
    nodes.unknownKeys(
        rm.get(),
        p,
        ScBinder.ordered("cpus", "memory", "pids", "devices", "generic_resources"),
        true,
        "reservations");
    for (String key : rm.get().entries().keySet()) {
      if (!key.equals("devices") && !key.startsWith("x-")) {
        nodes
            .problems()
            .warning(
                rm.get().keyLoc(key),
                Nodes.child(p, key),
                "\"reservations."
                    + key
                    + "\" cannot be honoured on Singularity (nothing is reserved); ignored");
      }
    }
    YNode devices = rm.get().get("devices");
    if (devices == null) {
      return;
    }
    String dp = Nodes.child(p, "devices");
    if (!(devices instanceof YSeq seq)) {
      if (!(devices instanceof YScalar s && s.isNull())) {
        nodes.wrongType(devices, dp, "a list of devices");
      }
      return;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      device(item, dp + "[" + i++ + "]", true).ifPresent(b::addGpus);
    }
  }

  /**
   * One device request ({@code gpus} item or {@code reservations.devices} entry): a GPU request
   * when it is in {@code gpus} or its {@code capabilities} include {@code gpu}; a device of another
   * capability is warned about and ignored.
   */
  private Optional<GpuRequest> device(YNode item, String ip, boolean needsGpuCapability) {
    Optional<YMap> dm = nodes.map(item, ip);
    if (dm.isEmpty()) {
      return Optional.empty();
    }
    nodes.unknownKeys(
        dm.get(),
        ip,
        ScBinder.ordered("capabilities", "count", "device_ids", "driver", "options"),
        true,
        "a device request");
    GpuRequest.Builder gb = GpuRequest.builder();
    YNode x;
    List<String> capabilities = List.of();
    if ((x = dm.get().get("capabilities")) != null) {
      capabilities = nodes.strings(x, Nodes.child(ip, "capabilities"));
      gb.addAllCapabilities(capabilities);
    }
    if (needsGpuCapability && dm.get().get("capabilities") == null) {
      // compose-go: "missing property 'capabilities'" (the schema requires it in devices)
      nodes
          .problems()
          .error(item.loc(), ip, "a device request needs \"capabilities\" (e.g. [gpu])");
      return Optional.empty();
    }
    if (dm.get().get("count") != null && dm.get().get("device_ids") != null) {
      nodes
          .problems()
          .error(
              dm.get().keyLoc("device_ids"),
              Nodes.child(ip, "device_ids"),
              "\"count\" and \"device_ids\" exclude each other; give one of them");
    }
    if (needsGpuCapability && !capabilities.contains("gpu")) {
      nodes
          .problems()
          .warning(
              item.loc(),
              ip,
              "a device with capabilities "
                  + capabilities
                  + " cannot be honoured on Singularity (only GPUs: capabilities [gpu]); ignored");
      return Optional.empty();
    }
    if ((x = dm.get().get("driver")) != null) {
      nodes.string(x, Nodes.child(ip, "driver")).ifPresent(gb::driver);
    }
    if ((x = dm.get().get("count")) != null) {
      String cp = Nodes.child(ip, "count");
      YNode cn = x;
      nodes
          .string(x, cp)
          .ifPresent(
              c -> {
                if (c.trim().equalsIgnoreCase("all") || c.trim().equals("-1")) {
                  return; // all GPUs: no count
                }
                try {
                  long n = Long.parseLong(c.trim());
                  if (n < 0) {
                    throw new NumberFormatException();
                  }
                  gb.count(n);
                } catch (NumberFormatException e) {
                  nodes
                      .problems()
                      .error(cn.loc(), cp, "count \"" + c + "\" is not \"all\" or a whole number");
                }
              });
    }
    if ((x = dm.get().get("device_ids")) != null) {
      gb.addAllDeviceIds(nodes.strings(x, Nodes.child(ip, "device_ids")));
    }
    return Optional.of(gb.build());
  }
}
