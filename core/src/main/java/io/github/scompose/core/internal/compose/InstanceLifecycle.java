package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.AfterStartStep;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeOperationException;
import io.github.scompose.core.errors.InstanceAlreadyExistsException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code stop} and {@code start} of a project's recorded instances, from its state directory (so
 * from any process): stop goes highest dependency level first, start lowest first, the instances of
 * one level in parallel. Start launches each instance as {@code up} did, from its {@link
 * InstanceRecords record} ({@code instance start}, or {@code instance run} for an image converted
 * from Docker where the dialect has it, then the recorded background launch and spec 2.0 steps), so
 * addresses, binds and options are those {@code up} planned, and checks the starts like {@code up}
 * (one listing per round, dead instances started again up to the startup attempts) and waits for
 * {@code service_healthy} dependencies like {@code up} ({@link HealthWait}). One-off services
 * ({@code service_completed_successfully} dependencies) are never started, stopped or restarted as
 * instances.
 */
public final class InstanceLifecycle {

  private final EngineSettings s;
  private final Path stateDirectory;
  private final ProjectState state;
  private final Events events;

  private InstanceLifecycle(EngineSettings s, Path stateDirectory, ProjectState state) {
    this.s = s;
    this.stateDirectory = stateDirectory;
    this.state = state;
    this.events = new Events(state.project(), s.listeners(), s.clock());
    this.levelStart =
        new LevelStart<>(
            s,
            events,
            new LevelStart.Instances<InstanceRecords.Record>() {
              @Override
              public String name(InstanceRecords.Record r) {
                return r.name();
              }

              @Override
              public String service(InstanceRecords.Record r) {
                return r.service();
              }

              @Override
              public StopSettings stop(InstanceRecords.Record r) {
                return r.stop();
              }

              @Override
              public Optional<RuntimeException> exhausted(
                  InstanceRecords.Record r, int attempts, String logs) {
                return InstanceLifecycle.this.exhausted(r, attempts, logs);
              }
            });
  }

  /** The one start path: announce, confirm by one listing, retry ({@link LevelStart}). */
  private final LevelStart<InstanceRecords.Record> levelStart;

