package io.github.scompose.core.compose;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.internal.compose.ComposeEngine;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The compose engine: {@code up}, {@code down}, {@code ps} of projects over one {@link
 * SingularityClient}. Immutable and thread-safe once built; one engine serves many projects.
 *
 * <pre>{@code
 * Compose compose = Compose.builder().client(SingularityClient.discover(transport)).build();
 * try (ComposeStack stack = compose.up(project)) {
 *   System.out.println(stack.ps());
 * }
 * }</pre>
 *
 * <p>What each operation does — levels, confirmation by one listing, startup attempts, crash
 * safety, damaged state, reconcile, atomic failure, restart policies, {@code down}, {@code stop},
 * {@code start}, {@code create}, images, {@code run}, {@code exec} — is in the {@linkplain
 * io.github.scompose.core.compose package documentation}. This class is the entry; the engine's
 * internal classes carry the operations out. {@link #plan} has no side effects (no lease, no file);
 * {@link #up} and {@link #create} take the plan's address leases, {@link #down} releases them.
 *
 * <p>Defaults (each on its {@link Builder} method): parallelism {@value #DEFAULT_PARALLELISM}, a
 * cached pool of daemon threads, {@link NetworkPlanner#create()} and no {@link LeaseStore} ({@link
 * ComposeWiring} builds engines with the per-user store), 3 startup attempts, the system clock.
 */
public final class Compose {

  private final ComposeEngine engine;

  private Compose(Builder b) {
    this.engine = b.engine();
  }

  /**
   * An engine for this machine with the default wiring ({@link ComposeWiring#system()}{@code
   * .local()}; see <em>Local</em> in the package documentation, also for jshell).
   *
   * @throws io.github.scompose.core.errors.BinaryNotFoundException when real is chosen and no
   *     binary is found, or auto finds none and the testkit is not on the class path
   * @throws IllegalStateException when fake is chosen and the testkit is not on the class path
   * @throws IllegalArgumentException when the runtime choice is not auto, real or fake
   */
  public static Compose local() {
    return ComposeWiring.system().local();
  }

  /** A builder; {@link Builder#client} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The client the engine runs commands with. */
  public SingularityClient client() {
    return engine.settings().client();
  }

  /** The runtime facts plans are made with. */
  public RuntimeFacts facts() {
    return engine.facts();
  }

  /** {@link #plan(ComposeProject, PlanOptions)}: default options, the engine's state directory. */
  public UpPlan plan(ComposeProject project) {
    return engine.plan(project);
  }

  /**
   * The plan of {@code up}: one {@code instance list}, the network plan, then {@link
   * UpPlanner#plan} (see <em>Planning</em> in the package documentation). No side effects: with a
   * {@link Builder#leases lease store} it only reads the store (the addresses {@code up} will
   * lease, its port conflicts); no lease is taken and no file written.
   *
   * @throws IllegalArgumentException for a cycle, a missing dependency, an unsupported mount
   * @throws io.github.scompose.network.NetworkException when ports conflict or addresses run out
   */
  public UpPlan plan(ComposeProject project, PlanOptions options) {
    return engine.plan(project, options);
  }

  /**
   * With a {@link Builder#leases lease store}, releases the leases of {@code plan}'s project unless
   * its state file records the project or is damaged (the project may be up). {@link #plan} takes
   * none: this gives back only what an older version's dry run kept.
   *
   * @return how many leases were released
   * @throws io.github.scompose.network.LeaseFileException when the lease file is bad
   */
  public int discard(UpPlan plan) {
    return engine.discard(plan);
  }

  /** {@link #up(UpPlan)} of {@link #plan(ComposeProject)}. */
  public ComposeStack up(ComposeProject project) {
    return open(engine.up(project, engine.defaultOptions()));
  }

  /** {@link #up(UpPlan)} of {@link #plan(ComposeProject, PlanOptions)}. */
  public ComposeStack up(ComposeProject project, PlanOptions options) {
    return open(engine.up(project, options));
  }

  /**
   * Takes {@code plan}'s leases and executes it (see the package documentation).
   *
   * @return the running project; {@link ComposeStack#close()} takes it down
   * @throws ComposeUpException when anything failed; everything this call started is stopped
   * @throws IllegalStateException when a planned address was leased by another project since the
   *     plan was made (nothing started: plan again)
   */
  public ComposeStack up(UpPlan plan) {
    return open(engine.up(plan));
  }

  private ComposeStack open(ComposeEngine.Opened o) {
    return new ComposeStack(this, o.names(), o.stateDirectory(), o.background(), o.supervision());
  }

  /**
   * A handle on the project under {@code projectDirectory} that some process brought up.
   *
   * @throws IllegalStateException when there is no state file
   */
  public ComposeStack attach(Path projectDirectory) {
    return open(engine.attach(projectDirectory));
  }

  /**
   * Stops what the state file under {@code projectDirectory} records, releases the leases, removes
   * the state (see <em>Down</em> in the package documentation, also for a damaged state file).
   *
   * @return the instances stopped (or found already gone), highest level first; empty when there is
   *     no state file
   */
  public List<String> down(Path projectDirectory) {
    return down(projectDirectory, (Duration) null);
  }

  /**
   * {@link #down(Path)} with {@code timeout} as {@code instance stop --timeout} for this call
   * ({@code down -t N}), instead of the engine's {@link Builder#stopTimeout}.
   *
   * @param timeout whole seconds, at least 1 s; {@code null} for the engine's stop timeout
   * @throws IllegalArgumentException when {@code timeout} is under one second
   */
  public List<String> down(Path projectDirectory, Duration timeout) {
    return down(projectDirectory, timeout, false);
  }

  /** {@link #down(Path, Duration)}, then the named volumes as {@link #down(Path, boolean)}. */
  public List<String> down(Path projectDirectory, Duration timeout, boolean removeVolumes) {
    return down(
        projectDirectory, ComposeLoader.projectNameOf(projectDirectory), timeout, removeVolumes);
  }

  /**
   * {@link #down(Path, Duration, boolean)} of the project named {@code project} (a CLI's {@code -p
   * NAME} without the compose files): the name is used only when the state file is damaged, for its
   * leases and, when the records are damaged too, to find its instances in the listing.
   *
   * @throws java.io.UncheckedIOException when a volume cannot be deleted, or a damaged file cannot
   *     be renamed
   */
  public List<String> down(
      Path projectDirectory, String project, Duration timeout, boolean removeVolumes) {
    return engine.down(projectDirectory, project, timeout, removeVolumes);
  }

  /**
   * {@link #down(Path, Duration, boolean)} of {@code project}: when the state file and the records
   * are damaged, only instances named as {@code naming} names its services are stopped (also the
   * {@code --compat} names {@code <service><n>}, which a name alone could not tell apart).
   *
   * @throws java.io.UncheckedIOException when a volume cannot be deleted, or a damaged file cannot
   *     be renamed
   */
  public List<String> down(
      ComposeProject project, InstanceNaming naming, Duration timeout, boolean removeVolumes) {
    return engine.down(project, naming, timeout, removeVolumes);
  }

  /**
   * {@link #down(Path)}, then, when {@code removeVolumes}, deletes the project's named volumes (the
   * folder {@code .scompose/volumes}; docker compose's {@code down --volumes}). Bind sources are
   * the user's and are never touched.
   *
   * @throws java.io.UncheckedIOException when a volume cannot be deleted
   */
  public List<String> down(Path projectDirectory, boolean removeVolumes) {
    return down(projectDirectory, null, removeVolumes);
  }

  /** The recorded instances with what one {@code instance list} shows; empty with no state. */
  public List<InstanceStatus> ps(Path projectDirectory) {
    return engine.ps(engine.stateDirectory(projectDirectory));
  }

  /**
   * {@code stop} of {@code services} (all when none are given), dependents first; they stay
   * recorded, with their leases (see <em>Stop</em> in the package documentation).
   *
   * @param timeout {@code instance stop --timeout} (whole seconds); {@code null}: the engine's
   * @return the instances stopped, highest level first (instances not running are skipped)
   * @throws IllegalStateException when there is no state file (the project is not up or created)
   * @throws IllegalArgumentException naming a service the project does not record
   * @throws io.github.scompose.core.errors.SingularityException when a stop fails otherwise than
   *     "no such instance" (every stop is tried first)
   */
  public List<String> stop(Path projectDirectory, Duration timeout, String... services) {
    return engine.stop(engine.stateDirectory(projectDirectory), timeout, services);
  }

  /**
   * {@code start} of the recorded instances of {@code services} (all when none are given) that are
   * not running, dependencies first, as {@code up} recorded them (see <em>Start</em> in the package
   * documentation).
   *
   * @return the instances started, in start order (running ones are skipped)
   * @throws IllegalStateException when there is no state file or no instance records
   * @throws IllegalArgumentException naming a service the project does not record
   * @throws ComposeOperationException when a start fails or a required dependency never becomes
   *     healthy; the instances this start started are stopped first
   */
  public List<String> start(Path projectDirectory, String... services) {
    return engine.start(engine.stateDirectory(projectDirectory), c -> {}, services);
  }

  /**
   * {@code restart}: {@link #stop} (with {@code timeout}) then {@link #start} of {@code services};
   * instances that were not running are started too. Errors as those two.
   *
   * @return the instances started
   */
  public List<String> restart(Path projectDirectory, Duration timeout, String... services) {
    engine.stop(engine.stateDirectory(projectDirectory), timeout, services);
    return engine.start(engine.stateDirectory(projectDirectory), c -> {}, services);
  }

  /** {@link #create(UpPlan)} of {@link #plan(ComposeProject)}. */
  public ComposeStack create(ComposeProject project) {
    return open(engine.create(project, engine.defaultOptions()));
  }

  /** {@link #create(UpPlan)} of {@link #plan(ComposeProject, PlanOptions)}. */
  public ComposeStack create(ComposeProject project, PlanOptions options) {
    return open(engine.create(project, options));
  }

  /**
   * {@code create} ({@code up --no-start}): everything {@code up} does before the first start
   * (leases, files, volumes, secrets, images), then the instances recorded, none started (see
   * <em>Create</em> in the package documentation).
   *
   * @return a handle on the created project; {@link ComposeStack#close()} is {@code down}
   * @throws IllegalStateException when an instance the state file records is running
   * @throws ComposeOperationException when a pull or build fails (operation {@code create}); when
   *     the project had no state before, the leases are released again
   * @throws java.io.UncheckedIOException when the state directory cannot be written
   */
  public ComposeStack create(UpPlan plan) {
    return open(engine.create(plan));
  }

  /** {@link #pull(ComposeProject, PlanOptions, boolean, String...)} with the default options. */
  public List<String> pull(ComposeProject project, boolean force, String... services) {
    return pull(project, PlanOptions.defaults(), force, services);
  }

  /**
   * {@code pull} of the {@code image:} URIs of {@code services} (all when none are given) into the
   * paths {@code up} plans with {@code options} (see <em>Pull</em> in the package documentation).
   *
   * @param force pull again ({@code pull --force}) even when the file exists
   * @return the services whose image was pulled now
   * @throws IllegalArgumentException naming an unknown service, or one with neither image nor build
   * @throws ComposeOperationException when a pull fails, after the other pulls of the call finished
   */
  public List<String> pull(
      ComposeProject project, PlanOptions options, boolean force, String... services) {
    return engine.imageSteps(project, options, "pull", force, services);
  }

  /** {@link #build(ComposeProject, PlanOptions, boolean, String...)} with the default options. */
  public List<String> build(ComposeProject project, boolean force, String... services) {
    return build(project, PlanOptions.defaults(), force, services);
  }

  /**
   * {@code build} of the recipes of {@code services} (all when none are given) into the paths
   * {@code up} plans with {@code options} (see <em>Build</em> in the package documentation).
   *
   * @param force build again ({@code --force}) even when the image exists
   * @return the services whose image was built now
   * @throws IllegalArgumentException naming an unknown service
   * @throws ComposeOperationException when a build fails, after the other builds of the call
   *     finished
   */
  public List<String> build(
      ComposeProject project, PlanOptions options, boolean force, String... services) {
    return engine.imageSteps(project, options, "build", force, services);
  }

  /** {@link #images(ComposeProject, PlanOptions)} with the default options. */
  public List<ServiceImage> images(ComposeProject project) {
    return images(project, PlanOptions.defaults());
  }

  /**
   * {@code images}: per service, where its image comes from and whether it is there (see
   * <em>Images</em> in the package documentation). Runs nothing but file checks ({@code stat}).
   *
   * @throws IllegalArgumentException for a service with neither image nor build
   */
  public List<ServiceImage> images(ComposeProject project, PlanOptions options) {
    return engine.images(project, options);
  }

  /** {@link #run(ComposeProject, String, Map, String...)} with no added environment. */
  public CommandResult run(ComposeProject project, String service, String... args) {
    return run(project, service, Map.of(), args);
  }

  /**
   * One-off {@code run} of {@code service}'s image, not in an instance, with {@code environment}
   * added to, or overriding, the service's (see <em>One-off run</em> in the package documentation).
   *
   * @return the result, whatever its exit code (the runscript's exit code is passed through)
   * @throws IllegalArgumentException naming an unknown service, or a variable name that is not
   *     {@code [A-Za-z_][A-Za-z0-9_]*}
   * @throws ComposeOperationException when a pull or build fails, or a secret is not owner-only
   * @throws io.github.scompose.core.errors.SingularityException for the binary's own errors
   */
  public CommandResult run(
      ComposeProject project, String service, Map<String, String> environment, String... args) {
    return engine.run(project, service, environment, args);
  }

  /**
   * {@code exec} in an instance of the project under {@code projectDirectory}, with the environment
   * it was started with plus {@link InstanceCommand#environment()} (see <em>Exec</em> in the
   * package documentation).
   *
   * @return the result, whatever its exit code ({@link SingularityClient#execAnyExit})
   * @throws IllegalArgumentException when the project does not record the instance, or {@code args}
   *     is empty, or a variable name is not {@code [A-Za-z_][A-Za-z0-9_]*}
   * @throws IllegalStateException when {@code instances.json} cannot be read (naming the file)
   * @throws io.github.scompose.core.errors.InstanceNotFoundException when it is not running
   */
  public CommandResult exec(Path projectDirectory, InstanceCommand command) {
    return engine.exec(engine.stateDirectory(projectDirectory), command);
  }

  /**
   * {@code run instance://NAME args…} (the runscript in a running instance), otherwise as {@link
   * #exec(Path, InstanceCommand)}: the same environment, any exit code, the same errors.
   */
  public CommandResult runInInstance(Path projectDirectory, InstanceCommand command) {
    return engine.runInInstance(engine.stateDirectory(projectDirectory), command);
  }

  /** The engine behind this facade, for {@link ComposeStack}. */
  ComposeEngine engine() {
    return engine;
  }

  /** The default {@link Builder#parallelism} (why this value: see there): {@value}. */
  public static final int DEFAULT_PARALLELISM =
      io.github.scompose.core.internal.compose.EngineSettings.DEFAULT_PARALLELISM;

  /** Settings of a {@link Compose} (the methods of {@code ComposeOptions}). Not thread-safe. */
  public static final class Builder extends ComposeOptions {

    private Builder() {}

    /**
     * The engine.
     *
     * @throws NullPointerException when no client was given
     */
    public Compose build() {
      return new Compose(this);
    }
  }
}
