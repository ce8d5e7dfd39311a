package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.DamagedStateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code down} of the compose engine: stops what the state file records (or, when it is damaged,
 * what the records or the project's names find in one listing), releases the leases and removes the
 * state through {@link ProjectStore}.
 */
public final class Teardown {

  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  private final EngineSettings engine;

  /** A teardown with the engine's settings. */
  public Teardown(EngineSettings engine) {
    this.engine = engine;
  }

  private static void deleteTree(Path root) {
    if (!java.nio.file.Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = java.nio.file.Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot delete the volumes in " + root, e);
    }
  }

  /** Refuses a per-call stop timeout under one second ({@code null}: the engine's). */
  public static void requireStopTimeout(Duration timeout) {
    if (timeout != null && timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "stop timeout " + timeout + ": instance stop needs at least 1 second");
    }
  }

  /**
   * {@code down} of the project in {@code stateDirectory} (see {@code Compose.down}), then, when
   * {@code removeVolumes}, its named volumes ({@code <state>/volumes}).
   *
   * @param timeout {@code instance stop --timeout}; {@code null} for the engine's
   * @return the instances stopped (or found already gone), highest level first
   */
  public List<String> down(
      Path stateDirectory, Duration timeout, ProjectInstanceNames names, boolean removeVolumes) {
    List<String> stopped = downState(stateDirectory, timeout, names);
    if (removeVolumes) {
      deleteTree(stateDirectory.resolve("volumes"));
    }
    return stopped;
  }

  private List<String> downState(
      Path stateDirectory, Duration timeout, ProjectInstanceNames names) {
    requireStopTimeout(timeout);
    EngineSettings settings = timeout == null ? this.engine : this.engine.withStopTimeout(timeout);
    Path file = StateFile.in(stateDirectory);
    Optional<ProjectState> state;
    try {
      state = StateFile.read(file);
    } catch (DamagedStateException e) {
      return downDamaged(stateDirectory, settings, names, e);
    }
    if (state.isEmpty()) {
      return List.of();
    }
    ProjectState s = state.get();
    Events events = new Events(s.project(), settings.listeners(), settings.clock());
    Map<String, InstanceOps.ServiceLevel> byName = new LinkedHashMap<>();
    List<ProjectState.Entry> entries = new ArrayList<>(s.instances());
    entries.sort((a, b) -> Integer.compare(b.level(), a.level()));
    Map<String, StopSettings> stops = InstanceRecords.stopSettings(stateDirectory);
    for (ProjectState.Entry e : entries) {
      byName.put(
          e.name(),
          new InstanceOps.ServiceLevel(
              e.service(), e.level(), stops.getOrDefault(e.name(), StopSettings.DEFAULT)));
    }
    // marked stopped first, as stop does: a restart-supervisor round (of any process) between the
    // stops and the deletion of the state below reads the marks after its listing and leaves them
    Optional<DamagedStateException> damagedRecords =
        StateDirectoryLock.holding(
            stateDirectory,
            () -> {
              try {
                InstanceRecords.read(stateDirectory)
                    .ifPresent(
                        c ->
                            InstanceRecords.write(
                                stateDirectory, c.withStopped(byName.keySet(), true)));
                return Optional.<DamagedStateException>empty();
              } catch (DamagedStateException e) {
                return Optional.of(e);
              }
            });
    InstanceOps ops = new InstanceOps(settings, events);
    ops.stopAll(byName);
    // an instance recorded as starting that was not there: the start child of an up whose JVM
    // died may still be running and register it after this down; wait for it, bounded
    Map<String, InstanceOps.ServiceLevel> late = new LinkedHashMap<>();
    Map<String, java.time.Instant> until = new HashMap<>();
    Set<String> absent = ops.absent();
    for (ProjectState.Entry e : entries) {
      if (e.starting() && absent.contains(e.name())) {
        late.put(e.name(), byName.get(e.name()));
        until.put(e.name(), e.startingSince().orElse(s.updatedAt()).plus(settings.startingGrace()));
      }
    }
    if (!late.isEmpty()) {
      ops.stopLateStarts(late, until);
    }
    settings
        .leases()
        .ifPresent(
            l -> {
              l.release(s.project());
              LeaseOwners.forget(l, s.project(), stateDirectory);
            });
    Optional<Path> kept =
        StateDirectoryLock.holding(
            stateDirectory,
            () -> {
              StateFile.delete(file);
              if (damagedRecords.isPresent()) {
                return Optional.of(StateFile.setAside(InstanceRecords.in(stateDirectory)));
              }
              InstanceRecords.delete(stateDirectory);
              return Optional.<Path>empty();
            });
    kept.ifPresent(
        k -> {
          String what = damagedRecords.get().getMessage() + "; kept it as " + k.getFileName();
          events.emit(ComposeEvent.Type.RECOVERED, null, null, what);
        });
    return List.copyOf(byName.keySet());
  }

  /**
   * {@code down} when the state file is damaged: one listing; when the instance records are
   * readable, exactly the listed instances they name are stopped; else those {@code names} matches
   * (the project's services when the compose files were at hand), leaving out every instance that
   * another project's leases or state directory (its lease owner file) names. The leases are
   * released; the damaged file (and a damaged records file) kept as {@code .bak}, a readable
   * records file removed as down does.
   */
  private List<String> downDamaged(
      Path stateDirectory,
      EngineSettings settings,
      ProjectInstanceNames names,
      DamagedStateException damage) {
    String project = names.project();
    Events events = new Events(project, settings.listeners(), settings.clock());
    Optional<InstanceRecords.Content> records;
    try {
      records = InstanceRecords.read(stateDirectory);
    } catch (DamagedStateException e) {
      records = Optional.empty();
    }
    Map<String, InstanceOps.ServiceLevel> byName = new LinkedHashMap<>();
    Set<String> listed = new HashSet<>();
    settings.client().list().forEach(i -> listed.add(i.name()));
    String how;
    if (records.isPresent()) {
      List<InstanceRecords.Record> rs = new ArrayList<>(records.get().instances());
      rs.sort((a, b) -> Integer.compare(b.level(), a.level()));
      for (InstanceRecords.Record r : rs) {
        if (listed.contains(r.name())) {
          byName.put(r.name(), new InstanceOps.ServiceLevel(r.service(), r.level(), r.stop()));
        }
      }
      how = "that " + InstanceRecords.in(stateDirectory).getFileName() + " records";
    } else {
      Set<String> others =
          settings.leases().map(l -> LeaseOwners.recordedByOthers(l, project)).orElse(Set.of());
      for (String i : listed.stream().sorted().toList()) {
        if (others.contains(i)) {
          continue;
        }
        names.service(i).ifPresent(sv -> byName.put(i, new InstanceOps.ServiceLevel(sv, 0)));
      }
      how =
          names.services().isEmpty()
              ? "named as project " + project + "'s"
              : "named as instances of project " + project + "'s services";
    }
    String found =
        byName.isEmpty()
            ? "no listed instance is one " + how
            : "stopping the listed instances " + how + ": " + String.join(", ", byName.keySet());
    events.emit(ComposeEvent.Type.RECOVERED, null, null, damage.getMessage() + "; " + found);
    new InstanceOps(settings, events).stopAll(byName);
    settings
        .leases()
        .ifPresent(
            l -> {
              l.release(project);
              LeaseOwners.forget(l, project, stateDirectory);
            });
    List<String> kept =
        StateDirectoryLock.holding(
            stateDirectory,
            () -> {
              List<String> out = new ArrayList<>();
              out.add(
                  damage.file().getFileName()
                      + " as "
                      + StateFile.setAside(damage.file()).getFileName());
              try {
                InstanceRecords.read(stateDirectory);
                InstanceRecords.delete(stateDirectory);
              } catch (DamagedStateException damagedRecords) {
                LOG.warn("{}: {}", project, damagedRecords.getMessage());
                out.add(
                    damagedRecords.file().getFileName()
                        + " (also damaged: "
                        + damagedRecords.problem()
                        + ") as "
                        + StateFile.setAside(damagedRecords.file()).getFileName());
              }
              return out;
            });
    String what = "kept the damaged " + String.join(" and ", kept) + " in " + stateDirectory;
    events.emit(ComposeEvent.Type.RECOVERED, null, null, what);
    return List.copyOf(byName.keySet());
  }
}
