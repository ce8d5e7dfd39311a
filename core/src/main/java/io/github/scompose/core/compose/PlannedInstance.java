package io.github.scompose.core.compose;

import io.github.scompose.core.client.InstanceStart;
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
public abstract class PlannedInstance {

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

  /** The start command, fully decided (flags, binds, image, name, args). */
  public abstract InstanceStart start();

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
   * The service's restart policy (Compose {@code restart} / {@code deploy.restart_policy}), kept by
   * the supervisor of the {@link ComposeStack} while it is open.
   */
  public abstract Optional<RestartPolicy> restartPolicy();
}
