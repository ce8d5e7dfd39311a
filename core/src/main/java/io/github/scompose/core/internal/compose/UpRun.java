package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.InstanceRun;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.AfterStartStep;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.core.compose.DependencyWait;
import io.github.scompose.core.compose.HostCommand;
import io.github.scompose.core.compose.ImageStep;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.InstanceAlreadyExistsException;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.internal.client.SecretMasker;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import io.github.scompose.network.PlannedFile;
import io.github.scompose.spec.DependsOn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
public final class UpRun {

  private static final Logger LOG = LoggerFactory.getLogger(UpRun.class);

  /** The plan's notes go to the events' logger ({@link ComposeEvent#LOGGER}). */
  private static final Logger NOTES = LoggerFactory.getLogger(ComposeEvent.LOGGER);

  /**
   * What a successful up leaves behind.
   *
   * @param state the state written to the state file
   * @param background after-start steps still running in the background
   */
  public record Result(ProjectState state, List<RunningCommand> background) {}

  private final EngineSettings s;
  private final UpPlan plan;
  private final Events events;
  private final InstanceOps ops;
  private final PidProbe probe;
  private final String session;
  private final HealthWait health;
  private final List<String> launched = Collections.synchronizedList(new ArrayList<>());

  /** Where the runs this up starts begin in their log files, by instance ({@link RunLogStarts}). */
  private final Map<String, RunLogStarts.Start> runLogStarts =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<String, Long> pids = new ConcurrentHashMap<>();
  private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
  private final Map<String, Integer> completed = new ConcurrentHashMap<>();

  /**
   * Instances whose {@code instance start} is about to be issued or was issued and not yet
   * confirmed: written ahead into the state file (as {@code starting}) before their level's starts,
   * so that {@code down} stops them even when this JVM dies before the confirmation.
   */
  private final Set<String> starting = ConcurrentHashMap.newKeySet();

  /** When each of {@link #starting} was written ahead ({@code startingSince} in the state file). */
  private final Map<String, java.time.Instant> startingSince = new ConcurrentHashMap<>();

  /** Instances whose start failed but that only {@code required: false} waits name. */
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();

  private final List<RunningCommand> background = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> configs = new ConcurrentHashMap<>();

  /** {@link Transport#stat} of each distinct image of the plan, read once per up. */
  private final Map<String, Optional<FileStamp>> stamps = new ConcurrentHashMap<>();

  private final List<String> kept = Collections.synchronizedList(new ArrayList<>());
  private Map<String, ProjectState.Entry> previous = Map.of();
  private Map<String, InstanceInfo> listedAtStart = Map.of();
  private Optional<ProjectState> prior = Optional.empty();
  private Optional<InstanceRecords.Content> priorRecords = Optional.empty();

  /** Whether this run set aside a damaged state file of the project ({@link #setAside}). */
  private volatile boolean damagedStateSetAside;

