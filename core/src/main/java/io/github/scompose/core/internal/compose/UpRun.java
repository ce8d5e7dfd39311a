package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.AfterStartStep;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.compose.DependencyWait;
import io.github.scompose.core.compose.HostCommand;
import io.github.scompose.core.compose.ImageStep;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.errors.InstanceAlreadyExistsException;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.internal.client.SecretMasker;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.TransportException;
import io.github.scompose.spec.DependsOn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes an {@link UpPlan}: writes the planned files, gets images, then level by level starts the
 * instances in parallel, checks them with one listing per round (retrying dead ones), waits for
 * healthchecks, runs after-start steps, and records the state before each level's starts (its
 * instances marked {@code starting}: write-ahead, so a JVM that dies during the starts leaves them
 * recorded) and after them. The instance records ({@code instances.json}) are written before the
 * first start. A start that meets an instance of the project's own name ("already exists") that the
 * previous state or records name (or any, when a damaged state file was set aside) adopts it when
 * its recorded digest matches, else stops and starts it again; an instance no record names is
 * another project's, and the start fails. A damaged state or records file is kept as {@code .bak}
 * and the run goes on as if there were none. Entries of an earlier up that this plan does not have
 * (an {@code up SERVICE}) and that still run (or were stopped by the user) stay recorded. On any
 * failure stops what it started (highest level first; an instance whose start threw counts as
 * started), then either writes back the earlier up's state and records (a repeat up: its instances
 * keep running, recorded, with their leases) or releases the leases and removes the state and
 * records files, and throws {@link ComposeUpException}.
 */
public final class UpRun extends UpRollback {

  private static final Logger LOG = LoggerFactory.getLogger(UpRun.class);

  /** The plan's notes go to the events' logger ({@link ComposeEvent#LOGGER}). */
  static final Logger NOTES = LoggerFactory.getLogger(ComposeEvent.LOGGER);

  /**
   * What a successful up leaves behind.
   *
   * @param state the state written to the state file
   * @param background after-start steps still running in the background
   */
  public record Result(ProjectState state, List<RunningCommand> background) {}

  /** A run of {@code plan}; {@code session} names this process in the state file. */
  public UpRun(EngineSettings settings, UpPlan plan, Events events, String session) {
    super(settings, plan, events, session);
    this.levelStart =
        new LevelStart<>(
            settings,
            events,
            new LevelStart.Instances<PlannedInstance>() {
              @Override
              public String name(PlannedInstance i) {
                return i.name();
              }

              @Override
              public String service(PlannedInstance i) {
                return i.service();
              }

              @Override
              public StopSettings stop(PlannedInstance i) {
                return StopSettings.of(i);
              }

              @Override
              public Optional<RuntimeException> exhausted(
                  PlannedInstance i, int attempts, String logs) {
                return UpRun.this.exhausted(i, attempts, logs);
              }
            });
  }

  /** The one start path: announce, confirm by one listing, retry ({@link LevelStart}). */
  private final LevelStart<PlannedInstance> levelStart;

  /** Whether {@link #readAhead} ran. */
  private boolean readAhead;

