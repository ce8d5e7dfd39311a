package io.github.scompose.core.compose;

import io.github.scompose.core.client.InstanceRun;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One instance of an {@link UpPlan}: its start command, what it waits for, its dependency level and
 * what runs in it once started.
 */
@Value.Immutable
@ValueStyle
public abstract class PlannedInstance implements WithPlannedInstance {

  /** The service. */
  public abstract String service();

  /** The instance name (see {@link InstanceNaming}). */
  public abstract String name();

  /** Replica number, 1-based. */
  public abstract int replica();

  /**
   * Dependency level, 0-based: 0 for instances without dependencies, else one more than the highest
   * level of what it depends on. Instances of one level start in parallel.
   */
  public abstract int level();

  /**
   * The start command, fully decided (flags, binds, image, name, args). When {@link
   * #runscriptInstance()} is set the instance is launched with {@code instance run} of the same
   * settings instead: use {@link #launch()} to start it.
   */
  public abstract InstanceStart start();

  /**
   * Start it with {@code instance run} (the runscript) rather than {@code instance start}: for an
   * image converted from Docker (no startscript) where the dialect has {@code instance run}
   * (Apptainer). Default {@code false}.
   */
  @Value.Default
  public boolean runscriptInstance() {
    return false;
  }

  /**
   * What starts this instance: {@link #start()}, or the {@code instance run} of the same settings
   * when {@link #runscriptInstance()}.
   */
  public SingularityCommand launch() {
    if (!runscriptInstance()) {
      return start();
    }
    return InstanceRun.of(start());
  }

  /**
   * When present, the service is not started as an instance: it runs once with this command (a
   * {@code run} or {@code exec} of its image, with its binds, environment and options, no network
   * namespace) and the instances that depend on it with {@code service_completed_successfully} wait
   * for its exit code 0 (Compose Specification {@code depends_on.condition}). Nothing of it is left
   * running, and it is not recorded in the state file.
   */
  public abstract Optional<SingularityCommand> oneOff();

  /**
   * Commands run on the host after the instance started and its {@link #afterStart()} steps ran:
   * singularity-compose spec 2.0 {@code post}.
   */
  public abstract List<HostCommand> post();

  /** What to wait for before starting, one entry per {@code depends_on} item. */
  public abstract List<DependencyWait> waits();

  /**
   * Commands run in the instance after it started, in order: singularity-compose spec 2.0 {@code
   * exec} ({@code exec instance://NAME …}) then {@code run} ({@code run instance://NAME …}).
   */
  public abstract List<AfterStartStep> afterStart();

  /**
   * The service's healthcheck (Compose Specification {@code healthcheck}), run through {@code exec}
   * when another instance waits for this one with {@code service_healthy}.
   */
  public abstract Optional<Healthcheck> healthcheck();

  /**
   * The service's Compose {@code stop_signal}, as written; empty when not given ({@code instance
   * stop} then sends {@code SIGTERM}, as Compose does, where the binary has {@code --signal}).
   */
  public abstract Optional<String> stopSignal();

  /**
   * The service's Compose {@code stop_grace_period}: {@code instance stop --timeout}, in whole
   * seconds rounded up, at least 1, where the binary has it; an explicit stop timeout ({@code down
   * -t}) wins. Empty when not given (the binary's default, 10 s in SingularityCE 3.4.2).
   */
  public abstract Optional<java.time.Duration> stopGracePeriod();

  /**
   * The service's restart policy (Compose {@code restart} / {@code deploy.restart_policy}), kept by
   * the supervisor of the {@link ComposeStack} while it is open.
   */
  public abstract Optional<RestartPolicy> restartPolicy();

  /**
   * A new, empty builder of {@link PlannedInstance}.
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
   * Builds a {@link PlannedInstance}; get one from {@link PlannedInstance#builder()} or {@link
   * PlannedInstance#toBuilder()}.
   */
  public static final class Builder extends ImmutablePlannedInstance.Builder {
    Builder() {}
  }
}
