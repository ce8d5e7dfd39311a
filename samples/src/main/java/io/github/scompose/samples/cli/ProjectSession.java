package io.github.scompose.samples.cli;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.spec.ComposeProject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What an engine command works with: the loaded project, the runtime, an engine reporting to {@link
 * Progress}, and the plan options of the global flags. Closing ends the runtime connection
 * (instances keep running).
 */
final class ProjectSession implements AutoCloseable {

  private final ScomposeCommand root;
  private final ComposeProject project;
  private final CliRuntime runtime;
  private final Progress progress;
  private final Compose compose;

  private ProjectSession(ScomposeCommand root, ComposeProject project, Duration stopTimeout) {
    this.root = root;
    this.project = project;
    AcrossNodesCli.refuseOneNodeCommand(project); // issue 16: up, ps, logs, down work across nodes
    ProblemPrinter.print(project.warnings(), root.err);
    this.runtime = root.connect();
    this.progress =
        new Progress(
            root.err,
            root.terminal,
            path ->
                runtime.client().transport().stat(path).stream()
                    .mapToLong(io.github.scompose.core.transport.FileStamp::size)
                    .findFirst());
    this.compose = engine(runtime, progress, stopTimeout, List.copyOf(root.activeProfiles()));
  }

  /**
   * An engine on {@code runtime} reporting to {@code progress}; engine default when null; {@code
   * profiles} ({@link ScomposeCommand#activeProfiles}) replace the wiring's {@code
   * COMPOSE_PROFILES} when not empty.
   */
  static Compose engine(
      CliRuntime runtime, Progress progress, Duration stopTimeout, List<String> profiles) {
    Compose.Builder b = runtime.composeBuilder().listener(progress);
    if (!profiles.isEmpty()) {
      b.profiles(profiles);
    }
    if (stopTimeout != null) {
      b.stopTimeout(stopTimeout);
    }
    return b.build();
  }

  static ProjectSession open(ScomposeCommand root) {
    return open(root, null);
  }

  static ProjectSession open(ScomposeCommand root, Duration stopTimeout) {
    return new ProjectSession(root, root.loadProject(), stopTimeout);
  }

  /** A session on a project already loaded. */
  static ProjectSession open(ScomposeCommand root, ComposeProject project, Duration stopTimeout) {
    return new ProjectSession(root, project, stopTimeout);
  }

  ComposeProject project() {
    return project;
  }

  CliRuntime runtime() {
    return runtime;
  }

  SingularityClient client() {
    return runtime.client();
  }

  Compose compose() {
    return compose;
  }

  Progress progress() {
    return progress;
  }

  /**
   * Plan options: naming and start lines of {@code --compat} ({@link
   * PlanOptions#referenceCompatible()}), only {@code services} (all when empty).
   */
  PlanOptions planOptions(Collection<String> services) {
    checkServices(services);
    return PlanOptions.builder()
        .naming(naming())
        .referenceCompatible(root.referenceCompat())
        .services(Set.copyOf(services))
        .build();
  }

  /**
   * @throws CliException (exit 2) naming the first unknown service
   */
  void checkServices(Collection<String> services) {
    for (String s : services) {
      if (project.service(s).isEmpty()) {
        throw new CliException(
            ScomposeCommand.EXIT_INVALID,
            "no such service: "
                + s
                + " (services: "
                + String.join(", ", project.services().stream().map(x -> x.name()).toList())
                + ")");
      }
    }
  }

  /**
   * The instance naming of {@code --compat}: {@code <service><n>} for singularity-compose, {@code
   * <project>.<service>} for singularity-stack, else the default.
   */
  InstanceNaming naming() {
    return root.compat == ScomposeCommand.Compat.SINGULARITY_COMPOSE
        ? InstanceNaming.REFERENCE
        : root.compat == ScomposeCommand.Compat.SINGULARITY_STACK
            ? InstanceNaming.STACK
            : InstanceNaming.PROJECT;
  }

  /**
   * {@code ps} of the project, only {@code services} (all when empty).
   *
   * @throws CliException (exit 1) when the state or records file is damaged, naming it, saying what
   *     is wrong and that {@code down} recovers
   */
  List<InstanceStatus> ps(Collection<String> services) {
    checkServices(services);
    return psAll().stream()
        .filter(i -> services.isEmpty() || services.contains(i.service()))
        .toList();
  }

  /**
   * The running instances of {@code service}, in replica order.
   *
   * @throws CliException (exit 1) when the project is not up or the service has no instance
   */
  List<InstanceStatus> running(String service) {
    checkServices(List.of(service));
    List<InstanceStatus> all = psAll();
    if (all.isEmpty()) {
      throw new CliException(
          ScomposeCommand.EXIT_FAILURE,
          "project " + project.name() + " is not up (no state in " + project.directory() + ")");
    }
    List<InstanceStatus> out =
        all.stream()
            .filter(i -> i.service().equals(service))
            .filter(i -> i.state() == InstanceStatus.State.RUNNING)
            .toList();
    if (out.isEmpty()) {
      throw new CliException(
          ScomposeCommand.EXIT_FAILURE, "service " + service + " has no running instance");
    }
    return out;
  }

  private List<InstanceStatus> psAll() {
    try {
      return compose.ps(project.directory());
    } catch (DamagedStateException e) {
      throw damaged(e, root.compat);
    }
  }

  /**
   * The one line for a damaged state or records file: which file, what is wrong, and that {@code
   * down} gets out of it ({@code scompose --compat MODE down} with the {@code --compat} given, null
   * for none: the damaged file may be all that knew the {@code --compat} names).
   */
  static CliException damaged(DamagedStateException e, ScomposeCommand.Compat compat) {
    return new CliException(
        ScomposeCommand.EXIT_FAILURE,
        e.getMessage()
            + "; run 'scompose "
            + (compat != null ? "--compat " + compat + " " : "")
            + "down' to stop the project's instances (it keeps the damaged file as a .bak file)");
  }

  @Override
  public void close() {
    progress.finish();
    runtime.close();
  }
}