  /**
   * Runs the plan.
   *
   * @throws ComposeUpException when anything failed (after the rollback)
   */
  public Result run() {
    try {
      LOG.info(
          "{}: network {} ({})", plan.project(), plan.network().mode(), plan.network().reason());
      plan.notes().forEach(n -> NOTES.warn("{}: {}", plan.project(), n));
      readPrevious();
      removeOrphans();
      prepare();
      Parallel.forEach(s.executor(), s.parallelism(), plan.images(), this::image);
      stampImages();
      // records first: a JVM that dies after this leaves a state file whose records exist
      writeRecords();
      if (!firstLevelWritesAheadNext()) {
        writeState();
      }
      // starts are confirmed by one listing at the end (N starts + 1 listing), earlier only where
      // a healthcheck gate or an after-start step needs its instances running
      List<PlannedInstance> unconfirmed = new ArrayList<>();
      List<List<PlannedInstance>> levels = plan.levels();
      for (int n = 0; n < levels.size(); n++) {
        List<PlannedInstance> level = levels.get(n);
        if (needsConfirmation(level, unconfirmed)) {
          confirm(unconfirmed);
          unconfirmed.clear();
          writeState();
        }
        Parallel.forEach(s.executor(), s.parallelism(), level, this::awaitDependencies);
        List<PlannedInstance> oneOffs = level.stream().filter(i -> i.oneOff().isPresent()).toList();
        List<PlannedInstance> instances = level.stream().filter(i -> i.oneOff().isEmpty()).toList();
        Parallel.forEach(s.executor(), s.parallelism(), oneOffs, this::runOneOff);
        unconfirmed.addAll(startLevel(instances));
        if (instances.stream().anyMatch(i -> !i.afterStart().isEmpty())) {
          confirm(unconfirmed);
          unconfirmed.clear();
        }
        if (n < levels.size() - 1 || unconfirmed.isEmpty()) {
          // after the last level, the confirmation below writes the state: a write here would be
          // replaced tens of milliseconds later (the write-ahead already names every instance)
          writeState();
        }
        Parallel.forEach(s.executor(), s.parallelism(), instances, this::afterStart);
      }
      if (!unconfirmed.isEmpty()) {
        confirm(unconfirmed);
        writeState();
      }
      return new Result(state(), List.copyOf(background));
    } catch (RuntimeException e) {
      ComposeUpException failure = asUpException(e);
      events.emit(ComposeEvent.Type.FAILED, null, failure.instance(), failure.getMessage());
      throw rollback(failure);
    }
  }

  /**
   * Whether the first level's write-ahead ({@link #startLevel}) is the next thing this up does,
   * with nothing that runs, waits or stops before it: a fresh up (no instances of a previous up, so
   * no reconciliation), a first level of instances only (no one-off) that wait for nothing. Then
   * the state written after the records would be replaced a few milliseconds later by one that also
   * names the level's instances as starting: it is left out (one state write before the first
   * start, not two). A JVM that dies in between leaves the records without a state file, or the
   * previous up's state that names no instance, the harmless case of {@link ProjectStore}.
   */
  private boolean firstLevelWritesAheadNext() {
    if (!previous.isEmpty() || plan.levels().isEmpty()) {
      return false;
    }
    List<PlannedInstance> first = plan.levels().get(0);
    return !first.isEmpty()
        && first.stream().allMatch(i -> i.oneOff().isEmpty() && i.waits().isEmpty());
  }

  // ---- preparation ------------------------------------------------------------------------------

  private void prepare() {
    StatePreparation.prepare(s.client().transport(), plan);
    for (PlannedInstance i : plan.instances()) {
      for (Bind b : i.start().binds()) {
        if (OperationFailures.isSecret(b)) {
          checkOwnerOnly(i.name(), b.source());
        }
      }
    }
  }

  /**
   * Secrets must be owner-only (singularity-stack refuses others too), checked where the binary
   * runs ({@link OperationFailures#secretProblem}).
   */
  private void checkOwnerOnly(String instance, String file) {
    java.util.Optional<String> problem =
        OperationFailures.secretProblem(s.client().transport(), file);
    if (problem.isPresent()) {
      throw new ComposeUpException(
          instance, problem.get(), List.of(), OptionalInt.empty(), "", null);
    }
  }

  private void image(ImageStep step) {
    if (s.client().transport().readFile(step.destination(), Long.MAX_VALUE).isPresent()) {
      events.emit(
          ComposeEvent.Type.IMAGE_READY, step.service(), null, step.destination() + " exists");
      return;
    }
    boolean pull = ImageSteps.announce(events, step, step.command());
    try {
      s.client().execute(step.command());
    } catch (SingularityException e) {
      throw failed(step.service(), (pull ? "pull" : "build") + " failed", step.command(), e, "");
    }
    events.emit(ComposeEvent.Type.IMAGE_READY, step.service(), null, step.destination());
  }

  // ---- dependencies -----------------------------------------------------------------------------

