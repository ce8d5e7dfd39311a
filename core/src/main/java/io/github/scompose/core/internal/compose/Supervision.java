package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.spec.RestartPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restart policies of an open project handle, minus the instances the user stopped and the
 * instances the project no longer holds.
 *
 * <p>Each round lists first, then reads the project's files, so that a change another process made
 * while the listing ran counts before anything is restarted:
 *
 * <ul>
 *   <li>{@code state.json}: when it is gone ({@code down}, from any process; an instance this
 *       supervision started again that is still listed then is stopped, as the restart raced with
 *       that {@code down}), when another session wrote it (another process's {@code up} took the
 *       project over; the session is the one the file named when supervision began) or when it no
 *       longer records any supervised instance, supervision ends for good ({@link #stopped()}; the
 *       handle's polling loop ends with it). An instance it no longer records is not restarted. It
 *       is read again right before each restart.
 *   <li>the stopped marks of {@link InstanceRecords} ({@code instances.json}, set by {@code stop}
 *       from any process, cleared by {@code start}): those instances are excluded (docker's rule: a
 *       container stopped by hand is not restarted by its policy). The file is parsed again only
 *       when its size, modification time or file key changed.
 * </ul>
 *
 * One {@link RestartSupervisor} serves the whole life of the handle, so a change of the marks keeps
 * the delays, {@code max_attempts} and window counting of every instance.
 */
public final class Supervision {

  private static final Logger LOG = LoggerFactory.getLogger(Supervision.class);

  private final UpPlan plan;
  private final RestartSupervisor current;
  private final Optional<String> session;
  private final Set<String> supervised = new HashSet<>();
  private Set<String> marks = Set.of();
  private Object marksStamp;
  private volatile boolean stopped;

  /**
   * Supervision of {@code plan}'s instances; the session is the one {@code state.json} names now
   * (the {@code up} or {@code create} that just wrote it).
   */
  public Supervision(EngineSettings settings, UpPlan plan, Events events) {
    this.plan = plan;
    this.session = readState().map(ProjectState::session);
    for (PlannedInstance i : plan.instances()) {
      if (i.oneOff().isEmpty()
          && i.restartPolicy()
              .map(p -> p.condition() != RestartPolicy.Condition.NO)
              .orElse(false)) {
        supervised.add(i.name());
      }
    }
    // the stopped marks are read in every round, after the listing (FilesGate#excluded)
    this.current = new RestartSupervisor(settings, plan, events);
  }

  /**
   * The supervision of {@code plan}'s restart policies, or {@code null} when no service has one;
   * unless {@code interval} is zero, its rounds run every {@code interval} on a daemon thread of
   * its own until {@link #stop()}.
   */
  public static Supervision start(EngineSettings settings, UpPlan plan, Duration interval) {
    Supervision supervision = null;
    if (Supervision.needed(plan)) {
      Events events = new Events(plan.project(), settings.listeners(), settings.clock());
      supervision = new Supervision(settings, plan, events);
      if (!interval.isZero()) {
        Supervision sup = supervision;
        // its own daemon thread, never one of the work executor: the loop lasts as long as the
        // handle, and would hold a thread of a bounded pool that up, stop or down wait for
        Thread loop =
            new Thread(
                () -> {
                  while (!sup.stopped()) {
                    try {
                      settings.sleeper().sleep(interval);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    try {
                      sup.pollOnce();
                    } catch (RuntimeException e) {
                      LOG.warn("{}: supervision round failed: {}", plan.project(), e.toString());
                    }
                  }
                },
                "scompose-supervisor-" + plan.project());
        loop.setDaemon(true);
        loop.start();
      }
    }
    return supervision;
  }

  /** Whether {@code plan} has a policy that restarts. */
  public static boolean needed(UpPlan plan) {
    return RestartSupervisor.needed(plan);
  }

  private Optional<ProjectState> readState() {
    try {
      return StateFile.read(StateFile.in(plan.stateDirectory()));
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot read the state file: {}", plan.project(), e.getMessage());
      return Optional.empty();
    }
  }

  /** The stopped marks, parsed again only when {@code instances.json} changed. */
  private Set<String> marks() {
    Path file = plan.stateDirectory().resolve(InstanceRecords.NAME);
    Object stamp;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      stamp = List.of(a.size(), a.lastModifiedTime(), Objects.toString(a.fileKey()));
    } catch (NoSuchFileException e) {
      stamp = "absent";
    } catch (IOException e) {
      LOG.warn("{}: cannot read the stopped marks: {}", plan.project(), e.getMessage());
      return marks;
    }
    if (stamp.equals(marksStamp)) {
      return marks;
    }
    try {
      marks =
          InstanceRecords.read(plan.stateDirectory())
              .map(InstanceRecords.Content::stopped)
              .orElse(Set.of());
      marksStamp = stamp;
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot read the stopped marks: {}", plan.project(), e.getMessage());
    }
    return marks;
  }

  /** The gate of one round: reads the files after the listing. */
  private final class FilesGate implements RestartSupervisor.Gate {
    private Set<String> notRecorded = Set.of();
    private boolean gone;

    @Override
    public boolean takenDown() {
      return gone;
    }

    @Override
    public boolean open() {
      Optional<ProjectState> state;
      try {
        state = StateFile.read(StateFile.in(plan.stateDirectory()));
      } catch (RuntimeException e) {
        return end("the state file cannot be read: " + e.getMessage());
      }
      if (state.isEmpty()) {
        gone = true;
        return end("the state file is gone (the project was taken down)");
      }
      if (session.isEmpty() || !session.get().equals(state.get().session())) {
        return end(
            "the state file is another session's ("
                + state.get().session()
                + "; supervision began with "
                + session.orElse("none")
                + ")");
      }
      Set<String> recorded = new HashSet<>();
      state.get().instances().forEach(e -> recorded.add(e.name()));
      Set<String> missing = new HashSet<>(supervised);
      missing.removeAll(recorded);
      if (missing.equals(supervised)) {
        return end("the state file records none of the supervised instances");
      }
      notRecorded = missing;
      return true;
    }

    @Override
    public Set<String> excluded() {
      Set<String> out = new HashSet<>(marks());
      out.addAll(notRecorded);
      return out;
    }
  }

  private boolean end(String why) {
    LOG.info("{}: restart supervision ends: {}", plan.project(), why);
    stopped = true;
    return false;
  }

  /**
   * One round: one {@link RestartSupervisor#pollOnce(RestartSupervisor.Gate)} whose gate reads the
   * files after the listing (see the class comment). Ends supervision when the project is gone.
   *
   * @return the instances started again
   */
  public synchronized List<String> pollOnce() {
    if (stopped) {
      return List.of();
    }
    List<String> restarted = current.pollOnce(new FilesGate());
    if (stopped) {
      current.stop();
    }
    return restarted;
  }

  /** Ends supervision; later rounds do nothing. */
  public synchronized void stop() {
    stopped = true;
    current.stop();
  }

  /** Whether supervision ended: {@link #stop()} was called, or the project is gone. */
  public boolean stopped() {
    return stopped;
  }
}
