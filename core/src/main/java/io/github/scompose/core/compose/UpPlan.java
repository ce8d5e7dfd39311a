package io.github.scompose.core.compose;

import io.github.scompose.core.client.InstanceList;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.network.NetworkPlan;
import io.github.scompose.network.PlannedFile;
import io.github.scompose.style.ValueStyle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.immutables.value.Value;

/**
 * Everything {@code up} will do, decided before anything runs (plan, then execute): the images to
 * pull or build, the files to write into the state directory, and per instance its {@link
 * io.github.scompose.core.client.InstanceStart}, waits and dependency level. Made by {@link
 * UpPlanner}; executed by {@link Compose#up(UpPlan)}.
 *
 * <p>{@link #dryRun(SingularityClient)} prints each binary invocation of a successful {@code up},
 * one per line, in order.
 */
@Value.Immutable
@ValueStyle
public abstract class UpPlan implements WithUpPlan {

  /** The project name. */
  public abstract String project();

  /** The project directory (absolute). */
  public abstract Path directory();

  /** The state directory: {@code <directory>/.scompose} by default (see {@link PlanOptions}). */
  public abstract Path stateDirectory();

  /** How instances were named. */
  public abstract InstanceNaming naming();

  /** The network plan the starts were made from. */
  public abstract NetworkPlan network();

  /** Files written into {@link #stateDirectory()} before any start (hosts, resolver). */
  public abstract List<PlannedFile> files();

  /** Folders created (when missing) before any start: named volumes. Never deleted by down. */
  public abstract List<Path> volumeDirectories();

  /**
   * Bind sources (absolute host paths) to create as directories where the binary runs when nothing
   * is there yet, before any start: the binds whose {@code bind.create_host_path} is on (implied by
   * the short syntax; Compose Specification {@code services.volumes}). Something already at the
   * path is left as it is; none is ever deleted. Binds without it are left to the binary, whose
   * error names a missing source.
   */
  public abstract List<Path> hostPathDirectories();

  /** Images to pull or build first, one per service that needs one. */
  public abstract List<ImageStep> images();

  /** Every instance, ordered by level, then by the project's service order, then replica. */
  public abstract List<PlannedInstance> instances();

  /** Things the user should know (network notes, ignored keys). */
  public abstract List<String> notes();

  /**
   * The services the project's files define (all of them, also those not planned), when {@code up}
   * is to stop the instances of other services the project recorded ({@link
   * PlanOptions#removeOrphans()}); empty otherwise: nothing is an orphan.
   */
  public abstract java.util.Set<String> orphansUnless();

  /** The instances grouped by {@link PlannedInstance#level()}: element {@code k} is level k. */
  @Value.Derived
  @Value.Auxiliary
  public List<List<PlannedInstance>> levels() {
    List<List<PlannedInstance>> out = new ArrayList<>();
    for (PlannedInstance i : instances()) {
      while (out.size() <= i.level()) {
        out.add(new ArrayList<>());
      }
      out.get(i.level()).add(i);
    }
    return out.stream().map(List::copyOf).toList();
  }

  /**
   * The instance named {@code name}.
   *
   * @throws IllegalArgumentException when the plan has none
   */
  public PlannedInstance instance(String name) {
    return instances().stream()
        .filter(i -> i.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no instance '" + name + "' in " + project()));
  }

  /**
   * The binary invocations of a successful {@code up}, one per line, as {@code client} would run
   * them: image steps, then per level the one-off runs ({@code service_completed_successfully}
   * dependencies), the starts, one {@code instance list} (the startup check), the after-start steps
   * and the host's {@code post} commands (prefixed {@code (host, in DIR)}). Arguments with blanks
   * or quotes are single-quoted shell-style; environment values never appear.
   */
  public String dryRun(SingularityClient client) {
    StringBuilder out = new StringBuilder();
    for (ImageStep s : images()) {
      line(out, client.dryRun(s.command()));
    }
    for (List<PlannedInstance> level : levels()) {
      boolean started = false;
      for (PlannedInstance i : level) {
        if (i.oneOff().isPresent()) {
          line(out, client.dryRun(i.oneOff().get()));
        }
      }
      for (PlannedInstance i : level) {
        if (i.oneOff().isEmpty()) {
          line(out, client.dryRun(i.launch()));
          started = true;
        }
      }
      if (started) {
        line(out, client.dryRun(InstanceList.all()));
      }
      for (PlannedInstance i : level) {
        for (AfterStartStep s : i.afterStart()) {
          line(out, client.dryRun(s.command()));
        }
        for (HostCommand h : i.post()) {
          out.append("(host, in ")
              .append(h.workingDirectory())
              .append(") ")
              .append(CommandLines.join(h.argv()))
              .append('\n');
        }
      }
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> argv) {
    out.append(CommandLines.join(argv)).append('\n');
  }

  /**
   * A new, empty builder of {@link UpPlan}.
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
   * Builds a {@link UpPlan}; get one from {@link UpPlan#builder()} or {@link UpPlan#toBuilder()}.
   */
  public static final class Builder extends ImmutableUpPlan.Builder {
    Builder() {}
  }
}