  private void awaitDependencies(PlannedInstance i) {
    health.awaitDependencies(i.name(), i.waits());
    for (DependencyWait w : i.waits()) {
      if (w.condition() == DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY) {
        // one-offs run at a lower level, so they have finished by now
        for (String dep : w.instances()) {
          Integer exit = completed.get(dep);
          if (exit == null || exit != 0) {
            LOG.warn(
                "{}: {} did not complete successfully; starting anyway (required: false)",
                i.name(),
                dep);
          }
        }
      }
    }
  }

  // ---- one-offs (service_completed_successfully) ------------------------------------------------

  /**
   * Runs a one-off service to its exit. Exit 0 → completed. Otherwise, when some instance requires
   * it ({@code required: true}), {@code up} fails naming the service, the exit code and the end of
   * its output; else a FAILED event and the dependents start anyway.
   */
  private void runOneOff(PlannedInstance i) {
    SingularityCommand c = i.oneOff().orElseThrow();
    events.emit(ComposeEvent.Type.STARTING, i.service(), i.name(), "one-off run to completion");
    CommandResult r;
    try {
      r = c instanceof Exec e ? s.client().exec(e) : s.client().run((Run) c);
    } catch (SingularityException e) {
      throw failed(
          i.service(), "the one-off run of service '" + i.service() + "' failed", c, e, "");
    }
    completed.put(i.name(), r.exitCode());
    if (r.exitCode() == 0) {
      events.emit(ComposeEvent.Type.STOPPED, i.service(), i.name(), "completed successfully");
      return;
    }
    String output = tail(r.stderr() + "\n" + r.stdout());
    boolean required =
        plan.instances().stream()
            .flatMap(x -> x.waits().stream())
            .anyMatch(
                w ->
                    w.required()
                        && w.condition() == DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY
                        && w.instances().contains(i.name()));
    if (required) {
      throw new ComposeUpException(
          i.service(),
          "service '"
              + i.service()
              + "' did not complete successfully (exit code "
              + r.exitCode()
              + "), and service_completed_successfully requires it",
          s.client().dryRun(c),
          OptionalInt.of(r.exitCode()),
          output,
          null);
    }
    events.emit(
        ComposeEvent.Type.FAILED,
        i.service(),
        i.name(),
        "exited with " + r.exitCode() + "; dependents start anyway (required: false)");
  }

  // ---- starts -----------------------------------------------------------------------------------

  /**
   * Issues the starts of {@code level} (after {@link #reconcile}), in parallel, each once; a start
   * of an instance only {@code required: false} waits name that fails is skipped. No listing: the
   * starts are confirmed later, together ({@link #confirm}).
   *
   * @return the instances started and not yet confirmed
   */
  private List<PlannedInstance> startLevel(List<PlannedInstance> level) {
    List<PlannedInstance> pending = previous.isEmpty() ? level : reconcile(level);
    if (pending.isEmpty()) {
      return List.of();
    }
    // write-ahead: recorded as starting before any of their starts is issued, so that a JVM that
    // dies during the starts leaves a state file naming every instance it may have started
    java.time.Instant now = s.clock().instant();
    pending.forEach(
        i -> {
          starting.add(i.name());
          startingSince.put(i.name(), now);
        });
    writeState();
    readAhead();
    startAll(pending, 1);
    return pending.stream().filter(i -> !skipped.contains(i.name())).toList();
  }

  /**
   * Once per run, has {@code logs.json} read and parsed by the executor while the first level's
   * starts run (the JVM only waits on the binary then): the state write after the starts merges
   * this run's log starts into it, and finds it parsed ({@link RunLogStarts#readAhead}).
   */
  private void readAhead() {
    if (readAhead) {
      return;
    }
    readAhead = true;
    try {
      s.executor().execute(() -> RunLogStarts.readAhead(plan.stateDirectory()));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the write reads it then
    }
  }

  private void startAll(List<PlannedInstance> pending, int attempt) {
    Parallel.forEach(
        s.executor(),
        s.parallelism(),
        pending,
        i -> {
          try {
            start(i, attempt);
          } catch (ComposeUpException e) {
            if (!optional(i)) {
              throw e;
            }
            skip(i, e.reason());
          }
        });
  }

