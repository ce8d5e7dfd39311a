package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code create} ({@code up --no-start}) of the compose engine: everything {@code up} does before
 * the first start ({@link StatePreparation#prepare}, secrets, images; the caller took the leases),
 * then the instances recorded as created ({@link ProjectStore#save}: records first).
 */
public final class ProjectCreation {

  private final EngineSettings settings;
  private final String session;

  /** A creation by the process {@code session} names. */
  public ProjectCreation(EngineSettings settings, String session) {
    this.settings = settings;
    this.session = session;
  }

  /**
   * Creates {@code plan} (see {@code Compose.create}).
   *
   * @throws IllegalStateException when an instance the state file records is running
   * @throws io.github.scompose.core.compose.ComposeOperationException when a pull or build fails;
   *     when the project had no state before, the leases are released again
   */
  public void create(UpPlan plan) {
    Path state = plan.stateDirectory();
    Optional<ProjectState> prior = StateFile.read(StateFile.in(state));
    if (prior.isPresent()) {
      Set<String> listed = new HashSet<>();
      settings.client().list().forEach(i -> listed.add(i.name()));
      List<String> running =
          prior.get().instances().stream()
              .map(ProjectState.Entry::name)
              .filter(listed::contains)
              .toList();
      if (!running.isEmpty()) {
        throw new IllegalStateException(
            "project "
                + plan.project()
                + " is up ("
                + String.join(", ", running)
                + " running); use start, up or down");
      }
    }
    Events events = new Events(plan.project(), settings.listeners(), settings.clock());
    try {
      StatePreparation.prepare(settings.client().transport(), plan);
      for (PlannedInstance i : plan.instances()) {
        OperationFailures.checkSecrets(
            settings.client().transport(), "create", i.name(), i.start().binds());
      }
      ImageSteps images = new ImageSteps(settings, events);
      Parallel.forEach(
          settings.executor(),
          settings.parallelism(),
          plan.images(),
          step -> images.get("create", step, false));
      List<ProjectState.Entry> entries = new ArrayList<>();
      for (PlannedInstance i : plan.instances()) {
        if (i.oneOff().isPresent()) {
          continue; // runs once in up; never an instance (as up records it)
        }
        String ip = UpRun.address(plan, i.name());
        entries.add(
            new ProjectState.Entry(
                i.service(),
                i.name(),
                i.replica(),
                i.level(),
                i.start().image(),
                0,
                ip,
                0,
                ConfigHash.of(settings.client(), i)));
      }
      // records first, each file replaced atomically: never a state file without its records
      ProjectState created =
          new ProjectState(
              plan.project(),
              plan.directory().toString(),
              session,
              settings.clock().instant(),
              entries);
      ProjectStore.in(state).save(InstanceRecords.ofPlan(plan, true), created);
    } catch (RuntimeException e) {
      if (prior.isEmpty()) {
        settings.leases().ifPresent(l -> l.release(plan.project()));
      }
      throw e;
    }
  }
}