  /** A run of {@code plan}; {@code session} names this process in the state file. */
  public UpRun(EngineSettings settings, UpPlan plan, Events events, String session) {
    this.s = settings;
    this.plan = plan;
    this.events = events;
    this.ops = new InstanceOps(settings, events);
    this.probe = new PidProbe(settings.client().transport());
    this.session = session;
    this.health =
        new HealthWait(
            settings,
            events,
            name -> {
              PlannedInstance i = plan.instance(name);
              return new HealthWait.Target(
                  i.service(), i.name(), i.healthcheck(), Optional.of(i.start()));
            },
            ComposeUpException::new);
  }

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
      writeState();
      // starts are confirmed by one listing at the end (N starts + 1 listing), earlier only where
      // a healthcheck gate or an after-start step needs its instances running
      List<PlannedInstance> unconfirmed = new ArrayList<>();
      for (List<PlannedInstance> level : plan.levels()) {
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
        writeState();
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
   * {@link io.github.scompose.core.compose.PlanOptions#removeOrphans()}: stops the recorded
   * instances of services the project no longer defines (those listed: each with its recorded stop
   * settings, waiting until it is gone) and forgets them, so that the state and records written by
   * this up leave them out.
   */
  private void removeOrphans() {
    if (plan.orphansUnless().isEmpty() || previous.isEmpty()) {
      return;
    }
    List<ProjectState.Entry> orphans =
        previous.values().stream()
            .filter(e -> !plan.orphansUnless().contains(e.service()))
            .toList();
    if (orphans.isEmpty()) {
      return;
    }
    Map<String, StopSettings> stops = InstanceRecords.stopSettings(plan.stateDirectory());
    Map<String, ProjectState.Entry> rest = new LinkedHashMap<>(previous);
    for (ProjectState.Entry e : orphans) {
      String why = "orphan: service '" + e.service() + "' is no longer defined";
      if (listedAtStart.containsKey(e.name())) {
        events.emit(ComposeEvent.Type.STOPPING, e.service(), e.name(), why);
        s.client()
            .stopAndWait(
                s.stopCommand(e.name(), stops.getOrDefault(e.name(), StopSettings.DEFAULT)),
                s.goneWait());
      }
      events.emit(ComposeEvent.Type.STOPPED, e.service(), e.name(), why + "; removed");
      rest.remove(e.name());
    }
    previous = rest;
  }

  // ---- reconcile --------------------------------------------------------------------------------

  /**
   * A previous up of this project (its state file; its JVM may have died): one listing tells what
   * still runs.
   */
  private void readPrevious() {
    try {
      prior =
          StateFile.read(StateFile.in(plan.stateDirectory()))
              .filter(st -> st.project().equals(plan.project()));
    } catch (DamagedStateException e) {
      prior = Optional.empty();
      setAside(e);
    }
    try {
      priorRecords = InstanceRecords.read(plan.stateDirectory());
    } catch (DamagedStateException e) {
      setAside(e);
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: the previous instance records are unreadable: {}", plan.project(), e.getMessage());
    }
    if (prior.isEmpty() || prior.get().instances().isEmpty()) {
      prior = Optional.empty();
      return;
    }
    Map<String, ProjectState.Entry> p = new LinkedHashMap<>();
    prior.get().instances().forEach(e -> p.put(e.name(), e));
    previous = p;
    Map<String, InstanceInfo> l = new LinkedHashMap<>();
    s.client().list().forEach(i -> l.put(i.name(), i));
    listedAtStart = l;
  }

  /**
   * Keeps a damaged state or records file as {@code <name>.bak} ({@link StateFile#setAside}), so
   * that this up starts from the listing as docker compose does: an instance of the project's own
   * name that still runs is adopted or recreated when its start meets it ({@link #start}). A {@code
   * RECOVERED} event and a WARN line say so.
   */
  private void setAside(DamagedStateException e) {
    if (e.file().getFileName().equals(StateFile.in(plan.stateDirectory()).getFileName())) {
      damagedStateSetAside = true;
    }
    Path kept =
        StateDirectoryLock.holding(plan.stateDirectory(), () -> StateFile.setAside(e.file()));
    String what =
        e.getMessage()
            + "; kept it as "
            + kept.getFileName()
            + " and reconciling from the instance listing";
    events.emit(ComposeEvent.Type.RECOVERED, null, null, what);
  }

  /**
   * Reconciles {@code level} with the previous up: running and unchanged → kept (one recorded as
   * {@code starting} by an up that died before confirming it: adopted, a {@code RECOVERED} event
   * and an INFO line); running and changed (its config digest, or its image's size or modification
   * time: {@link #change}) → stopped, to be started again, the reason in the {@code
   * STOPPING}/{@code STOPPED} events and an INFO line; gone → started again.
   *
   * @return the instances to start
   */
  private List<PlannedInstance> reconcile(List<PlannedInstance> level) {
    List<PlannedInstance> toStart = new ArrayList<>();
    for (PlannedInstance i : level) {
      ProjectState.Entry before = previous.get(i.name());
      InstanceInfo running = listedAtStart.get(i.name());
      Optional<String> change = before == null ? Optional.empty() : change(before, i);
      if (before != null && running != null && change.isEmpty()) {
        pids.put(i.name(), running.pid());
        kept.add(i.name());
        if (before.starting()) {
          String why =
              "recorded as starting by an up that did not finish, running with the same start"
                  + " command: adopted";
          LOG.info("{}: {}", i.name(), why);
          events.emit(ComposeEvent.Type.RECOVERED, i.service(), i.name(), why);
        }
        events.emit(
            ComposeEvent.Type.STARTED, i.service(), i.name(), "running and unchanged: kept");
        continue;
      }
      if (running != null && before != null) {
        String why = change.orElse("changed") + ": recreating";
        LOG.info("{}: {}", i.name(), why);
        events.emit(ComposeEvent.Type.STOPPING, i.service(), i.name(), why);
        s.client().stopAndWait(s.stopCommand(i.name(), StopSettings.of(i)), s.goneWait());
        events.emit(ComposeEvent.Type.STOPPED, i.service(), i.name(), why);
      }
      toStart.add(i);
    }
    return toStart;
  }

  /**
   * What changed in {@code i} since {@code before} was recorded, or empty when nothing did: {@code
   * "changed"} when its {@link ConfigHash} differs (start command, environment, after-start steps),
   * {@code "image changed"} when both the recorded and the current {@link FileStamp} of its image
   * are known and differ (a SIF or sandbox rebuilt or pulled again at the same path). An unknown
   * stamp on either side (a state file written before stamps were recorded, an image that cannot be
   * looked at) is no evidence of a change.
   */
  private Optional<String> change(ProjectState.Entry before, PlannedInstance i) {
    if (!before.config().equals(config(i))) {
      return Optional.of("changed");
    }
    Optional<FileStamp> now = stamp(i);
    if (before.image().equals(i.start().image())
        && before.imageStamp().isPresent()
        && now.isPresent()
        && !before.imageStamp().equals(now)) {
      return Optional.of(
          "image changed ("
              + i.start().image()
              + ": "
              + describe(before.imageStamp().get())
              + " -> "
              + describe(now.get())
              + ")");
    }
    return Optional.empty();
  }

  private static String describe(FileStamp stamp) {
    return stamp.size() + " bytes, modified " + stamp.modified();
  }

  /**
   * Reads the {@link FileStamp} of each distinct image of the plan's instances once, after the
   * image steps (a pulled or built SIF is stamped as it is now), through the transport (the host
   * where the binary runs).
   */
  private void stampImages() {
    List<String> images =
        plan.instances().stream()
            .filter(i -> i.oneOff().isEmpty())
            .map(i -> i.start().image())
            .distinct()
            .toList();
    Parallel.forEach(
        s.executor(),
        s.parallelism(),
        images,
        image -> stamps.put(image, ImageSteps.stamp(s.client().transport(), image)));
  }

  /** The stamp of {@code i}'s image read by this up, empty when unknown. */
  private Optional<FileStamp> stamp(PlannedInstance i) {
    return stamps.getOrDefault(i.start().image(), Optional.empty());
  }

  /**
   * Creates the missing bind sources of {@link UpPlan#hostPathDirectories()} where the binary runs
   * (through the transport). A path with anything at it (a file: the exists probe reads it; a
   * directory or an unreadable file: the probe fails) is left alone.
   */
  public static void createHostPaths(Transport transport, UpPlan plan) {
    createHostPaths(
        transport,
        plan.project(),
        plan.hostPathDirectories().stream().map(Path::toString).toList());
  }

  /**
   * Creates those of {@code directories} that are missing where the binary runs (through the
   * transport), as {@link #createHostPaths(Transport, UpPlan)} does; for {@code up} and {@code
   * start}.
   */
  public static void createHostPaths(
      Transport transport, String project, java.util.Collection<String> directories) {
    for (String path : directories) {
      boolean missing;
      try {
        missing = transport.readFile(path, Long.MAX_VALUE).isEmpty();
      } catch (RuntimeException present) {
        missing = false; // a directory (not readable as a file) or an unreadable file: it exists
      }
      if (missing) {
        LOG.info("{}: creating the missing bind source {}", project, path);
        transport.createDirectories(path);
      }
    }
  }

  /** The {@link ConfigHash} of {@code i}, computed once per run. */
  private String config(PlannedInstance i) {
    return configs.computeIfAbsent(i.name(), k -> ConfigHash.of(s.client(), i));
  }

  // ---- preparation ------------------------------------------------------------------------------

  private void prepare() {
    try {
      StateFile.createOwnerOnlyDirectories(plan.stateDirectory());
      for (PlannedFile f : plan.files()) {
        // bound into instances: written where the binary runs (over SSH, the remote host)
        s.client()
            .transport()
            .writeFile(
                plan.stateDirectory().resolve(f.fileName()).toString(),
                f.content().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      for (Path dir : plan.volumeDirectories()) {
        // bound into instances: created where the binary runs (over SSH, the remote host)
        s.client().transport().createDirectories(dir.toString());
      }
      createHostPaths(s.client().transport(), plan);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + plan.stateDirectory(), e);
    }
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

  private String tail(String text) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - s.logTailLines());
    return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
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
    startAll(pending, 1);
    return pending.stream().filter(i -> !skipped.contains(i.name())).toList();
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
      Map<String, InstanceInfo> byName = new LinkedHashMap<>();
      s.client().list().forEach(x -> byName.put(x.name(), x));
      List<PlannedInstance> dead =
          notRunning(
              pending, byName, probe, pids, null, PlannedInstance::name, PlannedInstance::service);
      if (dead.isEmpty()) {
        return;
      }
      for (PlannedInstance i : dead) {
        String logs = ops.logTail(i.name(), Optional.ofNullable(byName.get(i.name())));
        if (byName.containsKey(i.name())) {
          // listed with a dead PID: clear the name before starting again
          s.client().stopAndWait(s.stopCommand(i.name(), StopSettings.of(i)), s.goneWait());
        }
        launched.remove(i.name());
        if (attempt >= s.startupAttempts() && optional(i)) {
          skip(
              i,
              "the binary reported a successful start, but the instance was not running after "
                  + attempt
                  + " attempt(s)");
          continue;
        }
        if (attempt >= s.startupAttempts()) {
          throw new ComposeUpException(
              i.name(),
              "the binary reported a successful start, but the instance was not running after "
                  + attempt
                  + " attempt(s)",
              s.client().dryRun(i.launch()),
              OptionalInt.empty(),
              logs,
              null);
        }
        restarts.merge(i.name(), 1, Integer::sum);
        events.emit(
            ComposeEvent.Type.FAILED,
            i.service(),
            i.name(),
            "not running after start (attempt " + attempt + " of " + s.startupAttempts() + ")");
      }
      pending = dead.stream().filter(i -> !skipped.contains(i.name())).toList();
      startAll(pending, attempt + 1);
      pending = pending.stream().filter(i -> !skipped.contains(i.name())).toList();
    }
  }

  /**
   * The instances of {@code pending} not running after their start. One listed in {@code byName}
   * whose PID is alive (or cannot be probed) is running: its PID goes into {@code pids} and STARTED
   * is emitted for it (unless {@code events} is {@code null}: up announced it when its start
   * returned).
   */
  static <T> List<T> notRunning(
      List<T> pending,
      Map<String, InstanceInfo> byName,
      PidProbe probe,
      Map<String, Long> pids,
      Events events,
      Function<T, String> name,
      Function<T, String> service) {
    List<T> dead = new ArrayList<>();
    for (T i : pending) {
      InstanceInfo info = byName.get(name.apply(i));
      if (info != null && probe.alive(info.pid()).orElse(true)) {
        pids.put(name.apply(i), info.pid());
        if (events != null) {
          events.emit(
              ComposeEvent.Type.STARTED, service.apply(i), name.apply(i), "pid " + info.pid());
        }
      } else {
        dead.add(i);
      }
    }
    return dead;
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
    events.emit(
        attempt == 1 ? ComposeEvent.Type.STARTING : ComposeEvent.Type.RESTARTING,
        i.service(),
        i.name(),
        attempt == 1 ? "" : "attempt " + attempt + " of " + s.startupAttempts());
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

  private void launch(PlannedInstance i) {
    if (i.launch() instanceof InstanceRun run) {
      s.client().start(run);
    } else {
      s.client().start(i.start());
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

  /**
   * Whether an instance named like {@code i} that exists already belongs to this project: only when
   * the project's previous state or instance records name it, or this run set aside a damaged state
   * file of the project (which may have named it). A name alone proves nothing, whatever the
   * naming: the same project name in two directories, or project {@code a} with service {@code
   * b-web} and project {@code a-b} with service {@code web}, give the same instance name; such an
   * instance is another project's, and the start fails with the binary's "already exists".
   */
  private boolean ours(PlannedInstance i) {
    return previous.containsKey(i.name())
        || priorRecords.flatMap(r -> r.record(i.name())).isPresent()
        || damagedStateSetAside;
  }

  /**
   * {@code i}'s start met an instance of its name that the state does not show running (an up that
   * died between its start and its state write, a damaged state file set aside): adopts it when
   * what the state or the records recorded for it matches what this up would start ({@link
   * ConfigHash}, and the image stamp when recorded), else stops it so that it is started again.
   * Says which in a {@code RECOVERED} event and an INFO line.
   *
   * @return whether it was adopted (else it is stopped now)
   */
  private boolean adopted(PlannedInstance i) {
    ProjectState.Entry before = previous.get(i.name());
    Optional<String> mismatch;
    if (before != null) {
      mismatch =
          change(before, i)
              .map(c -> c.equals("changed") ? "its start command changed" : "its " + c);
    } else {
      Optional<InstanceRecords.Record> record = priorRecords.flatMap(r -> r.record(i.name()));
      if (record.isEmpty()) {
        mismatch = Optional.of("this project has no record of it");
      } else if (!ConfigHash.of(s.client(), record.get()).equals(config(i))) {
        mismatch = Optional.of("its start command changed");
      } else {
        mismatch = Optional.empty();
      }
    }
    if (mismatch.isEmpty()) {
      String why =
          "already running, not recorded as running; its recorded start command is the same:"
              + " adopted";
      LOG.info("{}: {}", i.name(), why);
      events.emit(ComposeEvent.Type.RECOVERED, i.service(), i.name(), why);
      return true;
    }
    String why =
        "already running, not recorded as running ("
            + mismatch.get()
            + "): stopping it to start it again";
    LOG.info("{}: {}", i.name(), why);
    events.emit(ComposeEvent.Type.RECOVERED, i.service(), i.name(), why);
    events.emit(ComposeEvent.Type.STOPPING, i.service(), i.name(), "recreating");
    try {
      s.client().stopAndWait(s.stopCommand(i.name(), StopSettings.of(i)), s.goneWait());
    } catch (InstanceNotFoundException gone) {
      LOG.debug("{} was gone already", i.name());
    }
    events.emit(ComposeEvent.Type.STOPPED, i.service(), i.name(), "recreating");
    return false;
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

  // ---- failure ----------------------------------------------------------------------------------

  private ComposeUpException failed(
      String who, String reason, SingularityCommand c, SingularityException e, String logs) {
    if (e instanceof CommandFailedException f) {
      return new ComposeUpException(
          who,
          reason + binaryReason(f.stderrTail()).map(r -> ": " + r).orElse(""),
          f.maskedArgv(),
          OptionalInt.of(f.exitCode()),
          logs,
          e);
    }
    if (e.getCause() instanceof CommandFailedException f) {
      return new ComposeUpException(
          who,
          reason
              + ": "
              + binaryReason(f.stderrTail())
                  .orElseGet(() -> e.getMessage().lines().findFirst().orElse("")),
          f.maskedArgv(),
          OptionalInt.of(f.exitCode()),
          logs,
          e);
    }
    return new ComposeUpException(
        who, reason + ": " + e.getMessage(), s.client().dryRun(c), OptionalInt.empty(), logs, e);
  }

  /**
   * The binary's reason: the first {@code FATAL:}/{@code ERROR:} line of its stderr (colour codes
   * already removed), its words passed through {@link SecretMasker}.
   */
  static Optional<String> binaryReason(String stderr) {
    return stderr
        .lines()
        .map(String::strip)
        .filter(l -> l.matches("^(FATAL|ERROR)\\b.*"))
        .findFirst()
        .map(l -> String.join(" ", SecretMasker.mask(List.of(l.split(" +")))));
  }

  private ComposeUpException asUpException(RuntimeException e) {
    if (e instanceof ComposeUpException u) {
      return u;
    }
    return new ComposeUpException(
        plan.project(), e.getMessage(), List.of(), OptionalInt.empty(), "", e);
  }

  /**
   * Stops what this up started, with the thread's interrupt status cleared (an interrupted up, e.g.
   * a CLI's Ctrl-C, must still stop what it started; the status is set again before returning).
   * When the project had a state file before (a repeat up), the previous state and instance records
   * are written back as they were, and the leases stay: the instances of the earlier up keep
   * running and stay visible to {@code ps} and {@code down}. Otherwise the leases are released and
   * the state and records files removed. Instances whose stop failed stay recorded (state, records
   * and leases) so that {@code down} can retry.
   *
   * @return the failure to throw; naming the instances that could not be stopped, if any
   */
  private ComposeUpException rollback(ComposeUpException failure) {
    boolean interrupted = Thread.interrupted();
    try {
      return rollbackUninterrupted(failure);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ComposeUpException rollbackUninterrupted(ComposeUpException failure) {
    background.forEach(RunningCommand::cancel);
    Map<String, InstanceOps.ServiceLevel> started = new LinkedHashMap<>();
    List<String> names;
    synchronized (launched) {
      names = new ArrayList<>(launched);
    }
    Collections.reverse(names);
    for (String n : names) {
      PlannedInstance i = plan.instance(n);
      started.put(n, new InstanceOps.ServiceLevel(i.service(), i.level(), StopSettings.of(i)));
    }
    Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try {
      ops.stopAll(started, failed);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    List<String> unstopped = names.stream().filter(failed::contains).toList();
    ComposeUpException out = failure;
    if (!unstopped.isEmpty()) {
      out =
          new ComposeUpException(
              failure.instance(),
              failure.reason(),
              failure.maskedArgv(),
              failure.exitCode(),
              failure.logTail(),
              failure.getCause(),
              unstopped);
      for (Throwable t : failure.getSuppressed()) {
        out.addSuppressed(t);
      }
    }
    try {
      StateDirectoryLock.holding(
          plan.stateDirectory(),
          () -> {
            writeBack(Set.copyOf(unstopped));
            return null;
          });
    } catch (RuntimeException e) {
      out.addSuppressed(e);
    }
    if (prior.isEmpty() && unstopped.isEmpty()) {
      ComposeUpException o = out;
      s.leases()
          .ifPresent(
              l -> {
                try {
                  l.release(plan.project());
                } catch (RuntimeException e) {
                  o.addSuppressed(e);
                }
              });
    }
    return out;
  }

  /**
   * Under the lock: the state and records as before this up (none for a first up), plus the entries
   * and records of {@code unstopped} that they do not have.
   */
  private void writeBack(Set<String> unstopped) {
    Path file = StateFile.in(plan.stateDirectory());
    List<ProjectState.Entry> entries = new ArrayList<>();
    Set<String> have = new java.util.HashSet<>();
    prior.ifPresent(
        p ->
            p.instances()
                .forEach(
                    e -> {
                      entries.add(e);
                      have.add(e.name());
                    }));
    ProjectState now = state();
    now.instances().stream()
        .filter(e -> unstopped.contains(e.name()) && !have.contains(e.name()))
        .forEach(entries::add);
    InstanceRecords.Content planned = InstanceRecords.ofPlan(plan, false);
    InstanceRecords.Content ours =
        new InstanceRecords.Content(
            planned.instances().stream().filter(r -> unstopped.contains(r.name())).toList(),
            planned.files());
    Optional<InstanceRecords.Content> records =
        priorRecords
            .map(r -> r.keeping(Optional.of(ours), unstopped))
            .or(() -> unstopped.isEmpty() ? Optional.empty() : Optional.of(ours));
    if (prior.isEmpty() && entries.isEmpty()) {
      StateFile.delete(file);
      InstanceRecords.delete(plan.stateDirectory());
      return;
    }
    ProjectState st =
        prior
            .map(
                p ->
                    new ProjectState(
                        p.project(), p.directory(), p.session(), p.updatedAt(), entries))
            .orElse(
                new ProjectState(
                    now.project(), now.directory(), now.session(), now.updatedAt(), entries));
    StateFile.write(file, st);
    if (records.isPresent()) {
      InstanceRecords.write(plan.stateDirectory(), records.get());
    } else {
      InstanceRecords.delete(plan.stateDirectory());
    }
  }

  // ---- state ------------------------------------------------------------------------------------

  /**
   * Writes the state under the project's lock ({@link StateDirectoryLock}); the entries this plan
   * does not have are taken as they are now (the supervisor of an open handle, or another process,
   * may have counted a restart since this up read them).
   */
  private void writeState() {
    RunLogStarts.record(plan.stateDirectory(), Map.copyOf(runLogStarts));
    Path file = StateFile.in(plan.stateDirectory());
    StateDirectoryLock.holding(
        plan.stateDirectory(),
        () -> {
          Map<String, ProjectState.Entry> now = new LinkedHashMap<>();
          StateFile.read(file)
              .filter(st -> st.project().equals(plan.project()))
              .ifPresent(st -> st.instances().forEach(e -> now.put(e.name(), e)));
          ProjectState st = state();
          List<ProjectState.Entry> entries = new ArrayList<>();
          Set<String> planned = new java.util.HashSet<>();
          plan.instances().forEach(i -> planned.add(i.name()));
          for (ProjectState.Entry e : st.instances()) {
            entries.add(planned.contains(e.name()) ? e : now.getOrDefault(e.name(), e));
          }
          StateFile.write(
              file,
              new ProjectState(
                  st.project(), st.directory(), st.session(), st.updatedAt(), entries));
          return null;
        });
  }

  /**
   * The image stamp to record for {@code i}: the one this up read; for a kept instance whose image
   * could not be looked at now, the one recorded before.
   */
  private Optional<FileStamp> recordedStamp(PlannedInstance i) {
    Optional<FileStamp> now = stamp(i);
    ProjectState.Entry before = previous.get(i.name());
    if (now.isEmpty() && before != null && kept.contains(i.name())) {
      return before.imageStamp();
    }
    return now;
  }

  private int keptRestarts(String name) {
    ProjectState.Entry before = previous.get(name);
    return before != null && kept.contains(name) ? before.restarts() : 0;
  }

  /**
   * Entries of the previous up that this plan does not have (an {@code up SERVICE}, or a service no
   * longer in the file) and that still run, or that the user stopped: they stay recorded, so {@code
   * ps}, {@code start} and {@code down} still see them.
   */
  private List<ProjectState.Entry> others() {
    Set<String> stopped = priorRecords.map(InstanceRecords.Content::stopped).orElse(Set.of());
    return previous.values().stream()
        .filter(e -> !plan.instances().stream().anyMatch(i -> i.name().equals(e.name())))
        .filter(e -> listedAtStart.containsKey(e.name()) || stopped.contains(e.name()))
        .toList();
  }

  /**
   * Writes the records of the plan (stopped marks cleared), keeping the records and files of the
   * {@link #others()}.
   */
  private void writeRecords() {
    Set<String> keep = new java.util.HashSet<>();
    others().forEach(e -> keep.add(e.name()));
    StateDirectoryLock.holding(
        plan.stateDirectory(),
        () -> {
          Optional<InstanceRecords.Content> now;
          try {
            now = InstanceRecords.read(plan.stateDirectory());
          } catch (RuntimeException e) {
            now = priorRecords;
          }
          InstanceRecords.write(
              plan.stateDirectory(), InstanceRecords.ofPlan(plan, false).keeping(now, keep));
          return null;
        });
  }

  /** The address {@code plan} gives {@code instance} on the project network, or "" when none. */
  public static String address(UpPlan plan, String instance) {
    return plan.network().instances().stream()
        .filter(n -> n.instance().equals(instance))
        .findFirst()
        .flatMap(n -> n.address())
        .map(Object::toString)
        .orElse("");
  }

  private ProjectState state() {
    List<ProjectState.Entry> entries = new ArrayList<>();
    for (PlannedInstance i : plan.instances()) {
      Long pid = pids.get(i.name());
      if (pid == null
          && !launched.contains(i.name())
          && !skipped.contains(i.name())
          && !starting.contains(i.name())) {
        // not reached yet: recorded as the previous up left it, so that a JVM that dies now
        // leaves a state file naming everything that may run
        ProjectState.Entry before = previous.get(i.name());
        if (before != null && i.oneOff().isEmpty()) {
          entries.add(before);
        }
        continue;
      }
      String ip = address(plan, i.name());
      boolean unconfirmed =
          pid == null && starting.contains(i.name()) && !skipped.contains(i.name());
      entries.add(
          new ProjectState.Entry(
              i.service(),
              i.name(),
              i.replica(),
              i.level(),
              i.start().image(),
              pid == null ? 0 : pid,
              ip,
              restarts.getOrDefault(i.name(), 0) + keptRestarts(i.name()),
              config(i),
              recordedStamp(i),
              unconfirmed,
              unconfirmed ? Optional.ofNullable(startingSince.get(i.name())) : Optional.empty()));
    }
    entries.addAll(others());
    return new ProjectState(
        plan.project(), plan.directory().toString(), session, s.clock().instant(), entries);
  }
}
