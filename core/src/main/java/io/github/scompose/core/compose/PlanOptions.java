package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import java.util.Set;
import org.immutables.value.Value;

/** Choices of the user that shape an {@link UpPlan}. Every value has a default. */
@Value.Immutable
@ValueStyle
public abstract class PlanOptions implements WithPlanOptions {

  /** Default {@link #stateDirectoryName()}: {@code .scompose}. */
  public static final String STATE_DIRECTORY = ".scompose";

  /** Instance names; default {@link InstanceNaming#PROJECT}. */
  @Value.Default
  public InstanceNaming naming() {
    return InstanceNaming.PROJECT;
  }

  /**
   * Only these services and what they depend on (transitively), like {@code docker compose up web};
   * default: empty, meaning all.
   */
  public abstract Set<String> services();

  /**
   * Active Compose profiles ({@code --profile}); default: empty, meaning the engine's ({@link
   * Compose.Builder#profiles}; with the default wiring, the variable {@code COMPOSE_PROFILES}). A
   * service with {@code profiles} is planned only when one of them is active or it is named in
   * {@link #services()}; {@code *} activates every profile (see {@link
   * io.github.scompose.spec.ComposeProject#withProfiles}).
   */
  public abstract Set<String> profiles();

  /**
   * Folder under the project directory for the state file, the hosts and resolver files and named
   * volumes; default {@value #STATE_DIRECTORY}.
   */
  @Value.Default
  public String stateDirectoryName() {
    return STATE_DIRECTORY;
  }

  /**
   * Pass {@code --writable-tmpfs} to every start, as singularity-compose 0.1.19 does; default
   * {@code true}.
   */
  @Value.Default
  public boolean writableTmpfs() {
    return true;
  }

  /**
   * Plan singularity-compose 0.1.19's {@code instance start} lines wherever they differ from ours
   * only in what they set, not in what works (the CLI's {@code --compat singularity-compose}):
   * every instance gets {@code --hostname <instance>}, also one with {@code network.enable: false}
   * (a UTS namespace without a network namespace), as 0.1.19 does. The deliberate differences
   * listed in {@link UpPlanner} stay. Default {@code false}.
   */
  @Value.Default
  public boolean referenceCompatible() {
    return false;
  }

  /**
   * Start the dependencies of {@link #services()} too (default {@code true}); {@code false} is
   * {@code docker compose up --no-deps}: only the named services are planned, and their {@code
   * depends_on} waits on services outside the plan are left out (a dependency running from an
   * earlier {@code up} is neither waited for nor restarted).
   */
  @Value.Default
  public boolean dependencies() {
    return true;
  }

  /**
   * Stop the instances the project recorded for services its files no longer define, and forget
   * them ({@code docker compose up --remove-orphans}); default {@code false}: they keep running,
   * recorded, and {@code down} stops them.
   */
  @Value.Default
  public boolean removeOrphans() {
    return false;
  }

  /**
   * The replica numbers to plan, per service name; a service not named gets {@code 1..replicas}
   * (default: empty map). Across nodes, each node's engine plans only the replicas placed on it,
   * keeping their project-wide numbers (and so their names).
   */
  public abstract java.util.Map<String, java.util.List<Integer>> replicaNumbers();

  /** The defaults. */
  public static PlanOptions defaults() {
    return PlanOptions.builder().build();
  }

  /**
   * A new, empty builder of {@link PlanOptions}.
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
   * Builds a {@link PlanOptions}; get one from {@link PlanOptions#builder()} or {@link
   * PlanOptions#toBuilder()}.
   */
  public static final class Builder extends ImmutablePlanOptions.Builder {
    Builder() {}
  }
}