  /**
   * Whether {@code level} must see the {@code unconfirmed} instances confirmed first: one of its
   * instances waits for one of them with a condition other than {@code service_started} (a
   * healthcheck gate probes a running instance; a one-off's completion is known already), or runs
   * after-start steps in one of them.
   */
  private static boolean needsConfirmation(
      List<PlannedInstance> level, List<PlannedInstance> unconfirmed) {
    if (unconfirmed.isEmpty()) {
      return false;
    }
    Set<String> names = new java.util.HashSet<>();
    unconfirmed.forEach(i -> names.add(i.name()));
    return level.stream()
        .flatMap(i -> i.waits().stream())
        .filter(w -> w.condition() != DependsOn.Condition.SERVICE_STARTED)
        .anyMatch(w -> w.instances().stream().anyMatch(names::contains));
  }

  /**
   * Confirms started instances with one listing (a start that the binary reported successful may
   * have died at once: recorded from SingularityCE 3.4.2 under load); those not running are started
   * again, up to the startup attempts, with one more listing per round of retries.
   */
  private void confirm(List<PlannedInstance> started) {
    List<PlannedInstance> pending =
        started.stream().filter(i -> !skipped.contains(i.name())).toList();
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      List<PlannedInstance> dead =
          levelStart.confirm(pending, attempt, pids, restarts, launched, null);
      if (dead.isEmpty()) {
        return;
      }
      pending = dead.stream().filter(i -> !skipped.contains(i.name())).toList();
      startAll(pending, attempt + 1);
      pending = pending.stream().filter(i -> !skipped.contains(i.name())).toList();
    }
  }

  /**
   * {@code i} is still not running after the last attempt: a dependency that is not required is
   * skipped ({@link #skip}), else {@code up} fails.
   */
  private Optional<RuntimeException> exhausted(PlannedInstance i, int attempt, String logs) {
    String reason =
        "the binary reported a successful start, but the instance was not running after "
            + attempt
            + " attempt(s)";
    if (optional(i)) {
      skip(i, reason);
      return Optional.empty();
    }
    return Optional.of(
        new ComposeUpException(
            i.name(), reason, s.client().dryRun(i.launch()), OptionalInt.empty(), logs, null));
  }

  /**
   * Whether a failed start of {@code i} leaves {@code up} going: some instance waits for it, and
   * every {@code depends_on} naming its service says {@code required: false} (Compose Specification
   * {@code depends_on.required}: "Compose only warns you when the dependency service isn't started
   * or available"), whatever the condition.
   */
  private boolean optional(PlannedInstance i) {
    List<DependencyWait> naming =
        plan.instances().stream()
            .flatMap(x -> x.waits().stream())
            .filter(w -> w.instances().contains(i.name()))
            .toList();
    return !naming.isEmpty() && naming.stream().noneMatch(DependencyWait::required);
  }

  /**
   * A failed start of a dependency that is not required: stopped (a start that threw may have left
   * it running), a {@code FAILED} event and a warning; it stays recorded ({@code ps}: exited), and
   * its dependents start.
   */
  private void skip(PlannedInstance i, String reason) {
    skipped.add(i.name());
    if (launched.contains(i.name())) {
      try {
        s.client().stopAndWait(s.stopCommand(i.name(), StopSettings.of(i)), s.goneWait());
      } catch (InstanceNotFoundException e) {
        LOG.debug("{} was not running", i.name());
      } catch (SingularityException e) {
        // still launched: recorded, so the rollback of a later failure or down stops it
        LOG.warn("{}: cannot stop after its failed start: {}", i.name(), e.getMessage());
        events.emit(ComposeEvent.Type.FAILED, i.service(), i.name(), reason);
        return;
      }
      launched.remove(i.name());
    }
    events.emit(
        ComposeEvent.Type.FAILED,
        i.service(),
        i.name(),
        reason + "; dependents start anyway (required: false)");
  }

  private void start(PlannedInstance i, int attempt) {
    levelStart.announce(i, attempt);
    if (attempt == 1) {
      takeRunLogStart(i);
    }
    // before the start: a start that throws (a transport timeout, a non-zero exit after the daemon
    // forked) may have left the instance running, and the rollback must stop it
    launched.add(i.name());
    try {
      launch(i);
    } catch (InstanceAlreadyExistsException e) {
      if (!ours(i)) {
        launched.remove(i.name()); // not ours: this up did not start it
        throw failed(
            i.name(),
            i.name()
                + " is running, but this project does not record it (a project of the same name in"
                + " another folder, or a removed .scompose folder?): it is left alone; stop it"
                + " with 'instance stop "
                + i.name()
                + "' if it is this project's, or choose another project name",
            i.launch(),
            e,
            "");
      }
      if (adopted(i)) {
        runLogStarts.remove(i.name()); // the adopted instance's run goes on
        // the confirming listing checks it, as a start
        events.emit(ComposeEvent.Type.STARTED, i.service(), i.name(), "adopted");
        return;
      }
      try {
        launch(i);
      } catch (InstanceAlreadyExistsException again) {
        launched.remove(i.name());
        throw startFailed(i, again, "");
      } catch (SingularityException again) {
        throw startFailed(i, again, ops.logTail(i.name()));
      }
    } catch (SingularityException e) {
      throw startFailed(i, e, ops.logTail(i.name()));
    }
    // the binary said started; the confirming listing ({@link #confirm}) checks that it runs
    events.emit(ComposeEvent.Type.STARTED, i.service(), i.name(), "");
  }

  /**
   * Where {@code i}'s new run begins in its log files ({@link RunLogStarts}); a failure to look
   * only leaves {@code logs} showing the whole files.
   */
  private void takeRunLogStart(PlannedInstance i) {
    try {
      runLogStarts.put(
          i.name(), new RunLogStarts.Start(s.client().logSizes(i.name()), s.clock().instant()));
    } catch (RuntimeException e) {
      LOG.debug("cannot take the log sizes of {}: {}", i.name(), e.getMessage());
    }
  }

  private ComposeUpException startFailed(PlannedInstance i, SingularityException e, String logs) {
    return failed(
        i.name(),
        i.runscriptInstance() ? "instance run failed" : "instance start failed",
        i.launch(),
        e,
        logs);
  }

  private void afterStart(PlannedInstance i) {
    for (AfterStartStep step : i.afterStart()) {
      SingularityCommand c = step.command();
      if (step.background()) {
        background.add(
            c instanceof Exec e
                ? s.client()
                    .execStreaming(e, io.github.scompose.core.transport.OutputListener.discarding())
                : s.client()
                    .runStreaming(
                        (Run) c, io.github.scompose.core.transport.OutputListener.discarding()));
        continue;
      }
      CommandResult r;
      try {
        r = c instanceof Exec e ? s.client().exec(e) : s.client().run((Run) c);
      } catch (SingularityException e) {
        throw failed(i.name(), "after-start step failed", c, e, ops.logTail(i.name()));
      }
      if (r.exitCode() != 0) {
        throw new ComposeUpException(
            i.name(),
            "after-start step exited with " + r.exitCode(),
            s.client().dryRun(c),
            OptionalInt.of(r.exitCode()),
            tail(r.stderr() + r.stdout()),
            null);
      }
    }
    for (HostCommand h : i.post()) {
      post(i, h);
    }
  }

  /** A {@code post} command on the transport's host, as an argv, in the project directory. */
  private void post(PlannedInstance i, HostCommand h) {
    List<String> masked = SecretMasker.mask(h.argv());
    CommandResult r;
    try {
      r =
          s.client()
              .transport()
              .run(
                  CommandRequest.builder()
                      .argv(h.argv())
                      .workingDirectory(h.workingDirectory())
                      .build());
    } catch (TransportException e) {
      throw new ComposeUpException(
          i.name(),
          "post command could not run: " + e.getMessage(),
          masked,
          OptionalInt.empty(),
          "",
          e);
    }
    if (r.exitCode() != 0) {
      throw new ComposeUpException(
          i.name(),
          "post command exited with " + r.exitCode(),
          masked,
          OptionalInt.of(r.exitCode()),
          tail(r.stderr() + "\n" + r.stdout()),
          null);
    }
  }
}
