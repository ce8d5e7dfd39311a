package io.github.scompose.core.compose;

import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.spec.GpuRequest;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.ResourceLimits;
import io.github.scompose.spec.ServiceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The GPUs and resource limits of {@link UpPlanner}: {@code --nv}/{@code --rocm}, {@code
 * --cpus}/{@code --memory}/{@code --pids-limit} or a generated {@code --apply-cgroups} file.
 */
final class ResourcePlanning {

  private ResourcePlanning() {}

  /** Period of the CPU quota in a generated cgroups file, in µs (the kernel's default). */
  static final long CPU_PERIOD_MICROS = 100_000;

  /** Smallest CPU quota the kernel accepts, in µs. */
  static final long MIN_CPU_QUOTA_MICROS = 1_000;

  /**
   * Compose GPU requests and resource limits on a start. GPUs ({@code gpus}, {@code
   * deploy.resources.reservations.devices} with capability {@code gpu}): driver {@code nvidia} or
   * none → {@code --nv}, {@code amd} → {@code --rocm} (where the dialect has it), any other driver
   * is refused; a {@code count} or {@code device_ids} is noted as not enforced ({@code --nv} and
   * {@code --rocm} expose every GPU of the host). Limits ({@code cpus}, {@code mem_limit}, {@code
   * pids_limit}, {@code deploy.resources.limits}): {@code --cpus}/{@code --memory}/{@code
   * --pids-limit} where the dialect has them ({@link Dialect#supportsResourceFlags()}); else, as
   * root, {@code --apply-cgroups <state>/cgroups-<instance>.toml} with a generated file (a {@link
   * UpPlan#files()} entry, written atomically into the state directory before the starts) where the
   * launch subcommand has {@code --apply-cgroups} (SingularityCE 3.4.2: recorded); else {@link
   * IllegalArgumentException} naming the service and the keys, before anything starts.
   */
  static void resources(
      ServiceSpec s,
      String instance,
      RuntimeFacts facts,
      String launchWord,
      Path state,
      InstanceStart.Builder start,
      UpPlan.Builder plan,
      Set<String> noted) {
    Dialect dialect = facts.dialect();
    List<String> startOptions = s.start().map(Invocation::options).orElse(List.of());
    for (GpuRequest g : s.gpus()) {
      String driver = g.driver().orElse("nvidia").toLowerCase(Locale.ROOT);
      switch (driver) {
        case "nvidia" -> {
          if (!startOptions.contains("nv") && !startOptions.contains("--nv")) {
            start.nv(true);
          }
        }
        case "amd" -> {
          if (!dialect.supportsRocm()) {
            throw new IllegalArgumentException(
                "service '"
                    + s.name()
                    + "': gpus with driver amd need --rocm, which "
                    + dialect.version().format()
                    + " has not (SingularityCE 3.5+, Apptainer)");
          }
          if (!startOptions.contains("rocm") && !startOptions.contains("--rocm")) {
            start.rocm(true);
          }
        }
        default ->
            throw new IllegalArgumentException(
                "service '"
                    + s.name()
                    + "': GPU driver '"
                    + g.driver().orElse("")
                    + "' is not supported; use nvidia (--nv) or amd (--rocm)");
      }
      if ((g.count().isPresent() || !g.deviceIds().isEmpty()) && noted.add(s.name() + "/gpus")) {
        plan.addNotes(
            "service '"
                + s.name()
                + "': "
                + (g.deviceIds().isEmpty()
                    ? "count " + g.count().getAsLong()
                    : "device_ids " + String.join(",", g.deviceIds()))
                + " is not enforced: "
                + (driver.equals("amd") ? "--rocm" : "--nv")
                + " exposes every GPU of the host (set "
                + (driver.equals("amd") ? "ROCR_VISIBLE_DEVICES" : "CUDA_VISIBLE_DEVICES")
                + " in the environment to narrow them)");
      }
    }
    if (s.limits().isEmpty() || s.limits().get().isEmpty()) {
      return;
    }
    ResourceLimits limits = s.limits().get();
    if (dialect.supportsResourceFlags()) {
      limits.cpus().ifPresent(start::cpus);
      limits.memoryBytes().ifPresent(start::memory);
      limits.pids().ifPresent(start::pidsLimit);
      return;
    }
    String keys = limitKeys(limits);
    if (!dialect.supportsApplyCgroups() || !dialect.supportsOption(launchWord, "--apply-cgroups")) {
      throw new IllegalArgumentException(
          "service '"
              + s.name()
              + "': "
              + keys
              + " cannot be applied: "
              + dialect.version().format()
              + " "
              + launchWord
              + " has neither --cpus/--memory/--pids-limit nor --apply-cgroups");
    }
    if (!facts.root() && !dialect.supportsRootlessCgroups()) {
      throw new IllegalArgumentException(
          "service '"
              + s.name()
              + "': "
              + keys
              + " need --apply-cgroups, which "
              + dialect.version().format()
              + " allows only as root (run as root, or use SingularityCE 3.10+ / Apptainer 1.1+"
              + " with --cpus/--memory/--pids-limit, or remove the limits)");
    }
    String fileName = "cgroups-" + instance + ".toml";
    plan.addFiles(
        io.github.scompose.network.PlannedFile.builder()
            .fileName(fileName)
            .content(cgroupsToml(s, instance, limits))
            .build());
    start.applyCgroups(state.resolve(fileName).toString());
  }

  /** The keys that set {@code limits}, for messages: {@code cpus, mem_limit, pids_limit}. */
  static String limitKeys(ResourceLimits limits) {
    List<String> keys = new ArrayList<>();
    limits.cpus().ifPresent(c -> keys.add("cpus"));
    limits.memoryBytes().ifPresent(c -> keys.add("mem_limit"));
    limits.pids().ifPresent(c -> keys.add("pids_limit"));
    return "the limits "
        + String.join(", ", keys)
        + " (or deploy.resources.limits."
        + String.join("/", keys.stream().map(ResourcePlanning::deployKey).toList())
        + ")";
  }

  static String deployKey(String key) {
    return switch (key) {
      case "mem_limit" -> "memory";
      case "pids_limit" -> "pids";
      default -> key;
    };
  }

  /**
   * A cgroups file for {@code --apply-cgroups} (the TOML form of the OCI runtime spec's {@code
   * LinuxResources}, as in the Singularity 3.x user guide, "Limiting container resources with
   * cgroups"): {@code [cpu] period}/{@code quota} in µs ({@code quota = cpus × period}, at least
   * {@value #MIN_CPU_QUOTA_MICROS} µs), {@code [memory] limit} in bytes, {@code [pids] limit}.
   */
  static String cgroupsToml(ServiceSpec s, String instance, ResourceLimits limits) {
    StringBuilder out = new StringBuilder();
    out.append("# cgroup limits of service ")
        .append(s.name())
        .append(" (instance ")
        .append(instance)
        .append("), written by scompose for --apply-cgroups\n");
    limits
        .cpus()
        .ifPresent(
            c ->
                out.append("[cpu]\n    period = ")
                    .append(CPU_PERIOD_MICROS)
                    .append("\n    quota = ")
                    .append(Math.max(MIN_CPU_QUOTA_MICROS, Math.round(c * CPU_PERIOD_MICROS)))
                    .append('\n'));
    limits
        .memoryBytes()
        .ifPresent(m -> out.append("[memory]\n    limit = ").append(m).append('\n'));
    limits.pids().ifPresent(n -> out.append("[pids]\n    limit = ").append(n).append('\n'));
    return out.toString();
  }
}
