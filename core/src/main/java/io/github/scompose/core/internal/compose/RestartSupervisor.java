package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.compose.AfterStartStep;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.spec.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the restart policies of a running project: each {@link #pollOnce() round} takes ONE {@code
 * instance list} for the whole project, and starts again every instance that is gone and whose
 * policy asks for it ({@code always}/{@code any}, {@code unless-stopped}, {@code on-failure}: the
 * listing cannot tell an exit code, so a vanished instance counts as failed), not before {@code
 * delay} after its death was seen, at most {@code max_attempts} times. Restarts are counted in the
 * state file (shown by {@code ps}).
 *
 * <p>{@code window} (Compose Specification {@code deploy.restart_policy.window}: "the amount of
 * time to wait after a restart to determine whether it was successful"; a failed attempt counts
 * toward {@code max_attempts} only if the container does not stay up for the window): with a
 * window, a restart counts as failed when the instance is seen gone before {@code window} has
 * passed since that restart (on the injected clock), or when the restart command itself failed; an
 * instance still listed once the window has passed made its restart a success, which clears the
 * count of failed attempts. The policy gives up after {@code max_attempts} failed attempts in a
 * row. Without a window every restart counts at once (evaluated immediately). A one-off service
 * ({@code service_completed_successfully}) is never restarted. A restart launches the instance as
 * {@code up} did ({@code instance run} where planned), then its background steps again (the {@code
 * run instance://NAME} of a Docker image's command on a dialect without {@code instance run}).
 */
public final class RestartSupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(RestartSupervisor.class);

  private final EngineSettings s;
  private final UpPlan plan;
  private final Events events;
  private final Map<String, Instant> deathSeen = new HashMap<>();
  private final Map<String, Instant> lastRestart = new HashMap<>();
  private final Map<String, Integer> failedAttempts = new HashMap<>();
  private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
  private final Set<String> givenUp = ConcurrentHashMap.newKeySet();
  private volatile Set<String> excluded = Set.of();

  /** A supervisor of {@code plan}'s instances. */
  public RestartSupervisor(EngineSettings settings, UpPlan plan, Events events) {
    this.s = settings;
    this.plan = plan;
    this.events = events;
  }

  /** Whether any instance of {@code plan} has a policy that restarts. */
  public static boolean needed(UpPlan plan) {
    return plan.instances().stream()
        .anyMatch(
            i ->
                i.restartPolicy()
                    .map(p -> p.condition() != RestartPolicy.Condition.NO)
                    .orElse(false));
  }

  /**
   * Leaves the instances named alone from the next round on (stopped by the user: docker's rule, a
   * container stopped by hand is not restarted by its policy), until a later call no longer names
   * them. What an excluded instance's death was seen at is forgotten; the restart counts, the
   * failed attempts and the delays of every instance are kept.
   */
  public void exclude(Set<String> names) {
    this.excluded = Set.copyOf(names);
  }

  /**
   * What a round asks the project's files once it has listed, so that a change made by another
   * process while the listing ran is seen before anything is restarted ({@link Supervision}).
   */
  public interface Gate {

    /** No files: rounds restart by the policies and {@link #exclude} alone. */
    Gate NONE =
        new Gate() {
          @Override
          public boolean open() {
            return true;
          }

          @Override
          public Set<String> excluded() {
            return Set.of();
          }
        };

    /**
     * Read after the listing and again right before each restart: {@code false} ends supervision
     * ({@link #stop()}; the project was taken down).
     */
    boolean open();

    /**
     * Read after the listing, before any decision: instances not to restart in this round, besides
     * those of {@link #exclude}.
     */
    Set<String> excluded();

    /**
     * Asked when {@link #open()} said no: whether the project was taken down (its state file is
     * gone). Then the instances this supervisor started again that the round's listing still shows
     * are stopped: such a restart raced with the {@code down} of another process (which stops the
     * instances, then deletes the state file) and would outlive the project.
     */
    default boolean takenDown() {
      return false;
    }
  }

  /**
   * One supervision round, without a {@link Gate}.
   *
   * @return the instances started again in this round
   */
  public List<String> pollOnce() {
    return pollOnce(Gate.NONE);
  }

  /**
   * One supervision round: one listing, then {@code gate} ({@link Gate#open()}, {@link
   * Gate#excluded()}), then the policies; {@link Gate#open()} is asked again right before each
   * restart. A closed gate ends supervision ({@link #stop()}).
   *
   * @return the instances started again in this round
   */
  public synchronized List<String> pollOnce(Gate gate) {
    if (stopped) {
      return List.of();
    }
    Set<String> listed;
    try {
      listed = s.client().list().stream().map(InstanceInfo::name).collect(Collectors.toSet());
    } catch (SingularityException e) {
      LOG.warn("{}: cannot list instances: {}", plan.project(), e.getMessage());
      return List.of();
    }
    // what the user or another process did while the listing ran counts in this round
    if (!gate.open()) {
      end(gate, listed);
      return List.of();
    }
    Set<String> excluded = new HashSet<>(this.excluded);
    excluded.addAll(gate.excluded());
    Instant now = s.clock().instant();
    List<String> restarted = new ArrayList<>();
    for (PlannedInstance i : plan.instances()) {
      Optional<RestartPolicy> policy =
          i.restartPolicy().filter(p -> p.condition() != RestartPolicy.Condition.NO);
      if (i.oneOff().isPresent() || policy.isEmpty() || givenUp.contains(i.name())) {
        continue;
      }
      if (excluded.contains(i.name())) {
        deathSeen.remove(i.name());
        lastRestart.remove(i.name());
        continue;
      }
      RestartPolicy p = policy.get();
      if (listed.contains(i.name())) {
        deathSeen.remove(i.name());
        Instant last = lastRestart.get(i.name());
        if (last != null && p.window().isPresent() && !now.isBefore(last.plus(p.window().get()))) {
          // ran for the whole window: that restart succeeded
          lastRestart.remove(i.name());
          failedAttempts.remove(i.name());
        }
        continue;
      }
      if (!deathSeen.containsKey(i.name()) && p.window().isPresent()) {
        Instant last = lastRestart.remove(i.name());
        if (last != null && now.isBefore(last.plus(p.window().get()))) {
          failedAttempts.merge(i.name(), 1, Integer::sum);
        } else {
          failedAttempts.remove(i.name());
        }
      }
      int done = restarts.getOrDefault(i.name(), 0);
      int counted = p.window().isPresent() ? failedAttempts.getOrDefault(i.name(), 0) : done;
      if (p.maxAttempts().isPresent() && counted >= p.maxAttempts().getAsInt()) {
        givenUp.add(i.name());
        events.emit(
            ComposeEvent.Type.FAILED,
            i.service(),
            i.name(),
            "gone; restart policy gave up after "
                + done
                + " restart(s)"
                + (p.window().isPresent()
                    ? ", " + counted + " of them failed within the window " + p.window().get()
                    : ""));
        continue;
      }
      Instant seen = deathSeen.computeIfAbsent(i.name(), k -> now);
      Duration delay = p.delay().orElse(Duration.ZERO);
      if (now.isBefore(seen.plus(delay))) {
        continue;
      }
      if (!gate.open()) {
        end(gate, listed);
        break;
      }
      events.emit(
          ComposeEvent.Type.RESTARTING,
          i.service(),
          i.name(),
          "restart " + (done + 1) + " by policy");
      try {
        LevelStart.launch(s.client(), i.launch(), i.start());
        relaunch(i);
        restarts.merge(i.name(), 1, Integer::sum);
        deathSeen.remove(i.name());
        lastRestart.put(i.name(), now);
        restarted.add(i.name());
        events.emit(ComposeEvent.Type.STARTED, i.service(), i.name(), "restarted");
      } catch (SingularityException e) {
        restarts.merge(i.name(), 1, Integer::sum);
        failedAttempts.merge(i.name(), 1, Integer::sum);
        deathSeen.put(i.name(), now);
        events.emit(ComposeEvent.Type.FAILED, i.service(), i.name(), e.getMessage());
      }
    }
    if (!restarted.isEmpty()) {
      recordRestarts();
    }
    return restarted;
  }

  private void end(Gate gate, Set<String> listed) {
    stop();
    if (!gate.takenDown()) {
      return;
    }
    for (PlannedInstance i : plan.instances()) {
      if (!restarts.containsKey(i.name()) || !listed.contains(i.name())) {
        continue;
      }
      events.emit(
          ComposeEvent.Type.STOPPING,
          i.service(),
          i.name(),
          "the project was taken down while the restart policy started it again");
      try {
        s.client().stop(s.stopCommand(i.name(), StopSettings.of(i)));
        events.emit(ComposeEvent.Type.STOPPED, i.service(), i.name(), "stopped");
      } catch (SingularityException e) {
        LOG.warn("{}: cannot stop {}: {}", plan.project(), i.name(), e.getMessage());
      }
    }
  }

  /**
   * The background steps of a restarted instance, as {@code up} launched them: the {@code run
   * instance://NAME} (or {@code exec}) that runs a Docker image's command in an instance started
   * with {@code instance start}, and spec 2.0 background {@code run}s. They end with the instance;
   * {@link #stop()} cancels those still running.
   */
  private void relaunch(PlannedInstance i) {
    for (AfterStartStep step : i.afterStart()) {
      if (!step.background()) {
        continue;
      }
      RunningCommand c =
          step.command() instanceof Exec e
              ? s.client().execStreaming(e, OutputListener.discarding())
              : s.client().runStreaming((Run) step.command(), OutputListener.discarding());
      synchronized (background) {
        background.removeIf(b -> !b.isAlive());
        background.add(c);
      }
    }
  }

  private final List<RunningCommand> background = new ArrayList<>();

  private volatile boolean stopped;

  /**
   * Ends supervision: waits for a round in progress, cancels the background steps it launched;
   * later rounds do nothing.
   */
  public synchronized void stop() {
    stopped = true;
    synchronized (background) {
      background.forEach(RunningCommand::cancel);
      background.clear();
    }
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopped() {
    return stopped;
  }

  /** Restarts done so far, by instance. */
  public Map<String, Integer> restarts() {
    return Map.copyOf(restarts);
  }

  /**
   * Writes the restart counts into the state file, under the project's lock ({@link
   * StateFile#update}).
   */
  private void recordRestarts() {
    StateFile.update(
        StateFile.in(plan.stateDirectory()),
        st -> {
          List<ProjectState.Entry> entries = new ArrayList<>();
          for (ProjectState.Entry e : st.instances()) {
            int extra = restarts.getOrDefault(e.name(), 0);
            entries.add(e.withRun(e.pid(), startupRestarts(e) + extra, e.imageStamp()));
          }
          return new ProjectState(
              st.project(), st.directory(), st.session(), s.clock().instant(), entries);
        });
  }

  private final Map<String, Integer> baseRestarts = new ConcurrentHashMap<>();

  private int startupRestarts(ProjectState.Entry e) {
    return baseRestarts.computeIfAbsent(e.name(), k -> e.restarts());
  }
}
