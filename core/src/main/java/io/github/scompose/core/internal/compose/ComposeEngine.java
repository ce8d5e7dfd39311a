package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.InstanceCommand;
import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.core.compose.ServiceImage;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind the public {@code Compose} facade and its {@code ComposeStack} handles: one
 * method per operation, each carried out by its own class ({@link ProjectPlanning}, {@link
 * ProjectLeases}, {@link UpRun}, {@link ProjectCreation}, {@link Teardown}, {@link
 * InstanceLifecycle}, {@link ImageOperations}, {@link InstanceCommands}, {@link ProjectStatus},
 * {@link Supervision}). Immutable and thread-safe.
 */
public final class ComposeEngine {

  /** The log of the facade, {@code Compose}, whose operations these are. */
  private static final Logger LOG =
      LoggerFactory.getLogger("io.github.scompose.core.compose.Compose");

  /**
   * Attempts of {@code up}/{@code create} of a project whose plan another project outdated. Each
   * failed attempt means another project took its leases in between, so N projects brought up at
   * once need at most N - 1 plans more (20 CLI {@code up}s at once on a real SingularityCE 3.4.2
   * needed more than 3).
   */
  static final int PLAN_ATTEMPTS = 64;

  /** The default executor: a shared cached pool of daemon threads. */
  public static final ExecutorService DEFAULT_EXECUTOR =
      Executors.newCachedThreadPool(
          new ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "scompose-engine-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  /**
   * What a {@code ComposeStack} handle is opened on.
   *
   * @param supervision the restart-policy supervision, or {@code null} for none
   */
  public record Opened(
      ProjectInstanceNames names,
      Path stateDirectory,
      List<RunningCommand> background,
      Supervision supervision) {}

  private final EngineSettings settings;
  private final ProjectPlanning planning;
  private final String session;
  private final Duration supervisionInterval;
  private final String stateDirectoryName;
  private final Map<UpPlan, Source> planned = Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * An engine.
   *
   * @param profiles compose profiles active when a call names none
   * @param supervisionInterval interval of the restart-policy rounds; zero: no background rounds
   * @param stateDirectoryName the state folder under a project directory
   */
  public ComposeEngine(
      EngineSettings settings,
      RuntimeFacts facts,
      NetworkPlanner planner,
      Set<String> profiles,
      Duration supervisionInterval,
      String stateDirectoryName) {
    this.settings = settings;
    this.planning = new ProjectPlanning(settings, facts, planner, profiles);
    this.session = ProcessHandle.current().pid() + "@" + hostName();
    this.supervisionInterval = supervisionInterval;
    this.stateDirectoryName = stateDirectoryName;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /** The runtime facts plans are made with. */
  public RuntimeFacts facts() {
    return planning.facts();
  }

  /** The settings. */
  public EngineSettings settings() {
    return settings;
  }

  /** The engine clock's now (log lines' read times). */
  public Instant now() {
    return settings.clock().instant();
  }

  /** The state directory of the project in {@code projectDirectory}. */
  public Path stateDirectory(Path projectDirectory) {
    return projectDirectory.resolve(stateDirectoryName);
  }

  // ---- plan, up, create, attach

  /** The default plan options with the engine's state directory name. */
  public PlanOptions defaultOptions() {
    return PlanOptions.builder().stateDirectoryName(stateDirectoryName).build();
  }

  /** The plan with {@link #defaultOptions()}. */
  public UpPlan plan(ComposeProject project) {
    return plan(project, defaultOptions());
  }

  /**
   * {@link ProjectPlanning#plan}: no lease, no file. The engine remembers what it planned from (as
   * long as the caller holds the plan), so that {@code up} and {@code create} of a plan that
   * another project outdated plan it again.
   */
  public UpPlan plan(ComposeProject project, PlanOptions options) {
    UpPlan plan = planning.plan(project, options);
    planned.put(plan, new Source(project, options));
    return plan;
  }

  /** What a plan was made from. */
  private record Source(ComposeProject project, PlanOptions options) {}

  /**
   * {@code plan} with its leases taken ({@link ProjectLeases#take}); a plan that another project
   * outdated since it was made (two {@code up}s planned at once) is planned again from what this
   * engine planned it from, at most {@value #PLAN_ATTEMPTS} times in all.
   *
   * @throws ProjectLeases.OutdatedPlanException when it is outdated still, or was not made here
   */
  private UpPlan leased(UpPlan plan) {
    for (int attempt = 1; ; attempt++) {
      try {
        ProjectLeases.take(settings, plan);
        return plan;
      } catch (ProjectLeases.OutdatedPlanException e) {
        Source source = planned.get(plan);
        if (source == null || attempt == PLAN_ATTEMPTS) {
          throw e;
        }
        LOG.info("{}; planning again", e.getMessage());
        plan = plan(source.project(), source.options());
      }
    }
  }

  /** {@link ProjectPlanning#discard}. */
  public int discard(UpPlan plan) {
    return planning.discard(plan);
  }

  /** {@code up} of {@code project}: planned, leased ({@link #leased}), run. */
  public Opened up(ComposeProject project, PlanOptions options) {
    return up(plan(project, options));
  }

  /** {@code up} of a plan: its leases ({@link #leased}), then the run ({@link UpRun}). */
  public Opened up(UpPlan plan) {
    return run(leased(plan));
  }

  private Opened run(UpPlan plan) {
    LOG.info("{}: {}", plan.project(), plan.network().describe());
    Events events = new Events(plan.project(), settings.listeners(), settings.clock());
    // the run records the instances (instances.json) before the first start and restores or
    // removes them in its rollback (releasing the leases of a first up)
    UpRun.Result r = new UpRun(settings, plan, events, session).run();
    return opened(plan, r.background());
  }

  /** {@code create} of {@code project}: planned, then {@link #create(UpPlan)}. */
  public Opened create(ComposeProject project, PlanOptions options) {
    return create(plan(project, options));
  }

  /**
   * {@code create} of a plan ({@link ProjectCreation}; its leases taken first, {@link #leased};
   * when the creation fails and the project had no state, they are released again).
   */
  public Opened create(UpPlan plan) {
    UpPlan leased = leased(plan);
    new ProjectCreation(settings, session).create(leased);
    return opened(leased, List.of());
  }

  private Opened opened(UpPlan plan, List<RunningCommand> background) {
    Set<String> services = new HashSet<>();
    plan.instances().forEach(i -> services.add(i.service()));
    return new Opened(
        new ProjectInstanceNames(plan.project(), plan.naming(), Set.copyOf(services)),
        plan.stateDirectory(),
        background,
        Supervision.start(settings, plan, supervisionInterval));
  }

  /**
   * A handle on the project recorded under {@code projectDirectory}.
   *
   * @throws IllegalStateException when there is no state file
   */
  public Opened attach(Path projectDirectory) {
    Path state = stateDirectory(projectDirectory);
    ProjectState s =
        ProjectStore.in(state)
            .state()
            .orElseThrow(
                () -> new IllegalStateException("no project state in " + StateFile.in(state)));
    return new Opened(ProjectInstanceNames.recorded(s), state, List.of(), null);
  }

  // ---- down, ps, stop, start

  /** {@link Teardown#down}. */
  public List<String> down(
      Path stateDirectory, Duration timeout, ProjectInstanceNames names, boolean removeVolumes) {
    return new Teardown(settings).down(stateDirectory, timeout, names, removeVolumes);
  }

  /** {@link Teardown#down} of the project named {@code project} under {@code directory}. */
  public List<String> down(
      Path directory, String project, Duration timeout, boolean removeVolumes) {
    return down(
        stateDirectory(directory), timeout, ProjectInstanceNames.of(project), removeVolumes);
  }

  /** {@link Teardown#down} of {@code project}, its instances named by {@code naming}. */
  public List<String> down(
      ComposeProject project, InstanceNaming naming, Duration timeout, boolean removeVolumes) {
    Set<String> services = new HashSet<>();
    project.services().forEach(sv -> services.add(sv.name()));
    return down(
        stateDirectory(project.directory()),
        timeout,
        new ProjectInstanceNames(project.name(), naming, Set.copyOf(services)),
        removeVolumes);
  }

  /** {@link ProjectStatus#ps}. */
  public List<InstanceStatus> ps(Path stateDirectory) {
    return ProjectStatus.ps(settings, stateDirectory);
  }

  /** {@link ProjectStatus#entries}. */
  public List<ProjectState.Entry> entries(Path stateDirectory) {
    return ProjectStatus.entries(stateDirectory);
  }

  /** {@link InstanceLifecycle#stop}. */
  public List<String> stop(Path stateDirectory, Duration timeout, String... services) {
    return InstanceLifecycle.of(settings, stateDirectory)
        .stop(List.of(services), Optional.ofNullable(timeout));
  }

  /** {@link InstanceLifecycle#start}. */
  public List<String> start(
      Path stateDirectory, Consumer<RunningCommand> background, String... services) {
    return InstanceLifecycle.of(settings, stateDirectory).start(List.of(services), background);
  }

  // ---- images, run, exec

  /** {@link ImageOperations#imageSteps}. */
  public List<String> imageSteps(
      ComposeProject project,
      PlanOptions options,
      String operation,
      boolean force,
      String... services) {
    return new ImageOperations(settings, planning)
        .imageSteps(project, options, operation, force, services);
  }

  /** {@link ImageOperations#images}. */
  public List<ServiceImage> images(ComposeProject project, PlanOptions options) {
    return new ImageOperations(settings, planning).images(project, options);
  }

  private InstanceCommands commands() {
    return new InstanceCommands(settings, planning, stateDirectoryName);
  }

  /** {@link InstanceCommands#run}. */
  public CommandResult run(
      ComposeProject project, String service, Map<String, String> environment, String... args) {
    return commands().run(project, service, environment, args);
  }

  /** {@link InstanceCommands#runState}. */
  public CommandResult runState(Path stateDirectory, String service, String... args) {
    return commands().runState(stateDirectory, service, args);
  }

  /** {@link InstanceCommands#execState}. */
  public CommandResult exec(Path stateDirectory, InstanceCommand command) {
    return commands().execState(stateDirectory, command);
  }

  /** {@link InstanceCommands#runInInstanceState}. */
  public CommandResult runInInstance(Path stateDirectory, InstanceCommand command) {
    return commands().runInInstanceState(stateDirectory, command);
  }
}
