package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.UpPlan;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restart policies of an open project handle, minus the instances the user stopped: before each
 * round it reads the stopped marks of {@link InstanceRecords} (set by {@code stop} from any
 * process, cleared by {@code start}) and {@linkplain RestartSupervisor#exclude excludes} those
 * instances (docker's rule: a container stopped by hand is not restarted by its policy). One {@link
 * RestartSupervisor} serves the whole life of the handle, so a change of the marks keeps the
 * delays, {@code max_attempts} and window counting of every instance.
 */
public final class Supervision {

  private static final Logger LOG = LoggerFactory.getLogger(Supervision.class);

  private final UpPlan plan;
  private final RestartSupervisor current;
  private Set<String> excluded;
  private volatile boolean stopped;

  /** Supervision of {@code plan}'s instances, excluding those {@code stopped} already. */
  public Supervision(EngineSettings settings, UpPlan plan, Events events) {
    this.plan = plan;
    this.excluded = marks();
    this.current = new RestartSupervisor(settings, plan, events);
    current.exclude(excluded);
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

  /**
   * One round: the marks, then one {@link RestartSupervisor#pollOnce()}.
   *
   * @return the instances started again
   */
  public synchronized List<String> pollOnce() {
    if (stopped) {
      return List.of();
    }
    excluded = marks();
    current.exclude(excluded);
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