  /**
   * The lifecycle of the project recorded in {@code stateDirectory}.
   *
   * @throws IllegalStateException when there is no state file (the project is not up or created)
   */
  public static InstanceLifecycle of(EngineSettings settings, Path stateDirectory) {
    ProjectState state =
        StateFile.read(StateFile.in(stateDirectory))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no project state in "
                            + StateFile.in(stateDirectory)
                            + ": the project is not up (run up or create first)"));
    return new InstanceLifecycle(settings, stateDirectory, state);
  }

  /** The project name. */
  public String project() {
    return state.project();
  }

  /**
   * The recorded entries of {@code services} (all when empty), in the state file's order.
   *
   * @throws IllegalArgumentException naming a service the project does not record
   */
  public List<ProjectState.Entry> select(Collection<String> services) {
    Set<String> known = new LinkedHashSet<>();
    state.instances().forEach(e -> known.add(e.service()));
    for (String svc : services) {
      if (!known.contains(svc)) {
        throw new IllegalArgumentException(
            "no service '"
                + svc
                + "' in project "
                + state.project()
                + " (services: "
                + String.join(", ", known)
                + ")");
      }
    }
    Set<String> oneOffs = new LinkedHashSet<>();
    InstanceRecords.read(stateDirectory)
        .ifPresent(
            c ->
                c.instances().stream()
                    .filter(InstanceRecords.Record::oneOff)
                    .forEach(r -> oneOffs.add(r.name())));
    return state.instances().stream()
        .filter(e -> services.isEmpty() || services.contains(e.service()))
        .filter(e -> !oneOffs.contains(e.name()))
        .toList();
  }

  /**
   * Stops the running instances of {@code services} (all when empty): dependents first, each level
   * in parallel, then waits until the listing no longer shows them. They stay in the state file
   * ({@code ps} shows them EXITED) and are marked stopped, so restart policies leave them alone.
   *
   * @param timeout {@code instance stop --timeout}, else the engine's
   * @return the instances stopped, highest level first
   */
  public List<String> stop(Collection<String> services, Optional<Duration> timeout) {
    List<ProjectState.Entry> selected = new ArrayList<>(select(services));
    Set<String> names = new LinkedHashSet<>();
    selected.forEach(e -> names.add(e.name()));
    StateDirectoryLock.holding(
        stateDirectory,
        () -> {
          InstanceRecords.read(stateDirectory)
              .ifPresent(c -> InstanceRecords.write(stateDirectory, c.withStopped(names, true)));
          return null;
        });
    Set<String> listed = new LinkedHashSet<>();
    s.client().list().forEach(i -> listed.add(i.name()));
    selected.sort(Comparator.comparingInt(ProjectState.Entry::level).reversed());
    Map<String, InstanceOps.ServiceLevel> byName = new LinkedHashMap<>();
    Map<String, StopSettings> stops = InstanceRecords.stopSettings(stateDirectory);
    for (ProjectState.Entry e : selected) {
      if (listed.contains(e.name())) {
        byName.put(
            e.name(),
            new InstanceOps.ServiceLevel(
                e.service(), e.level(), stops.getOrDefault(e.name(), StopSettings.DEFAULT)));
      }
    }
    EngineSettings settings = timeout.map(s::withStopTimeout).orElse(s);
    new InstanceOps(settings, events).stopAll(byName);
    return List.copyOf(byName.keySet());
  }

  /**
   * Starts the recorded instances of {@code services} (all when empty) that are not running, lowest
   * dependency level first, each level in parallel, with their recorded start commands (their
   * addresses do not change). Writes the recorded hosts/resolver files and named-volume folders
   * first, creates the missing bind sources that {@code up} would create (Compose {@code
   * bind.create_host_path}), refuses secret files others may read, and refuses an address that an
   * instance of another project now uses. After each level one listing confirms the starts; a dead
   * instance is started again up to the startup attempts. Before each level, its instances'
   * recorded {@code service_healthy} dependencies are waited for through the shared {@link
   * HealthWait}, as {@code up} does (a dependency neither running nor started here is refused at
   * once). Records the PIDs in the state file and clears the stopped marks of what runs.
   *
   * @return the instances started, in start order
   * @throws IllegalStateException when the project has no instance records
   * @throws ComposeOperationException when a start fails or a required dependency never becomes
   *     healthy; what this start started is stopped first (what ran before keeps running)
   */
  public List<String> start(
      Collection<String> services, java.util.function.Consumer<RunningCommand> background) {
    InstanceRecords.Content records =
        InstanceRecords.read(stateDirectory)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no instance records in "
                            + InstanceRecords.in(stateDirectory)
                            + " (written by up and create); run up again"));
    List<ProjectState.Entry> selected = select(services);
    Map<String, InstanceInfo> listed = new LinkedHashMap<>();
    s.client().list().forEach(i -> listed.put(i.name(), i));
    Set<String> ours = new LinkedHashSet<>();
    state.instances().forEach(e -> ours.add(e.name()));
    Map<String, String> ipOwner = new LinkedHashMap<>();
    for (InstanceInfo i : listed.values()) {
      if (!ours.contains(i.name())) {
        i.ip().filter(ip -> !ip.isBlank()).ifPresent(ip -> ipOwner.put(ip, i.name()));
      }
    }
    TreeMap<Integer, List<InstanceRecords.Record>> levels = new TreeMap<>();
    Set<String> wasRunning = new LinkedHashSet<>();
    for (ProjectState.Entry e : selected) {
      if (listed.containsKey(e.name())) {
        wasRunning.add(e.name());
        continue;
      }
      InstanceRecords.Record r =
          records
              .record(e.name())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no start record of "
                              + e.name()
                              + " in "
                              + InstanceRecords.in(stateDirectory)
                              + "; run up again"));
      if (!e.ip().isEmpty() && ipOwner.containsKey(e.ip())) {
        throw new ComposeOperationException(
            "start",
            e.name(),
            "its address "
                + e.ip()
                + " is now used by instance "
                + ipOwner.get(e.ip())
                + " of another project; run down and up to get a new one",
            List.of(),
            OptionalInt.empty(),
            "",
            null);
      }
      OperationFailures.checkSecrets(s.client().transport(), "start", e.name(), r.start().binds());
      levels.computeIfAbsent(e.level(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Long> pids = new ConcurrentHashMap<>();
    Map<String, Integer> retries = new ConcurrentHashMap<>();
    Set<String> launched = ConcurrentHashMap.newKeySet();
    List<RunningCommand> ownBackground = java.util.Collections.synchronizedList(new ArrayList<>());
    HealthWait health =
        new HealthWait(
            s,
            events,
            name -> dependency(records, name, listed.keySet(), pids.keySet()),
            (who, reason, argv, exit, output, cause) ->
                new ComposeOperationException("start", who, reason, argv, exit, output, cause));
    List<String> started = new ArrayList<>();
    try {
      if (!levels.isEmpty()) {
        Set<String> starting = new LinkedHashSet<>();
        levels.values().forEach(l -> l.forEach(r -> starting.add(r.name())));
        prepare(records, starting);
      }
      for (List<InstanceRecords.Record> level : levels.values()) {
        Parallel.forEach(
            s.executor(),
            s.parallelism(),
            level,
            r -> health.awaitDependencies(r.name(), r.waits()));
        startLevel(level, pids, retries, launched);
        level.forEach(r -> started.add(r.name()));
        Parallel.forEach(
            s.executor(),
            s.parallelism(),
            level,
            r ->
                afterStart(
                    r,
                    c -> {
                      ownBackground.add(c);
                      background.accept(c);
                    }));
      }
    } catch (RuntimeException e) {
      throw rollback(e, records, launched, ownBackground, pids);
    } finally {
      record(wasRunning, pids, retries);
    }
    return List.copyOf(started);
  }

  /**
   * What {@code start} checks for a {@code service_healthy} dependency: its record's healthcheck
   * (none for an old records file). A dependency that is neither running nor started by this start
   * cannot become healthy: refused at once, naming it.
   */
  private HealthWait.Target dependency(
      InstanceRecords.Content records,
      String name,
      Set<String> runningBefore,
      Set<String> startedNow) {
    Optional<InstanceRecords.Record> r = records.record(name);
    if (!runningBefore.contains(name) && !startedNow.contains(name)) {
      throw new ComposeOperationException(
          "start",
          name,
          "not running, and an instance waits for it to be healthy (depends_on condition"
              + " service_healthy); start its service too",
          List.of(),
          OptionalInt.empty(),
          "",
          null);
    }
    return new HealthWait.Target(
        r.map(InstanceRecords.Record::service).orElse(name),
        name,
        r.flatMap(InstanceRecords.Record::healthcheck),
        r.map(InstanceRecords.Record::start));
  }

  /**
   * After a failed start: cancels the background steps it launched and stops the instances it
   * started (highest level first), so that they are as before; their stopped marks stay.
   *
   * @return the failure to throw: for a {@link ComposeOperationException}, the same failure with a
   *     last line naming what was stopped
   */
  private RuntimeException rollback(
      RuntimeException failure,
      InstanceRecords.Content records,
      Set<String> launched,
      List<RunningCommand> ownBackground,
      Map<String, Long> pids) {
    synchronized (ownBackground) {
      ownBackground.forEach(RunningCommand::cancel);
    }
    if (launched.isEmpty()) {
      return failure;
    }
    Map<String, InstanceOps.ServiceLevel> byName = new LinkedHashMap<>();
    for (InstanceRecords.Record r : records.instances()) {
      if (launched.contains(r.name())) {
        byName.put(r.name(), new InstanceOps.ServiceLevel(r.service(), r.level(), r.stop()));
      }
    }
    RuntimeException out = failure;
    if (failure instanceof ComposeOperationException f) {
      out =
          new ComposeOperationException(
              f.operation(),
              f.instance(),
              f.reason(),
              f.maskedArgv(),
              f.exitCode(),
              f.logTail(),
              f.getCause(),
              "what this start started has been stopped: " + String.join(", ", byName.keySet()));
    }
    // an interrupted start must still stop what it started: the stops run with the interrupt
    // status cleared, and it is set again afterwards
    boolean interrupted = Thread.interrupted();
    try {
      new InstanceOps(s, events).stopAll(byName);
    } catch (RuntimeException e) {
      out.addSuppressed(e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    pids.keySet().removeAll(byName.keySet());
    return out;
  }

  /**
   * The recorded hosts/resolver files, the named-volume folders, and the missing bind sources of
   * the instances in {@code starting} that {@code up} creates ({@link
   * InstanceRecords.Content#hostPathDirectories()}), where the binary runs (through the transport,
   * as {@code up} does; nothing is ever deleted).
   */
  private void prepare(InstanceRecords.Content records, Set<String> starting) {
    Path volumes = stateDirectory.resolve("volumes");
    Set<String> volumeDirectories = new LinkedHashSet<>();
    Set<String> hostPaths = new LinkedHashSet<>();
    for (InstanceRecords.Record r : records.instances()) {
      for (Bind b : r.start().binds()) {
        Path source = Path.of(b.source());
        if (source.startsWith(volumes)) {
          volumeDirectories.add(source.toString());
        }
        if (starting.contains(r.name())
            && records.hostPathDirectories().contains(source.toString())) {
          hostPaths.add(source.toString());
        }
      }
    }
    StatePreparation.prepare(
        s.client().transport(),
        state.project(),
        stateDirectory,
        records.files(),
        volumeDirectories,
        hostPaths);
  }

  private void startLevel(
      List<InstanceRecords.Record> level,
      Map<String, Long> pids,
      Map<String, Integer> retries,
      Set<String> launched) {
    InstanceOps ops = new InstanceOps(s, events);
    List<InstanceRecords.Record> pending = level;
    for (int attempt = 1; ; attempt++) {
      final int a = attempt;
      Parallel.forEach(
          s.executor(),
          s.parallelism(),
          pending,
          r -> {
            // before the start: a start that throws (a transport timeout, a non-zero exit after
            // the daemon forked) may have left the instance running; the rollback stops it
            launched.add(r.name());
            try {
              startOne(r, a, ops);
            } catch (InstanceAlreadyExistsFailure e) {
              launched.remove(r.name()); // not ours: this start did not start it
              throw e.failure;
            }
          });
      pending = levelStart.confirm(pending, attempt, pids, retries, launched, events);
      if (pending.isEmpty()) {
        return;
      }
    }
  }

  /** {@code r} is still not running after the last attempt: {@code start} fails. */
  private Optional<RuntimeException> exhausted(InstanceRecords.Record r, int attempt, String logs) {
    ComposeOperationException e =
        new ComposeOperationException(
            "start",
            r.name(),
            "the binary reported a successful start, but the instance was not running after "
                + attempt
                + " attempt(s)",
            s.client().dryRun(r.launch()),
            OptionalInt.empty(),
            logs,
            null);
    events.emit(ComposeEvent.Type.FAILED, r.service(), r.name(), e.getMessage());
    return Optional.of(e);
  }

  private void startOne(InstanceRecords.Record r, int attempt, InstanceOps ops) {
    levelStart.announce(r, attempt);
    try {
      LevelStart.launch(s.client(), r.launch(), r.start());
    } catch (InstanceAlreadyExistsException e) {
      ComposeOperationException f =
          OperationFailures.failed(
              s.client(),
              "start",
              r.name(),
              r.runscriptInstance() ? "instance run failed" : "instance start failed",
              r.launch(),
              e,
              "");
      events.emit(ComposeEvent.Type.FAILED, r.service(), r.name(), f.getMessage());
      throw new InstanceAlreadyExistsFailure(f);
    } catch (SingularityException e) {
      ComposeOperationException f =
          OperationFailures.failed(
              s.client(),
              "start",
              r.name(),
              r.runscriptInstance() ? "instance run failed" : "instance start failed",
              r.launch(),
              e,
              ops.logTail(r.name()));
      events.emit(ComposeEvent.Type.FAILED, r.service(), r.name(), f.getMessage());
      throw f;
    }
  }

  /** A start refused because an instance of that name exists already: not one this start made. */
  private static final class InstanceAlreadyExistsFailure extends RuntimeException {
    private final ComposeOperationException failure;

    InstanceAlreadyExistsFailure(ComposeOperationException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  private void afterStart(
      InstanceRecords.Record r, java.util.function.Consumer<RunningCommand> background) {
    InstanceOps ops = new InstanceOps(s, events);
    for (AfterStartStep step : r.afterStart()) {
      SingularityCommand c = step.command();
      if (step.background()) {
        background.accept(
            c instanceof Exec e
                ? s.client().execStreaming(e, OutputListener.discarding())
                : s.client().runStreaming((Run) c, OutputListener.discarding()));
        continue;
      }
      CommandResult result;
      try {
        result = c instanceof Exec e ? s.client().exec(e) : s.client().run((Run) c);
      } catch (SingularityException e) {
        throw OperationFailures.failed(
            s.client(), "start", r.name(), "after-start step failed", c, e, ops.logTail(r.name()));
      }
      if (result.exitCode() != 0) {
        String out = (result.stderr() + result.stdout()).strip();
        throw new ComposeOperationException(
            "start",
            r.name(),
            "after-start step exited with " + result.exitCode(),
            s.client().dryRun(c),
            OptionalInt.of(result.exitCode()),
            out,
            null);
      }
    }
  }

  /** Writes the new PIDs and retries into the state file and clears the stopped marks. */
  private void record(
      Set<String> wasRunning, Map<String, Long> pids, Map<String, Integer> retries) {
    Path file = StateFile.in(stateDirectory);
    if (!pids.isEmpty()) {
      // the images the started instances run now: one stat per distinct image, outside the lock
      Map<String, Optional<FileStamp>> stamps = new LinkedHashMap<>();
      for (ProjectState.Entry e : state.instances()) {
        if (pids.containsKey(e.name())) {
          stamps.computeIfAbsent(
              e.image(), image -> ImageSteps.stamp(s.client().transport(), image));
        }
      }
      // under the project's lock: the supervisor or another process may change it meanwhile
      StateFile.update(
          file,
          st -> {
            List<ProjectState.Entry> entries = new ArrayList<>();
            for (ProjectState.Entry e : st.instances()) {
              Long pid = pids.get(e.name());
              entries.add(
                  pid == null
                      ? e
                      : e.withRun(
                          pid,
                          e.restarts() + retries.getOrDefault(e.name(), 0),
                          stamps.getOrDefault(e.image(), Optional.empty())));
            }
            return new ProjectState(
                st.project(), st.directory(), st.session(), s.clock().instant(), entries);
          });
    }
    // instances that run now (started, or already running) are no longer "stopped by the user"
    Set<String> listedNow = new LinkedHashSet<>(pids.keySet());
    listedNow.addAll(wasRunning);
    StateDirectoryLock.holding(
        stateDirectory,
        () -> {
          InstanceRecords.read(stateDirectory)
              .ifPresent(
                  c -> {
                    Set<String> clear = new LinkedHashSet<>();
                    for (String n : listedNow) {
                      if (c.stopped().contains(n)) {
                        clear.add(n);
                      }
                    }
                    if (!clear.isEmpty()) {
                      InstanceRecords.write(stateDirectory, c.withStopped(clear, false));
                    }
                  });
          return null;
        });
  }
}
