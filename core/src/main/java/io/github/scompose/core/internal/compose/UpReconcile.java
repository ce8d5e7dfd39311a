package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.transport.FileStamp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of an {@link UpRun} that meets a previous up of the project: reads its state and records
 * (setting a damaged file aside), removes orphans, keeps, recreates or adopts what runs (config
 * digest and image stamps), and decides whether an instance of the project's own name is ours.
 */
abstract class UpReconcile extends UpRunState {

  /** The log of {@link UpRun}, whose part this is. */
  private static final Logger LOG = LoggerFactory.getLogger(UpRun.class);

  UpReconcile(EngineSettings settings, UpPlan plan, Events events, String session) {
    super(settings, plan, events, session);
  }

  /**
   * {@link io.github.scompose.core.compose.PlanOptions#removeOrphans()}: stops the recorded
   * instances of services the project no longer defines (those listed: each with its recorded stop
   * settings, waiting until it is gone) and forgets them, so that the state and records written by
   * this up leave them out.
   */
  void removeOrphans() {
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

  /**
   * A previous up of this project (its state file; its JVM may have died): one listing tells what
   * still runs.
   */
  void readPrevious() {
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
  void setAside(DamagedStateException e) {
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
  List<PlannedInstance> reconcile(List<PlannedInstance> level) {
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
  Optional<String> change(ProjectState.Entry before, PlannedInstance i) {
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

  static String describe(FileStamp stamp) {
    return stamp.size() + " bytes, modified " + stamp.modified();
  }

  /**
   * Reads the {@link FileStamp} of each distinct image of the plan's instances once, after the
   * image steps (a pulled or built SIF is stamped as it is now), through the transport (the host
   * where the binary runs).
   */
  void stampImages() {
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

  /**
   * Whether an instance named like {@code i} that exists already belongs to this project: only when
   * the project's previous state or instance records name it, or this run set aside a damaged state
   * file of the project (which may have named it). A name alone proves nothing, whatever the
   * naming: the same project name in two directories, or project {@code a} with service {@code
   * b-web} and project {@code a-b} with service {@code web}, give the same instance name; such an
   * instance is another project's, and the start fails with the binary's "already exists".
   */
  boolean ours(PlannedInstance i) {
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
  boolean adopted(PlannedInstance i) {
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
}
