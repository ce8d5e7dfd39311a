package io.github.scompose.spec.internal.render;

import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.PortMapping;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.SecretReference;
import io.github.scompose.spec.SecretSpec;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.spec.VolumeMount;
import io.github.scompose.spec.internal.syntax.DurationSyntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Renders a project in its own format: singularity-compose ({@code version}, {@code instances}) or
 * Compose ({@code name}, {@code services}, {@code secrets}, and the named {@code volumes} used).
 * Fields the format has no key for are left out. Every {@code $} in a value is written as {@code
 * $$} so that loading the output does not interpolate again.
 */
public final class ProjectRenderer {

  private ProjectRenderer() {}

  /** The project as YAML. */
  public static String render(ComposeProject project) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (project.format().isSingularityCompose()) {
      root.put("version", project.format() == SourceFormat.SINGULARITY_COMPOSE_1_0 ? "1.0" : "2.0");
      Map<String, Object> instances = new LinkedHashMap<>();
      for (ServiceSpec s : project.services()) {
        instances.put(s.name(), instance(s));
      }
      root.put("instances", instances);
    } else {
      root.put("name", project.name());
      Map<String, Object> services = new LinkedHashMap<>();
      Set<String> volumes = new LinkedHashSet<>();
      for (ServiceSpec s : project.services()) {
        services.put(s.name(), service(s));
        s.volumes().stream()
            .filter(v -> v.type() == VolumeMount.Type.VOLUME)
            .forEach(v -> v.source().ifPresent(volumes::add));
      }
      root.put("services", services);
      if (!volumes.isEmpty()) {
        Map<String, Object> vs = new LinkedHashMap<>();
        volumes.forEach(v -> vs.put(v, new LinkedHashMap<>()));
        root.put("volumes", vs);
      }
      if (!project.secrets().isEmpty()) {
        Map<String, Object> secrets = new LinkedHashMap<>();
        for (SecretSpec secret : project.secrets()) {
          Map<String, Object> m = new LinkedHashMap<>();
          secret.file().ifPresent(f -> m.put("file", f.toString()));
          secret.environment().ifPresent(e -> m.put("environment", e));
          if (secret.external()) {
            m.put("external", true);
          }
          secrets.put(secret.name(), m);
        }
        root.put("secrets", secrets);
      }
      root.putAll(project.extensions());
    }
    DumpSettings settings =
        DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setSplitLines(false)
            .build();
    return new Dump(settings).dumpToString(escape(root));
  }

  private static Map<String, Object> instance(ServiceSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    s.image().ifPresent(i -> m.put("image", i));
    s.build()
        .ifPresent(
            b -> {
              Map<String, Object> bm = new LinkedHashMap<>();
              bm.put("context", b.context().toString());
              b.recipe().ifPresent(r -> bm.put("recipe", r));
              if (!b.options().isEmpty()) {
                bm.put("options", b.options());
              }
              m.put("build", bm);
            });
    if (!s.volumes().isEmpty()) {
      List<Object> vs = new ArrayList<>();
      s.volumes()
          .forEach(v -> vs.add(v.toShortForm().orElse(v.source().orElse("") + ":" + v.target())));
      m.put("volumes", vs);
    }
    if (!s.volumesFrom().isEmpty()) {
      m.put("volumes_from", s.volumesFrom());
    }
    if (!s.ports().isEmpty()) {
      List<Object> ps = new ArrayList<>();
      s.ports().forEach(p -> ps.add(p.toShortForm().orElseThrow()));
      m.put("ports", ps);
    }
    if (!s.dependsOn().isEmpty()) {
      m.put("depends_on", s.dependsOn().stream().map(DependsOn::service).toList());
    }
    s.network()
        .ifPresent(
            n -> {
              Map<String, Object> nm = new LinkedHashMap<>();
              nm.put("enable", n.enable());
              nm.put("allocate_ip", n.allocateIp());
              n.type().ifPresent(t -> nm.put("type", t));
              m.put("network", nm);
            });
    s.start().ifPresent(i -> m.put("start", invocation(i, "args")));
    s.exec().ifPresent(i -> m.put("exec", invocation(i, "command")));
    s.run().ifPresent(i -> m.put("run", invocation(i, "args")));
    if (!s.post().isEmpty()) {
      Map<String, Object> post = new LinkedHashMap<>();
      if (s.post().size() == 1 && !s.post().get(0).argsAsOneString()) {
        post.put("command", s.post().get(0).args());
      } else {
        List<Object> commands = new ArrayList<>();
        s.post().forEach(p -> commands.add(String.join(" ", p.args())));
        post.put("commands", commands);
      }
      m.put("post", post);
    }
    if (s.replicas() != 1) {
      m.put("deploy", Map.of("replicas", s.replicas()));
    }
    return m;
  }

  private static Map<String, Object> invocation(Invocation i, String argsKey) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!i.options().isEmpty()) {
      m.put("options", i.options());
    }
    if (i.argsAsOneString() && i.args().size() == 1) {
      m.put(argsKey, i.args().get(0));
    } else if (!i.args().isEmpty()) {
      m.put(argsKey, i.args());
    }
    i.background().ifPresent(b -> m.put("background", b));
    return m;
  }

  private static Map<String, Object> service(ServiceSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    s.image().ifPresent(i -> m.put("image", i));
    s.command().ifPresent(c -> m.put("command", c));
    s.entrypoint().ifPresent(c -> m.put("entrypoint", c));
    if (!s.environment().isEmpty()) {
      m.put("environment", s.environment());
    }
    if (!s.volumes().isEmpty()) {
      List<Object> vs = new ArrayList<>();
      for (VolumeMount v : s.volumes()) {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("type", v.type().name().toLowerCase(java.util.Locale.ROOT));
        v.source().ifPresent(src -> vm.put("source", src));
        vm.put("target", v.target());
        if (v.readOnly()) {
          vm.put("read_only", true);
        }
        if (!v.createHostPath()) {
          vm.put("bind", Map.of("create_host_path", false));
        }
        v.tmpfsSize().ifPresent(size -> vm.put("tmpfs", Map.of("size", size)));
        if (v.options().isEmpty()) {
          vs.add(vm);
        } else {
          vs.add(v.toShortForm().orElseThrow());
        }
      }
      m.put("volumes", vs);
    }
    if (!s.ports().isEmpty()) {
      List<Object> ps = new ArrayList<>();
      for (PortMapping p : s.ports()) {
        if (p.toShortForm().isPresent()) {
          ps.add(p.toShortForm().get());
        } else {
          Map<String, Object> pm = new LinkedHashMap<>();
          p.name().ifPresent(n -> pm.put("name", n));
          pm.put("target", p.containerPorts().toShortForm());
          p.hostPorts().ifPresent(h -> pm.put("published", h.toShortForm()));
          p.hostIp().ifPresent(h -> pm.put("host_ip", h));
          pm.put("protocol", p.protocol().value());
          p.appProtocol().ifPresent(a -> pm.put("app_protocol", a));
          p.mode().ifPresent(a -> pm.put("mode", a));
          ps.add(pm);
        }
      }
      m.put("ports", ps);
    }
    if (!s.dependsOn().isEmpty()) {
      Map<String, Object> deps = new LinkedHashMap<>();
      for (DependsOn d : s.dependsOn()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("condition", d.condition().value());
        dm.put("required", d.required());
        dm.put("restart", d.restart());
        deps.put(d.service(), dm);
      }
      m.put("depends_on", deps);
    }
    if (!s.extraHosts().isEmpty()) {
      m.put("extra_hosts", s.extraHosts());
    }
    if (!s.secrets().isEmpty()) {
      List<Object> secrets = new ArrayList<>();
      for (SecretReference r : s.secrets()) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("source", r.source());
        r.target().ifPresent(t -> rm.put("target", t));
        r.mode().ifPresent(t -> rm.put("mode", t));
        secrets.add(rm);
      }
      m.put("secrets", secrets);
    }
    s.hostname().ifPresent(h -> m.put("hostname", h));
    s.workingDir().ifPresent(h -> m.put("working_dir", h));
    if (!s.labels().isEmpty()) {
      m.put("labels", s.labels());
    }
    s.stopSignal().ifPresent(x -> m.put("stop_signal", x));
    s.stopGracePeriod().ifPresent(d -> m.put("stop_grace_period", DurationSyntax.render(d)));
    s.healthcheck().ifPresent(h -> m.put("healthcheck", healthcheck(h)));
    Map<String, Object> deploy = new LinkedHashMap<>();
    if (s.replicas() != 1) {
      deploy.put("replicas", s.replicas());
    }
    if (!s.placementConstraints().isEmpty()) {
      deploy.put("placement", Map.of("constraints", s.placementConstraints()));
    }
    s.restart()
        .ifPresent(
            r -> {
              boolean longForm =
                  r.delay().isPresent()
                      || r.window().isPresent()
                      || (r.maxAttempts().isPresent()
                          && r.condition() != RestartPolicy.Condition.ON_FAILURE);
              if (longForm) {
                Map<String, Object> rp = new LinkedHashMap<>();
                rp.put(
                    "condition",
                    switch (r.condition()) {
                      case NO -> "none";
                      case ON_FAILURE -> "on-failure";
                      case ALWAYS, UNLESS_STOPPED -> "any";
                    });
                r.delay().ifPresent(d -> rp.put("delay", DurationSyntax.render(d)));
                r.window().ifPresent(d -> rp.put("window", DurationSyntax.render(d)));
                r.maxAttempts().ifPresent(n -> rp.put("max_attempts", n));
                deploy.put("restart_policy", rp);
              } else {
                String text =
                    switch (r.condition()) {
                      case NO -> "no";
                      case ALWAYS -> "always";
                      case UNLESS_STOPPED -> "unless-stopped";
                      case ON_FAILURE -> "on-failure";
                    };
                if (r.maxAttempts().isPresent()) {
                  text += ":" + r.maxAttempts().getAsInt();
                }
                m.put("restart", text);
              }
            });
    s.limits().ifPresent(l -> deploy.put("resources", Map.of("limits", limits(l))));
    if (!deploy.isEmpty()) {
      m.put("deploy", deploy);
    }
    if (!s.gpus().isEmpty()) {
      m.put("gpus", s.gpus().stream().map(ProjectRenderer::gpu).toList());
    }
    if (!s.profiles().isEmpty()) {
      m.put("profiles", s.profiles());
    }
    m.putAll(s.extensions());
    return m;
  }

  private static Map<String, Object> limits(io.github.scompose.spec.ResourceLimits l) {
    Map<String, Object> m = new LinkedHashMap<>();
    l.cpus().ifPresent(c -> m.put("cpus", c));
    l.memoryBytes().ifPresent(b -> m.put("memory", b));
    l.pids().ifPresent(n -> m.put("pids", n));
    return m;
  }

  private static Map<String, Object> gpu(io.github.scompose.spec.GpuRequest g) {
    Map<String, Object> m = new LinkedHashMap<>();
    g.driver().ifPresent(d -> m.put("driver", d));
    m.put("count", g.count().isPresent() ? (Object) g.count().getAsLong() : "all");
    if (!g.deviceIds().isEmpty()) {
      m.put("device_ids", g.deviceIds());
    }
    if (!g.capabilities().isEmpty()) {
      m.put("capabilities", g.capabilities());
    }
    return m;
  }

  private static Map<String, Object> healthcheck(Healthcheck h) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!h.test().isEmpty()) {
      m.put("test", h.test());
    }
    h.interval().ifPresent(d -> m.put("interval", DurationSyntax.render(d)));
    h.timeout().ifPresent(d -> m.put("timeout", DurationSyntax.render(d)));
    h.retries().ifPresent(n -> m.put("retries", n));
    h.startPeriod().ifPresent(d -> m.put("start_period", DurationSyntax.render(d)));
    h.startInterval().ifPresent(d -> m.put("start_interval", DurationSyntax.render(d)));
    return m;
  }

  /** Copies {@code value} with every string value's {@code $} doubled (keys untouched). */
  private static Object escape(Object value) {
    if (value instanceof String s) {
      return s.replace("$", "$$");
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, escape(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(escape(v)));
      return out;
    }
    return value;
  }
}
