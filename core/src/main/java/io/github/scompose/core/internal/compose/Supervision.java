package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.ImmutableUpPlan;
import io.github.scompose.core.compose.UpPlan;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restart policies of an open project handle, minus the instances the user stopped: before each
 * round it reads the stopped marks of {@link InstanceRecords} (set by {@code stop} from any
 * process, cleared by {@code start}) and, when they changed, supervises a plan without those
 * instances (docker's rule: a container stopped by hand is not restarted by its policy). A change
 * of the marks starts a fresh {@link RestartSupervisor}, so its delays and {@code max_attempts}
 * count again from there; restart counts already in the state file are kept.
 */
public final class Supervision {

  private static final Logger LOG = LoggerFactory.getLogger(Supervision.class);

  private final EngineSettings s;
  private final UpPlan plan;
  private final Events events;
  private RestartSupervisor current;
  private Set<String> excluded;
  private volatile boolean stopped;

  /** Supervision of {@code plan}'s instances, excluding those {@code stopped} already. */
  public Supervision(EngineSettings settings, UpPlan plan, Events events) {
    this.s = settings;
    this.plan = plan;
    this.events = events;
    this.excluded = marks();
    this.current = supervisor(excluded);
  }

  /** Whether {@code plan} has a policy that restarts. */
  public static boolean needed(UpPlan plan) {
    return RestartSupervisor.needed(plan);
  }

  private Set<String> marks() {
    try {
      return InstanceRecords.read(plan.stateDirectory())
          .map(InstanceRecords.Content::stopped)
          .orElse(Set.of());
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot read the stopped marks: {}", plan.project(), e.getMessage());
      return excluded == null ? Set.of() : excluded;
    }
  }

  private RestartSupervisor supervisor(Set<String> without) {
    List<io.github.scompose.core.compose.PlannedInstance> kept =
        plan.instances().stream().filter(i -> !without.contains(i.name())).toList();
    return new RestartSupervisor(s, ImmutableUpPlan.copyOf(plan).withInstances(kept), events);
  }

  /**
   * One round: the marks, then one {@link RestartSupervisor#pollOnce()}.
   *
   * @return the instances started again
   */
  public synchronized List<String> pollOnce() {
    if (stopped) {
      return List.of();
    }
    Set<String> now = marks();
    if (!now.equals(excluded)) {
      current.stop();
      excluded = now;
      current = supervisor(now);
    }
    return current.pollOnce();
  }

  /** Ends supervision; later rounds do nothing. */
  public synchronized void stop() {
    stopped = true;
    current.stop();
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopped() {
    return stopped;
  }
}
