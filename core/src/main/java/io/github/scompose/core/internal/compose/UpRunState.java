package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link UpRun} knows and records: the plan, what it started, confirmed, skipped and kept,
 * and the writing of the state file and the instance records (write-ahead, records first). The
 * first layer of {@link UpRun}, whose responsibilities are split over {@link UpRunState}, {@link
 * UpReconcile} (the previous up) and {@link UpRollback} (failure).
 */
abstract class UpRunState {

  /** The log of {@link UpRun}, whose part this is. */
  private static final Logger LOG = LoggerFactory.getLogger(UpRun.class);

  final EngineSettings s;
  final UpPlan plan;
  final Events events;
  final InstanceOps ops;
  final PidProbe probe;
  final String session;
  final HealthWait health;
  final List<String> launched = Collections.synchronizedList(new ArrayList<>());

  /** Where the runs this up starts begin in their log files, by instance ({@link RunLogStarts}). */
  final Map<String, RunLogStarts.Start> runLogStarts =
      new java.util.concurrent.ConcurrentHashMap<>();

  final Map<String, Long> pids = new ConcurrentHashMap<>();
  final Map<String, Integer> restarts = new ConcurrentHashMap<>();
  final Map<String, Integer> completed = new ConcurrentHashMap<>();

  /**
   * Instances whose {@code instance start} is about to be issued or was issued and not yet
   * confirmed: written ahead into the state file (as {@code starting}) before their level's starts,
   * so that {@code down} stops them even when this JVM dies before the confirmation.
   */
  final Set<String> starting = ConcurrentHashMap.newKeySet();

  /** When each of {@link #starting} was written ahead ({@code startingSince} in the state file). */
  final Map<String, java.time.Instant> startingSince = new ConcurrentHashMap<>();

  /** Instances whose start failed but that only {@code required: false} waits name. */
  final Set<String> skipped = ConcurrentHashMap.newKeySet();

  final List<RunningCommand> background = Collections.synchronizedList(new ArrayList<>());
  final Map<String, String> configs = new ConcurrentHashMap<>();

  /** {@link Transport#stat} of each distinct image of the plan, read once per up. */
  final Map<String, Optional<FileStamp>> stamps = new ConcurrentHashMap<>();

  final List<String> kept = Collections.synchronizedList(new ArrayList<>());
  Map<String, ProjectState.Entry> previous = Map.of();
  Map<String, InstanceInfo> listedAtStart = Map.of();
  Optional<ProjectState> prior = Optional.empty();
  Optional<InstanceRecords.Content> priorRecords = Optional.empty();

  /** Whether this run set aside a damaged state file of the project ({@link #setAside}). */
  volatile boolean damagedStateSetAside;

  /** A run of {@code plan}; {@code session} names this process in the state file. */
  UpRunState(EngineSettings settings, UpPlan plan, Events events, String session) {
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
   * Writes the state under the project's lock ({@link StateDirectoryLock}); the entries this plan
   * does not have are taken as they are now (the supervisor of an open handle, or another process,
   * may have counted a restart since this up read them).
   */
  void writeState() {
    Path file = StateFile.in(plan.stateDirectory());
    StateDirectoryLock.holding(
        plan.stateDirectory(),
        () -> {
          // in the same hold of the lock (it is reentrant): one wait for it per write, not two
          RunLogStarts.record(plan.stateDirectory(), Map.copyOf(runLogStarts));
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

  /** The stamp of {@code i}'s image read by this up, empty when unknown. */
  Optional<FileStamp> stamp(PlannedInstance i) {
    return stamps.getOrDefault(i.start().image(), Optional.empty());
  }

  /**
   * The image stamp to record for {@code i}: the one this up read; for a kept instance whose image
   * could not be looked at now, the one recorded before.
   */
  Optional<FileStamp> recordedStamp(PlannedInstance i) {
    Optional<FileStamp> now = stamp(i);
    ProjectState.Entry before = previous.get(i.name());
    if (now.isEmpty() && before != null && kept.contains(i.name())) {
      return before.imageStamp();
    }
    return now;
  }

  int keptRestarts(String name) {
    ProjectState.Entry before = previous.get(name);
    return before != null && kept.contains(name) ? before.restarts() : 0;
  }

  /**
   * Entries of the previous up that this plan does not have (an {@code up SERVICE}, or a service no
   * longer in the file) and that still run, or that the user stopped: they stay recorded, so {@code
   * ps}, {@code start} and {@code down} still see them.
   */
  List<ProjectState.Entry> others() {
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
  void writeRecords() {
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

  ProjectState state() {
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

  /** The {@link ConfigHash} of {@code i}, computed once per run. */
  String config(PlannedInstance i) {
    return configs.computeIfAbsent(i.name(), k -> ConfigHash.of(s.client(), i));
  }

  String tail(String text) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - s.logTailLines());
    return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
  }

  void launch(PlannedInstance i) {
    LevelStart.launch(s.client(), i.launch(), i.start());
  }
}
