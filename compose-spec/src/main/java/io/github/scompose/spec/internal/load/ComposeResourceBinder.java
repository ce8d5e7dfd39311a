package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.GpuRequest;
import io.github.scompose.spec.ResourceLimits;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.internal.syntax.ByteSyntax;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.util.List;
import java.util.Optional;

/**
 * The resource keys of one Compose Specification service: {@code cpus}, {@code mem_limit}, {@code
 * pids_limit}, {@code gpus} and {@code deploy.resources} ({@code limits}, {@code
 * reservations.devices}). Part of {@link ComposeBinder}.
 */
final class ComposeResourceBinder {

  private final Nodes nodes;

  ComposeResourceBinder(Nodes nodes) {
    this.nodes = nodes;
  }

  /** One limit as read, with where it was written (for the conflict error). */
  private record Read<T>(T value, YNode node, String path) {}

  /**
   * Service-level {@code cpus}, {@code mem_limit}, {@code pids_limit} and {@code gpus}, and {@code
   * deploy.resources} ({@code limits}, {@code reservations.devices}). A limit given at both places
   * with distinct values is an error (compose-go: "can't set distinct values"); {@code 0} (and
   * {@code -1} for memory and pids) means no limit, as in compose-go.
   */
  void resources(YMap m, String path, ServiceSpec.Builder b) {
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
