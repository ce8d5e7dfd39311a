package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.InstanceCommand;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.compose.UpPlanner;
import io.github.scompose.network.NetworkPlan;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the compose engine runs besides instances: a one-off {@code run} of a service's image, and
 * {@code exec} / {@code run} in a recorded instance with the environment it was started with.
 */
public final class InstanceCommands {

  private final EngineSettings settings;
  private final ProjectPlanning planning;
  private final String stateDirectoryName;

  /** Commands of projects whose state is in {@code stateDirectoryName} under their directory. */
  public InstanceCommands(
      EngineSettings settings, ProjectPlanning planning, String stateDirectoryName) {
    this.settings = settings;
    this.planning = planning;
    this.stateDirectoryName = stateDirectoryName;
  }

  /**
   * A one-off {@code run} of {@code service}'s image (see {@code Compose.run}) with {@code
   * environment} added to, or overriding, the service's: the recorded settings of its first replica
   * when the project is up or created, else planned from {@code project} now (getting its image
   * first). Values never appear in argv.
   *
   * @throws IllegalArgumentException naming an unknown service, or a variable name that is not
   *     {@code [A-Za-z_][A-Za-z0-9_]*}
   */
  public io.github.scompose.core.transport.CommandResult run(
      ComposeProject project, String service, Map<String, String> environment, String... args) {
    if (project.service(service).isEmpty()) {
      throw new IllegalArgumentException(
          "no service '" + service + "' in project " + project.name());
    }
    Path state = project.directory().resolve(stateDirectoryName);
    Optional<io.github.scompose.core.client.InstanceStart> recorded = recordedStart(state, service);
    if (recorded.isPresent()) {
      return runStart(state, project.name(), service, recorded.get(), environment, args);
    }
    ComposeProject portless =
        project.withServices(
            project.services().stream()
                .map(
                    s ->
                        (io.github.scompose.spec.ServiceSpec)
                            s.withPorts(List.of()).withReplicas(Math.max(1, s.replicas())))
                .toList());
    PlanOptions options =
        planning.withProfiles(
            PlanOptions.builder()
                .addServices(service)
                .stateDirectoryName(stateDirectoryName)
                .build());
    NetworkPlan network =
        NetworkPlanner.create().plan(UpPlanner.networkRequest(portless, planning.facts(), options));
    UpPlan plan = UpPlanner.plan(portless, planning.facts(), network, options);
    Events events = new Events(project.name(), settings.listeners(), settings.clock());
    ImageSteps images = new ImageSteps(settings, events);
    plan.images().stream()
        .filter(s -> s.service().equals(service))
        .forEach(s -> images.get("run", s, false));
    PlannedInstance first =
        plan.instances().stream()
            .filter(i -> i.service().equals(service))
            .findFirst()
            .orElseThrow();
    return runStart(state, project.name(), service, first.start(), environment, args);
  }

  /**
   * A one-off {@code run} of {@code service} with the recorded settings of the project in {@code
   * stateDirectory}.
   */
  public io.github.scompose.core.transport.CommandResult runState(
      Path stateDirectory, String service, String... args) {
    String project =
        StateFile.read(StateFile.in(stateDirectory))
            .map(ProjectState::project)
            .orElseThrow(() -> new IllegalStateException("no project state in " + stateDirectory));
    io.github.scompose.core.client.InstanceStart start =
        recordedStart(stateDirectory, service)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no service '" + service + "' recorded in project " + project));
    return runStart(stateDirectory, project, service, start, Map.of(), args);
  }

  private static Optional<io.github.scompose.core.client.InstanceStart> recordedStart(
      Path state, String service) {
    return InstanceRecords.read(state).stream()
        .flatMap(c -> c.instances().stream())
        .filter(r -> r.service().equals(service))
        .sorted(java.util.Comparator.comparingInt(InstanceRecords.Record::replica))
        .map(InstanceRecords.Record::start)
        .findFirst();
  }

  private io.github.scompose.core.transport.CommandResult runStart(
      Path state,
      String project,
      String service,
      io.github.scompose.core.client.InstanceStart start,
      Map<String, String> environment,
      String... args) {
    io.github.scompose.core.client.Run run = OneOffRun.of(start, state, args);
    if (!environment.isEmpty()) {
      Map<String, String> merged = new LinkedHashMap<>(run.environment());
      merged.putAll(environment);
      run = run.withEnvironment(merged);
    }
    OneOffRun.prepare(settings.client().transport(), state, run, project + "-" + service);
    return settings.client().run(run);
  }

  public io.github.scompose.core.transport.CommandResult execState(
      Path stateDirectory, InstanceCommand command) {
    if (command.args().isEmpty()) {
      throw new IllegalArgumentException("exec needs a command");
    }
    io.github.scompose.core.client.InstanceStart start =
        recordedStartOf(stateDirectory, command.instance());
    return settings
        .client()
        .execAnyExit(
            InstanceEnvironment.exec(
                    start, command.instance(), command.args(), command.environment())
                .withPwd(command.workingDirectory()));
  }

  public io.github.scompose.core.transport.CommandResult runInInstanceState(
      Path stateDirectory, InstanceCommand command) {
    io.github.scompose.core.client.InstanceStart start =
        recordedStartOf(stateDirectory, command.instance());
    return settings
        .client()
        .runAnyExit(
            InstanceEnvironment.run(
                    start, command.instance(), command.args(), command.environment())
                .withPwd(command.workingDirectory()));
  }

  /** The recorded start of {@code instance}, for the environment of what runs in it. */
  private static io.github.scompose.core.client.InstanceStart recordedStartOf(
      Path state, String instance) {
    return InstanceRecords.read(state)
        .flatMap(c -> c.record(instance))
        .map(InstanceRecords.Record::start)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "instance "
                        + instance
                        + " is not recorded in "
                        + InstanceRecords.in(state)
                        + " (is the project up?)"));
  }
}
