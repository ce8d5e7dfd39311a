package io.github.scompose.core.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.internal.compose.ConfigHash;
import io.github.scompose.core.internal.compose.EngineSettings;
import io.github.scompose.core.internal.compose.Events;
import io.github.scompose.core.internal.compose.ImageSteps;
import io.github.scompose.core.internal.compose.InstanceEnvironment;
import io.github.scompose.core.internal.compose.InstanceLifecycle;
import io.github.scompose.core.internal.compose.InstanceOps;
import io.github.scompose.core.internal.compose.InstanceRecords;
import io.github.scompose.core.internal.compose.LeaseOwners;
import io.github.scompose.core.internal.compose.OneOffRun;
import io.github.scompose.core.internal.compose.OperationFailures;
import io.github.scompose.core.internal.compose.Parallel;
import io.github.scompose.core.internal.compose.ProjectInstanceNames;
import io.github.scompose.core.internal.compose.ProjectState;
import io.github.scompose.core.internal.compose.StateDirectoryLock;
import io.github.scompose.core.internal.compose.StateFile;
import io.github.scompose.core.internal.compose.StopSettings;
import io.github.scompose.core.internal.compose.Supervision;
import io.github.scompose.core.internal.compose.UpRun;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlan;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.NetworkRequest;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p><b>up</b> plans ({@link #plan}) then executes: writes the hosts/resolver files into the state
 * directory (atomically), pulls or builds missing images, then starts the instances level by level
 * — the instances of one level in parallel, at most {@link Builder#parallelism} at a time on the
 * {@link Builder#executor}; a level starts when the previous level's starts have returned (a {@code
 * STARTED} event each). <em>One</em> {@code instance list} after the last level confirms that every
 * instance is listed and its PID alive (the real SingularityCE 3.4.2 may print "instance started
 * successfully" for an instance that is already dead) — earlier only before a level that waits for
 * a started instance with a condition other than {@code service_started} (a healthcheck gate) or
 * after a level with after-start steps — so an {@code up} of N instances makes N + 2 binary calls:
 * one listing to plan, N starts, one confirming listing (issue 11). A dead one is started again, up
 * to {@link Builder#startupAttempts} attempts (default 3, Testcontainers' {@code
 * withStartupAttempts}), with one more listing per round of retries; instances of later levels may
 * then already have started. {@code service_healthy} dependencies wait for the dependency's
 * healthcheck, run through {@code exec} at its interval, retries and start period on the injected
 * clock. A dependency whose start fails (also after every startup attempt) while every {@code
 * depends_on} naming it says {@code required: false} gives a {@code FAILED} event and a warning,
 * stays recorded as exited, and its dependents start (Compose Specification {@code
 * depends_on.required}); any {@code required: true} naming it, or none at all, fails {@code up}.
 * The state file {@code .scompose/state.json} is rewritten atomically before and after each level's
 * starts and after each confirmation (an instance is recorded as starting until confirmed).
 *
 * <p><b>Crash safety (write-ahead)</b>: before a level's {@code instance start}s are issued, its
 * instances are written into the state file as <em>starting</em> (one atomic write under the state
 * directory's lock before the level's starts, one after them; the instance records {@code
 * instances.json} are written before the first start), so a JVM killed at any moment of {@code up}
 * leaves a state file that names every instance it may have started: {@code down} stops each
 * recorded instance whether its start was confirmed or not. One recorded as starting that is not
 * there is not counted gone at once: the {@code instance start} child of the dead JVM may still be
 * running, so {@code down} polls the listing (one {@code instance list} per poll interval) until it
 * appears (and stops it) or until {@link Builder#startingGrace} (default 10 s) after the entry was
 * written ahead ({@code startingSince} in the state file). A later {@code up} that meets an
 * instance of its own name which the state does not show running (recorded as starting, or named
 * only by the records, or any after a damaged state file of the project was set aside in this run)
 * adopts it when what was recorded for it — the config digest in the state file, else the start
 * command in the records — matches what it would start now, and otherwise stops it and starts it
 * again; a {@link ComposeEvent.Type#RECOVERED} event and an INFO line say which. An instance of the
 * same name that neither the state nor the records name is another project's (the same project name
 * in another directory, or project {@code a} with service {@code b-web} next to project {@code a-b}
 * with service {@code web}): it is left running and the start fails with the binary's "already
 * exists".
 *
 * <p><b>Damaged state</b>: a {@code state.json} or {@code instances.json} that is not UTF-8, not
 * JSON or not a file of this format raises {@link DamagedStateException}, whose message names the
 * file and says what is wrong in words. {@code down} gets past it (see {@link #down(Path)}: the
 * project's instances are found by name in one listing, the damaged file is kept as {@code .bak});
 * so does {@code up}, as docker compose (which keeps no state file) would: it keeps the damaged
 * file as {@code .bak} and reconciles from the listing (adopting or recreating what runs under the
 * project's names). {@code ps}, {@code stop}, {@code start}, {@code create} and {@code logs} throw
 * it.
 *
 * <p><b>Reconcile</b>: a repeat {@code up} (also after the JVM of the first one died) keeps an
 * instance that still runs and is unchanged, starts again one that is gone, and stops and recreates
 * one that changed: its start command, environment or after-start steps (a digest in the state
 * file), or its image — the size and modification time of the local SIF or sandbox it starts from
 * (for an {@code image:} URI, the pulled SIF), read once per distinct image per {@code up} through
 * the transport ({@link io.github.scompose.core.transport.Transport#stat}) on the host where the
 * binary runs, so a SIF rebuilt or pulled again at the same path recreates its service's instances.
 * The reason ("image changed (PATH: ...)") is in the {@code STOPPING}/{@code STOPPED} events and an
 * INFO log line. A stamp that is unknown (a state file written before stamps were recorded, an
 * image that cannot be looked at) counts as unchanged. Over SSH the modification time has whole
 * seconds: a rebuild within the same second to the same size goes unseen.
 *
 * <p><b>Failure is atomic</b>: when any step fails, every instance this {@code up} started is
 * stopped (highest level first; an instance whose start threw, e.g. on a transport timeout, counts
 * as started). A first {@code up} then releases the project's address leases and removes the state
 * and records files; a repeat {@code up} writes the earlier state and records back, so the earlier
 * instances keep running, recorded, with their leases. A {@link ComposeUpException} names the
 * instance, the command (secrets masked), its exit code and the end of the instance's logs. Nothing
 * the user owns is deleted. {@code up} of some services keeps the project's other running services
 * recorded.
 *
 * <p><b>Restart policies</b> ({@code restart:}, {@code deploy.restart_policy}) are kept while the
 * returned {@link ComposeStack} is open, by a supervisor that takes one {@code instance list} per
 * round for the whole project (see {@link Builder#supervisionInterval}); restarts are counted in
 * {@link InstanceStatus#restarts()}.
 *
 * <p><b>down</b> reads the state file (so it works from another process, or after the JVM that ran
 * {@code up} died), first marks every instance stopped in the records under the state directory's
 * lock (so a restart supervisor, in any process, restarts none of them while down is under way),
 * then stops the instances highest level first, each level in parallel, waits until the listing no
 * longer shows them, releases the leases and removes the state file and the instance records. Named
 * volumes stay.
 *
 * <p><b>Other operations</b> (all work from any process, through the state directory): {@link
 * #stop} and {@link #start} / {@link #restart} of named services or all (stop: dependents first;
 * start: dependencies first, with the start commands {@code up} recorded in {@code
 * .scompose/instances.json}, so addresses do not change); {@link #create} ({@code up --no-start});
 * {@link #pull}, {@link #build} and {@link #images} of the planned image steps; a one-off {@link
 * #run} of a service's image. {@link ComposeStack} has them too, with merged and followed logs.
 *
 * <p>Defaults: parallelism = {@value #DEFAULT_PARALLELISM} (see there); executor = a cached pool of
 * daemon threads; network planner = {@link NetworkPlanner#create()} (host ports checked on this
 * host, addresses in memory) — give a {@link LeaseStore} to share addresses between projects
 * ({@link ComposeWiring} builds engines with the per-user store, the process's facts and the right
 * host ports); startup attempts 3; log tail 20 lines; stop timeout = the binary's (10 s); gone-wait
 * 30 s; poll interval 250 ms; system UTC clock and {@link Sleeper#system()}.
 */
public final class Compose {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Compose.class);

  private static final ExecutorService DEFAULT_EXECUTOR =
      Executors.newCachedThreadPool(
          new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "scompose-engine-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  private final EngineSettings settings;
  private final RuntimeFacts facts;
  private final NetworkPlanner planner;
  private final String session;
  private final Duration supervisionInterval;
  private final String stateDirectoryName;
  private final Set<String> profiles;

  private Compose(Builder b) {
    this.supervisionInterval = b.supervisionInterval;
    this.stateDirectoryName = b.stateDirectoryName;
    this.profiles = Set.copyOf(b.profiles);
    SingularityClient client = Objects.requireNonNull(b.client, "client");
    this.facts = b.facts != null ? b.facts : RuntimeFacts.of(client.dialect());
    this.planner = b.planner != null ? b.planner : NetworkPlanner.create();
    this.settings =
        new EngineSettings(
            client,
            b.executor != null ? b.executor : DEFAULT_EXECUTOR,
            b.parallelism,
            List.copyOf(b.listeners),
            b.clock,
            b.sleeper,
            b.startupAttempts,
            b.logTailLines,
            Optional.ofNullable(b.leases),
            Optional.ofNullable(b.stopTimeout),
            b.goneWait,
            b.pollInterval,
            b.startingGrace);
    this.session = ProcessHandle.current().pid() + "@" + hostName();
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /**
   * An engine for this machine with the default wiring ({@link ComposeWiring#system()}{@code
   * .local()}): the runtime chosen by the system property {@value RuntimeChoice#PROPERTY}, else the
   * environment variable {@value RuntimeChoice#VARIABLE}, else {@code auto} — {@code real}: the
   * binary found by {@link io.github.scompose.core.client.BinaryLocator} over a {@link
   * io.github.scompose.core.transport.LocalProcessTransport}; {@code fake}: the embedded fake
   * runtime of {@code scompose-testkit} (found through {@link EmbeddedRuntimeProvider}); {@code
   * auto}: real when a binary is found, else the fake. Root when this process's effective uid is 0,
   * fakeroot when the user has a subuid mapping, the per-user {@link LeaseStore}. In jshell, with
   * the jars on its class path (e.g. {@code jshell --class-path samples/target/scompose.jar}, which
   * holds all modules and the testkit's fake), the imports, then three lines ({@code Path}:
   * jshell's default start-up imports {@code java.nio.file.*}):
   *
   * <pre>{@code
   * import io.github.scompose.spec.ComposeLoader; import io.github.scompose.core.compose.Compose;
   * var project = ComposeLoader.defaults().load(Path.of("singularity-compose.yml"));
   * var stack = Compose.local().up(project);
   * stack.ps();  stack.close();
   * }</pre>
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

  /** The engine clock's now (log lines' read times). */
  java.time.Instant now() {
    return settings.clock().instant();
  }

  /** The client the engine runs commands with. */
  public SingularityClient client() {
    return settings.client();
  }

  /** The runtime facts plans are made with. */
  public RuntimeFacts facts() {
    return facts;
  }

  // ---- plan
  // ---------------------------------------------------------------------------------------

  /**
   * {@link #plan(ComposeProject, PlanOptions)} with the default options, but the engine's {@link
   * Builder#stateDirectoryName state directory name}.
   */
  public UpPlan plan(ComposeProject project) {
    return plan(project, PlanOptions.builder().stateDirectoryName(stateDirectoryName).build());
  }

  /**
   * The plan of {@code up}: one {@code instance list} (addresses in use, and which leases are
   * live), the network plan (with a {@link Builder#leases lease store}, this takes the project's
   * address leases, released by {@link #down}, or by {@link #discard} for a plan that is not
   * executed), then {@link UpPlanner#plan}.
   *
   * <p>Addresses: the instances the project's state file records keep their addresses when they are
   * still free (a running instance's listed address, else the recorded one), so that {@code up}
   * again on a bridge changes no argv and reconcile keeps what runs; addresses of other instances
   * in the listing are taken. A partial {@code up} ({@link PlanOptions#services()}): the recorded
   * instances it does not plan keep their addresses (never handed to a planned instance) and their
   * lines in the hosts file it writes. With a lease store, a lease of another project is live
   * (never reclaimed) while its instance is listed or recorded in that project's state file (a
   * stopped instance keeps its address for {@link #start}).
   *
   * @throws IllegalArgumentException for a cycle, a missing dependency, an unsupported mount
   * @throws io.github.scompose.network.NetworkException when ports conflict or addresses run out
   */
  public UpPlan plan(ComposeProject project, PlanOptions given) {
    PlanOptions options = withProfiles(given);
    NetworkRequest request = UpPlanner.networkRequest(project, facts, options);
    Path stateDirectory = project.directory().resolve(options.stateDirectoryName());
    Map<String, IpAddress> preferred = new LinkedHashMap<>();
    Set<String> ours = new HashSet<>();
    Map<String, ProjectState.Entry> recorded = new LinkedHashMap<>();
    readForPlan(stateDirectory)
        .filter(st -> st.project().equals(project.name()))
        .ifPresent(
            st ->
                st.instances()
                    .forEach(
                        e -> {
                          ours.add(e.name());
                          recorded.put(e.name(), e);
                          if (!e.ip().isBlank()) {
                            preferred.put(e.name(), IpAddress.parse(e.ip()));
                          }
                        }));
    List<InstanceInfo> listed = settings.client().list();
    List<IpAddress> taken = new ArrayList<>();
    Set<String> running = new HashSet<>();
    for (InstanceInfo i : listed) {
      running.add(i.name());
      Optional<IpAddress> ip = i.ip().filter(x -> !x.isBlank()).map(IpAddress::parse);
      if (ip.isEmpty()) {
        continue;
      }
      if (ours.contains(i.name())) {
        preferred.put(i.name(), ip.get()); // ours, running: keeps what it has
      } else {
        taken.add(ip.get());
      }
    }
    // a partial up: the recorded instances it does not plan keep their addresses and hosts lines
    Set<String> planned = new HashSet<>();
    request.instances().forEach(i -> planned.add(i.instance()));
    List<io.github.scompose.network.InstanceAddress> kept = new ArrayList<>();
    recorded.values().stream()
        .filter(e -> !planned.contains(e.name()))
        .forEach(
            e ->
                kept.add(
                    io.github.scompose.network.InstanceAddress.builder()
                        .service(e.service())
                        .instance(e.name())
                        .replica(e.replica())
                        .address(preferred.getOrDefault(e.name(), IpAddress.parse("127.0.0.1")))
                        .build()));
    NetworkPlanner p =
        settings
            .leases()
            .map(l -> planner.withLeases(l, LeaseOwners.liveness(l, running)))
            .orElse(planner);
    NetworkPlan network =
        p.plan(
            request
                .withTakenAddresses(taken)
                .withPreferredAddresses(preferred)
                .withKeptInstances(kept));
    // also without addresses (host networking): a down of another project whose files are
    // damaged reads the owners to leave this project's instances alone
    settings.leases().ifPresent(l -> LeaseOwners.record(l, project.name(), stateDirectory));
    return UpPlanner.plan(project, facts, network, options);
  }

  /** {@code options} with the engine's {@link Builder#profiles} when it names none. */
  private PlanOptions withProfiles(PlanOptions options) {
    return options.profiles().isEmpty() && !profiles.isEmpty()
        ? options.withProfiles(profiles)
        : options;
  }

  /**
   * Gives back what {@link #plan} took for a plan that will not be executed (a dry run): with a
   * {@link Builder#leases lease store}, the project's address and host-port leases, unless the
   * project's state file records the project (it is up or created, and the leases are its own) or
   * is damaged (unreadable: the project may be up, so its leases are kept for {@link #down}).
   * Without a lease store, nothing to do.
   *
   * @return how many leases were released
   * @throws io.github.scompose.network.LeaseFileException when the lease file is bad
   */
  public int discard(UpPlan plan) {
    boolean recorded;
    try {
      recorded =
          StateFile.read(StateFile.in(plan.stateDirectory()))
              .filter(st -> st.project().equals(plan.project()))
              .isPresent();
    } catch (DamagedStateException e) {
      LOG.info("{}; keeping the project's leases", e.getMessage());
      recorded = true; // a damaged state may record a running project: its leases stay
    }
    if (recorded || settings.leases().isEmpty()) {
      return 0;
    }
    LeaseStore l = settings.leases().get();
    int released = l.release(plan.project());
    LeaseOwners.forget(l, plan.project(), plan.stateDirectory());
    return released;
  }

  /**
   * The state for planning: a damaged file counts as none (an INFO line); {@code up} sets it aside
   * as {@code .bak} and reconciles from the listing (saying so at WARN), a dry run leaves it alone.
   */
  private static Optional<ProjectState> readForPlan(Path stateDirectory) {
    try {
      return StateFile.read(StateFile.in(stateDirectory));
    } catch (DamagedStateException e) {
      LOG.info("{}; planning as if the project had no state", e.getMessage());
      return Optional.empty();
    }
  }

  // ---- up
  // -----------------------------------------------------------------------------------------

  /** {@link #up(UpPlan)} of {@link #plan(ComposeProject)}. */
  public ComposeStack up(ComposeProject project) {
    return up(plan(project));
  }

  /** {@link #up(UpPlan)} of {@link #plan(ComposeProject, PlanOptions)}. */
  public ComposeStack up(ComposeProject project, PlanOptions options) {
    return up(plan(project, options));
  }

  /**
   * Executes {@code plan} (see the class comment).
   *
   * @return the running project; {@link ComposeStack#close()} takes it down
   * @throws ComposeUpException when anything failed; everything this call started is stopped
   */
  public ComposeStack up(UpPlan plan) {
    LOG.info("{}: {}", plan.project(), plan.network().describe());
    Events events = new Events(plan.project(), settings.listeners(), settings.clock());
    // the run records the instances (instances.json) before the first start and restores or
    // removes them in its rollback
    UpRun.Result r = new UpRun(settings, plan, events, session).run();
    return newStack(plan, r.background());
  }

  private ComposeStack newStack(UpPlan plan, List<RunningCommand> background) {
    Supervision supervision = null;
    if (Supervision.needed(plan)) {
      Events events = new Events(plan.project(), settings.listeners(), settings.clock());
      supervision = new Supervision(settings, plan, events);
      if (!supervisionInterval.isZero()) {
        Supervision sup = supervision;
        // its own daemon thread, never one of the work executor: the loop lasts as long as the
        // handle, and would hold a thread of a bounded pool that up, stop or down wait for
        Thread loop =
            new Thread(
                () -> {
                  while (!sup.stopped()) {
                    try {
                      settings.sleeper().sleep(supervisionInterval);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    try {
                      sup.pollOnce();
                    } catch (RuntimeException e) {
                      LOG.warn("{}: supervision round failed: {}", plan.project(), e.toString());
                    }
                  }
                },
                "scompose-supervisor-" + plan.project());
        loop.setDaemon(true);
        loop.start();
      }
    }
    Set<String> services = new HashSet<>();
    plan.instances().forEach(i -> services.add(i.service()));
    return new ComposeStack(
        this,
        new ProjectInstanceNames(plan.project(), plan.naming(), Set.copyOf(services)),
        plan.stateDirectory(),
        background,
        supervision);
  }

  /**
   * A handle on a project that some process brought up, from its state file under {@code
   * projectDirectory}.
   *
   * @throws IllegalStateException when there is no state file
   */
  public ComposeStack attach(Path projectDirectory) {
    Path state = projectDirectory.resolve(stateDirectoryName);
    ProjectState s =
        StateFile.read(StateFile.in(state))
            .orElseThrow(
                () -> new IllegalStateException("no project state in " + StateFile.in(state)));
    Set<String> services = new HashSet<>();
    s.instances().forEach(e -> services.add(e.service()));
    // the naming the recorded names show: the default, else singularity-stack's
    // <project>.<service>, else singularity-compose's <service><n>
    InstanceNaming naming = InstanceNaming.REFERENCE;
    for (InstanceNaming candidate : List.of(InstanceNaming.PROJECT, InstanceNaming.STACK)) {
      if (s.instances().stream()
          .allMatch(
              e ->
                  e.name()
                      .equals(
                          candidate.name(s.project(), e.service(), Math.max(1, e.replica()))))) {
        naming = candidate;
        break;
      }
    }
    return new ComposeStack(
        this,
        new ProjectInstanceNames(s.project(), naming, Set.copyOf(services)),
        state,
        List.of(),
        null);
  }

  // ---- down / ps
  // ------------------------------------------------------------------------------------

  /**
   * Stops what the state file under {@code projectDirectory} records (see the class comment).
   *
   * <p><b>A damaged state file</b> (not UTF-8, not JSON, not a state file: {@link
   * DamagedStateException}) does not stop {@code down}: it takes <em>one</em> {@code instance
   * list}; when {@code instances.json} is readable it stops exactly the listed instances that file
   * records; else (both files damaged, or no records) it stops every listed instance named {@code
   * <project>-<service>-<n>} ({@link InstanceNaming#PROJECT}, any service: the project name here is
   * the directory's name as the loader derives it, {@link
   * io.github.scompose.spec.ComposeLoader#projectNameOf}) that no other project's lease or state
   * directory (known from the lease store's owner files) names, and the {@code RECOVERED} event
   * lists them. It releases the project's leases, and keeps the damaged file as {@code
   * state.json.bak} (or {@code .bak.N} when a backup exists; nothing is deleted). A damaged {@code
   * instances.json} is kept the same way. {@link ComposeEvent.Type#RECOVERED} events and WARN lines
   * say what was found and done. Give the project name ({@link #down(Path, String, Duration,
   * boolean)}) or the project ({@link #down(ComposeProject, InstanceNaming, Duration, boolean)})
   * when the directory's name is not it.
   *
   * @return the instances stopped (or found already gone), highest level first; empty when there is
   *     no state file
   */
  public List<String> down(Path projectDirectory) {
    return down(projectDirectory, (Duration) null);
  }

  /**
   * {@link #down(Path)} with {@code timeout} as {@code instance stop --timeout} for this call
   * ({@code down -t N} of docker compose and of singularity-compose's CLI), instead of the engine's
   * {@link Builder#stopTimeout}.
   *
   * @param timeout whole seconds, at least 1 s; {@code null} for the engine's stop timeout
   *     (default: the binary's, 10 s in 3.4.2)
   * @return the instances stopped (or found already gone), highest level first; empty when there is
   *     no state file
   * @throws IllegalArgumentException when {@code timeout} is under one second
   */
  public List<String> down(Path projectDirectory, Duration timeout) {
    return down(
        projectDirectory,
        io.github.scompose.spec.ComposeLoader.projectNameOf(projectDirectory),
        timeout,
        false);
  }

  /**
   * {@link #down(Path, Duration)}, then, when {@code removeVolumes}, deletes the named volumes as
   * {@link #down(Path, boolean)} does.
   *
   * @param timeout as for {@link #down(Path, Duration)}; {@code null} for the engine's
   * @throws java.io.UncheckedIOException when a volume cannot be deleted
   */
  public List<String> down(Path projectDirectory, Duration timeout, boolean removeVolumes) {
    return down(
        projectDirectory,
        io.github.scompose.spec.ComposeLoader.projectNameOf(projectDirectory),
        timeout,
        removeVolumes);
  }

  /**
   * {@link #down(Path, Duration, boolean)} of the project named {@code project}: the name is used
   * only when the state file is damaged (see {@link #down(Path)}), for its leases and, when the
   * records are damaged too, to find the project's instances ({@code <project>-<service>-<n>}, any
   * service, none that another project records) in the listing. For a CLI that has {@code -p NAME}
   * but cannot load the compose files.
   *
   * @param timeout as for {@link #down(Path, Duration)}; {@code null} for the engine's
   * @throws java.io.UncheckedIOException when a volume cannot be deleted, or a damaged file cannot
   *     be renamed
   */
  public List<String> down(
      Path projectDirectory, String project, Duration timeout, boolean removeVolumes) {
    List<String> stopped =
        downState(
            projectDirectory.resolve(stateDirectoryName),
            timeout,
            ProjectInstanceNames.of(project));
    if (removeVolumes) {
      deleteTree(projectDirectory.resolve(stateDirectoryName).resolve("volumes"));
    }
    return stopped;
  }

  /**
   * {@link #down(Path, Duration, boolean)} of {@code project} (its directory, name and services):
   * when the state file and the records are damaged (see {@link #down(Path)}), only instances named
   * as {@code naming} names the project's services are stopped — also the {@code --compat} names
   * {@code <service><n>} ({@link InstanceNaming#REFERENCE}), which a name alone could not tell
   * apart.
   *
   * @param timeout as for {@link #down(Path, Duration)}; {@code null} for the engine's
   * @throws java.io.UncheckedIOException when a volume cannot be deleted, or a damaged file cannot
   *     be renamed
   */
  public List<String> down(
      ComposeProject project, InstanceNaming naming, Duration timeout, boolean removeVolumes) {
    Set<String> services = new HashSet<>();
    project.services().forEach(sv -> services.add(sv.name()));
    List<String> stopped =
        downState(
            project.directory().resolve(stateDirectoryName),
            timeout,
            new ProjectInstanceNames(project.name(), naming, Set.copyOf(services)));
    if (removeVolumes) {
      deleteTree(project.directory().resolve(stateDirectoryName).resolve("volumes"));
    }
    return stopped;
  }

  /**
   * {@link #down(Path)}, then, when {@code removeVolumes}, deletes the named volumes of the
   * project: the folder {@code .scompose/volumes} (docker compose's {@code down --volumes}). Bind
   * sources are the user's and are never touched.
   *
   * @throws java.io.UncheckedIOException when a volume cannot be deleted
   */
  public List<String> down(Path projectDirectory, boolean removeVolumes) {
    return down(projectDirectory, null, removeVolumes);
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
  static void requireStopTimeout(Duration timeout) {
    if (timeout != null && timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "stop timeout " + timeout + ": instance stop needs at least 1 second");
    }
  }

  List<String> downState(Path stateDirectory, Duration timeout, ProjectInstanceNames names) {
    requireStopTimeout(timeout);
    EngineSettings settings =
        timeout == null ? this.settings : this.settings.withStopTimeout(timeout);
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

  /**
   * The instances the state file under {@code projectDirectory} records, with what one {@code
   * instance list} shows now; empty when there is no state file.
   */
  public List<InstanceStatus> ps(Path projectDirectory) {
    return psState(projectDirectory.resolve(stateDirectoryName));
  }

  List<InstanceStatus> psState(Path stateDirectory) {
    Optional<ProjectState> state = StateFile.read(StateFile.in(stateDirectory));
    if (state.isEmpty()) {
      return List.of();
    }
    Map<String, InstanceInfo> listed = new LinkedHashMap<>();
    settings.client().list().forEach(i -> listed.put(i.name(), i));
    List<InstanceStatus> out = new ArrayList<>();
    for (ProjectState.Entry e : state.get().instances()) {
      InstanceInfo i = listed.get(e.name());
      out.add(
          InstanceStatus.builder()
              .service(e.service())
              .name(e.name())
              .state(i == null ? InstanceStatus.State.EXITED : InstanceStatus.State.RUNNING)
              .pid(i == null ? OptionalLong.empty() : OptionalLong.of(i.pid()))
              .ip(e.ip().isEmpty() ? Optional.empty() : Optional.of(e.ip()))
              .image(e.image())
              .restarts(e.restarts())
              .build());
    }
    return out;
  }

  // ---- stop / start / restart
  // -------------------------------------------------------------------------------------

  /**
   * {@code stop}: stops the running instances of {@code services} of the project recorded under
   * {@code projectDirectory} (all services when none are given), dependents first — the highest
   * dependency level first, the instances of one level in parallel — and waits until the listing no
   * longer shows them (at most the {@link Builder#goneWait gone-wait}). Unlike {@link #down}, the
   * instances stay in the state file ({@code ps} shows them {@link InstanceStatus.State#EXITED}),
   * the address leases stay taken, and restart policies of an open {@link ComposeStack} (in any
   * process) leave them alone until {@link #start}. Only the named services are stopped, not what
   * depends on them ({@code docker compose stop} does the same).
   *
   * @param timeout {@code instance stop --timeout} (whole seconds); {@code null} for the engine's
   *     {@link Builder#stopTimeout} (default: the binary's, 10 s in 3.4.2)
   * @return the instances stopped, highest level first (instances not running are skipped)
   * @throws IllegalStateException when there is no state file (the project is not up or created)
   * @throws IllegalArgumentException naming a service the project does not record
   * @throws io.github.scompose.core.errors.SingularityException when a stop fails otherwise than
   *     "no such instance" (every stop is tried first)
   */
  public List<String> stop(Path projectDirectory, Duration timeout, String... services) {
    return stopState(projectDirectory.resolve(stateDirectoryName), timeout, services);
  }

  List<String> stopState(Path stateDirectory, Duration timeout, String... services) {
    return InstanceLifecycle.of(settings, stateDirectory)
        .stop(List.of(services), Optional.ofNullable(timeout));
  }

  /**
   * {@code start}: starts the recorded instances of {@code services} (all when none are given) that
   * are not running, dependencies first — the lowest level first, each level in parallel — with the
   * start commands {@code up} (or {@link #create}) recorded, so addresses, binds and options do not
   * change, even from another process. Before starting, the recorded hosts/resolver files and
   * named-volume folders are written again; secret files must be owner-only; an address that an
   * instance of another project uses now is refused. After each level, one {@code instance list}
   * confirms the starts like {@code up} does: a dead instance is started again, up to {@link
   * Builder#startupAttempts} attempts. Then the spec 2.0 {@code exec}/{@code run} steps recorded
   * for the started instances run again, as in {@code up} (background ones are launched and not
   * waited for; they end with their instance). The PIDs go into the state file.
   *
   * <p>{@code depends_on: condition: service_healthy} is honoured as in {@code up}: before an
   * instance starts, the recorded healthcheck of each instance it waits for runs through {@code
   * exec} (interval, retries, start period on the engine's clock) until it passes; a dependency
   * that neither runs nor is started by this {@code start} is refused at once. Records written by
   * an older version hold no waits: run {@code up} once to record them.
   *
   * @return the instances started, in start order (running ones are skipped)
   * @throws IllegalStateException when there is no state file or no instance records (a state file
   *     of an older version: run {@code up} again)
   * @throws IllegalArgumentException naming a service the project does not record
   * @throws ComposeOperationException when a start fails (naming the instance, the masked command,
   *     its exit code and log tail), or when a required dependency never becomes healthy (naming
   *     it, its healthcheck command and the end of the check's last output); the instances this
   *     start started are stopped first (instances that ran before keep running)
   */
  public List<String> start(Path projectDirectory, String... services) {
    return startState(projectDirectory.resolve(stateDirectoryName), services);
  }

  List<String> startState(Path stateDirectory, String... services) {
    return startState(stateDirectory, c -> {}, services);
  }

  List<String> startState(
      Path stateDirectory,
      java.util.function.Consumer<RunningCommand> background,
      String... services) {
    return InstanceLifecycle.of(settings, stateDirectory).start(List.of(services), background);
  }

  /**
   * {@code restart}: {@link #stop} then {@link #start} of {@code services} (all when none are
   * given); instances that were not running are started too.
   *
   * @param timeout as for {@link #stop}; {@code null} for the engine's
   * @return the instances started
   * @throws IllegalStateException when there is no state file or no instance records
   * @throws IllegalArgumentException naming a service the project does not record
   * @throws ComposeOperationException when a start fails (see {@link #start})
   */
  public List<String> restart(Path projectDirectory, Duration timeout, String... services) {
    Path state = projectDirectory.resolve(stateDirectoryName);
    stopState(state, timeout, services);
    return startState(state, services);
  }

  // ---- create / pull / build / images / run
  // -------------------------------------------------------------------------

  /** {@link #create(UpPlan)} of {@link #plan(ComposeProject)}. */
  public ComposeStack create(ComposeProject project) {
    return create(plan(project));
  }

  /** {@link #create(UpPlan)} of {@link #plan(ComposeProject, PlanOptions)}. */
  public ComposeStack create(ComposeProject project, PlanOptions options) {
    return create(plan(project, options));
  }

  /**
   * {@code create} ({@code up --no-start}): everything {@code up} does before the first start, and
   * nothing started. Writes the hosts/resolver files into the state directory (atomically), creates
   * the named-volume folders, checks that secret files are owner-only, gets the missing images (in
   * parallel, at most {@link Builder#parallelism} at a time; {@code PULLING}/{@code
   * BUILDING}/{@code IMAGE_READY} events), then records the instances in the state file (so {@code
   * ps} shows them EXITED) with their start commands. {@link ComposeStack#start} (or {@link
   * #start}, from any process) starts them; restart policies leave them alone until then. The
   * address leases taken by the plan stay until {@link #down}.
   *
   * @return a handle on the created project; {@link ComposeStack#close()} is {@code down}
   * @throws IllegalStateException when an instance the state file records is running (use {@link
   *     #start} or {@link #up})
   * @throws ComposeOperationException when a pull or build fails (operation {@code create}); when
   *     the project had no state before, the leases are released again
   * @throws java.io.UncheckedIOException when the state directory cannot be written
   */
  public ComposeStack create(UpPlan plan) {
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
      prepare(plan.stateDirectory(), plan);
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
      StateDirectoryLock.holding(
          state,
          () -> {
            InstanceRecords.write(state, InstanceRecords.ofPlan(plan, true));
            StateFile.write(StateFile.in(state), created);
            return null;
          });
    } catch (RuntimeException e) {
      if (prior.isEmpty()) {
        settings.leases().ifPresent(l -> l.release(plan.project()));
      }
      throw e;
    }
    return newStack(plan, List.of());
  }

  /**
   * The state directory (here), then the hosts/resolver files and named-volume folders where the
   * binary runs (through the transport, as {@code up} does).
   */
  private void prepare(Path state, UpPlan plan) {
    try {
      StateFile.createOwnerOnlyDirectories(state);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot prepare " + state, e);
    }
    io.github.scompose.core.transport.Transport t = settings.client().transport();
    for (io.github.scompose.network.PlannedFile f : plan.files()) {
      t.writeFile(
          state.resolve(f.fileName()).toString(),
          f.content().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    for (Path dir : plan.volumeDirectories()) {
      t.createDirectories(dir.toString());
    }
    UpRun.createHostPaths(t, plan);
  }

  /**
   * {@code pull}: pulls the {@code image:} URIs of {@code services} (all when none are given) into
   * the SIF files {@code up} starts from (see {@link UpPlanner}), in parallel; a file that exists
   * is skipped ({@code IMAGE_READY} event "exists"). Services with a {@code build} or a local image
   * path have nothing to pull. Dependencies of the named services are not pulled.
   *
   * @param force pull again ({@code pull --force}) even when the file exists
   * @return the services whose image was pulled now
   * @throws IllegalArgumentException naming an unknown service, or a service with neither image nor
   *     build
   * @throws ComposeOperationException when a pull fails (operation {@code pull}), after the other
   *     pulls of the call finished
   */
  public List<String> pull(ComposeProject project, boolean force, String... services) {
    return pull(project, PlanOptions.defaults(), force, services);
  }

  /**
   * {@link #pull(ComposeProject, boolean, String...)} into the paths {@code up} plans with {@code
   * options} (its {@link PlanOptions#referenceCompatible()} and state directory; its services are
   * ignored).
   */
  public List<String> pull(
      ComposeProject project, PlanOptions options, boolean force, String... services) {
    return imageSteps(project, options, "pull", force, services);
  }

  /**
   * {@code build}: builds the {@code build} recipes of {@code services} (all when none are given)
   * into {@code <state>/images/<service>.sif} ({@code <context>/<recipe>}, default recipe {@code
   * Singularity}; {@code fakeroot} in {@code build.options} gives {@code --fakeroot}), exactly the
   * {@link ImageStep}s {@link UpPlanner} plans for {@code up}, in parallel. An image that exists is
   * skipped unless {@code force}, which passes {@code --force} (overwrite).
   *
   * @return the services whose image was built now
   * @throws IllegalArgumentException naming an unknown service
   * @throws ComposeOperationException when a build fails (operation {@code build}), after the other
   *     builds of the call finished
   */
  public List<String> build(ComposeProject project, boolean force, String... services) {
    return build(project, PlanOptions.defaults(), force, services);
  }

  /**
   * {@link #build(ComposeProject, boolean, String...)} into the paths {@code up} plans with {@code
   * options} (its {@link PlanOptions#referenceCompatible()} and state directory; its services are
   * ignored).
   */
  public List<String> build(
      ComposeProject project, PlanOptions options, boolean force, String... services) {
    return imageSteps(project, options, "build", force, services);
  }

  private List<String> imageSteps(
      ComposeProject project,
      PlanOptions options,
      String operation,
      boolean force,
      String... services) {
    UpPlan plan = imagePlan(project, options, List.of(services));
    Events events = new Events(project.name(), settings.listeners(), settings.clock());
    ImageSteps steps = new ImageSteps(settings, events);
    List<ImageStep> wanted =
        plan.images().stream()
            .filter(
                s ->
                    operation.equals("pull")
                        ? s.command() instanceof io.github.scompose.core.client.Pull
                        : s.command() instanceof io.github.scompose.core.client.Build)
            .toList();
    Set<String> done = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Parallel.forEach(
        settings.executor(),
        settings.parallelism(),
        wanted,
        step -> {
          if (steps.get(operation, step, force)) {
            done.add(step.service());
          }
        });
    return wanted.stream().map(ImageStep::service).filter(done::contains).toList();
  }

  /**
   * {@code images}: per service of the project, in the project's order, where its image comes from,
   * the path instances start from, whether that path exists on the runtime's host, and its size in
   * bytes. Runs nothing but file checks ({@code stat}).
   *
   * @throws IllegalArgumentException for a service with neither image nor build
   */
  public List<ServiceImage> images(ComposeProject project) {
    return images(project, PlanOptions.defaults());
  }

  /**
   * {@link #images(ComposeProject)} at the paths {@code up} plans with {@code options} (its {@link
   * PlanOptions#referenceCompatible()} and state directory).
   */
  public List<ServiceImage> images(ComposeProject project, PlanOptions options) {
    UpPlan plan = imagePlan(project, options, List.of());
    ImageSteps steps =
        new ImageSteps(
            settings, new Events(project.name(), settings.listeners(), settings.clock()));
    List<ServiceImage> out = new ArrayList<>();
    for (io.github.scompose.spec.ServiceSpec s : project.services()) {
      Optional<ImageStep> step =
          plan.images().stream().filter(x -> x.service().equals(s.name())).findFirst();
      ServiceImage.Builder b = ServiceImage.builder().service(s.name());
      String path;
      if (step.isPresent()) {
        path = step.get().destination();
        if (step.get().command() instanceof io.github.scompose.core.client.Pull p) {
          b.source(ServiceImage.Source.PULL).reference(p.uri());
        } else {
          io.github.scompose.core.client.Build bd =
              (io.github.scompose.core.client.Build) step.get().command();
          b.source(ServiceImage.Source.BUILD).reference(bd.spec());
        }
      } else {
        path =
            plan.instances().stream()
                .filter(i -> i.service().equals(s.name()))
                .findFirst()
                .map(i -> i.start().image())
                .orElseThrow();
        b.source(ServiceImage.Source.LOCAL).reference(path);
      }
      boolean present = steps.present(path);
      out.add(
          b.path(path)
              .present(present)
              .sizeBytes(present ? steps.size(path) : java.util.OptionalLong.empty())
              .build());
    }
    return out;
  }

  /**
   * The plan of the images only: the services reduced to name, image and build (one replica, no
   * network, ports, volumes, dependencies), so that planning takes no lease, checks no host port
   * and cannot fail on what images do not need.
   */
  private UpPlan imagePlan(ComposeProject project, PlanOptions base, List<String> services) {
    for (String s : services) {
      if (project.service(s).isEmpty()) {
        throw new IllegalArgumentException("no service '" + s + "' in project " + project.name());
      }
    }
    ComposeProject bare =
        project
            .withSecrets(List.of())
            .withServices(
                project.services().stream()
                    .map(
                        s ->
                            (io.github.scompose.spec.ServiceSpec)
                                io.github.scompose.spec.ServiceSpec.builder()
                                    .name(s.name())
                                    .image(s.image())
                                    .build(s.build())
                                    .profiles(s.profiles())
                                    .network(
                                        io.github.scompose.spec.NetworkSpec.builder()
                                            .enable(false)
                                            .build())
                                    .build())
                    .toList());
    PlanOptions options = withProfiles(base.withServices(services));
    NetworkPlan network =
        NetworkPlanner.create().plan(UpPlanner.networkRequest(bare, facts, options));
    return UpPlanner.plan(bare, facts, network, options);
  }

  /**
   * One-off {@code run}: runs the runscript of {@code service}'s image — not in an instance — with
   * the service's binds, environment and options, as {@code docker compose run} does: {@code run
   * [binds…] [options…] IMAGE ARGS…}. The settings are those recorded for the service's first
   * replica when the project is up or created; else planned from {@code project} now (the image is
   * pulled or built first when missing, named-volume folders are created). No network namespace,
   * address, hostname or published port (the instances keep theirs); hosts/resolver binds are kept
   * only when their files exist. Environment values reach the container through the client's env
   * mechanism, never argv.
   *
   * @param args the runscript's arguments; none runs it without arguments
   * @return the result, whatever its exit code (the runscript's exit code is passed through)
   * @throws IllegalArgumentException naming an unknown service
   * @throws ComposeOperationException when a pull or build fails, or a secret file is not
   *     owner-only
   * @throws io.github.scompose.core.errors.SingularityException for the binary's own errors (e.g.
   *     {@link io.github.scompose.core.errors.ImageNotFoundException})
   */
  public io.github.scompose.core.transport.CommandResult run(
      ComposeProject project, String service, String... args) {
    return run(project, service, Map.of(), args);
  }

  /**
   * {@link #run(ComposeProject, String, String...)} with {@code environment} added to, or
   * overriding, the service's ({@code docker compose run -e K=V}). Values never appear in argv.
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
        withProfiles(
            PlanOptions.builder()
                .addServices(service)
                .stateDirectoryName(stateDirectoryName)
                .build());
    NetworkPlan network =
        NetworkPlanner.create().plan(UpPlanner.networkRequest(portless, facts, options));
    UpPlan plan = UpPlanner.plan(portless, facts, network, options);
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
   * {@link #run(ComposeProject, String, String...)} with the recorded settings of the project in
   * {@code stateDirectory}.
   */
  io.github.scompose.core.transport.CommandResult runState(
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

  // ---- exec / run in an instance
  // --------------------------------------------------------------------------------

  /**
   * {@code exec instance://NAME command…} in an instance of the project under {@code
   * projectDirectory}, with the environment the instance was started with (its service's {@code
   * environment}, {@code env_file} and the values {@code .env} gave them, as recorded in {@code
   * .scompose/instances.json}; also its env file and {@code --cleanenv}) plus {@link
   * InstanceCommand#environment()} over it, as {@code docker compose exec [-e K=V]} does. The
   * binary itself gives a later {@code exec} only the image's environment (recorded from
   * SingularityCE 3.4.2). Values go through the client's env mechanism (an env file {@code 0600}
   * where the dialect has {@code --env-file}, else {@code SINGULARITYENV_}/{@code APPTAINERENV_} in
   * the binary's environment), never argv.
   *
   * @return the result, whatever its exit code: the command's is passed through, and a command the
   *     binary cannot run (not in the container's {@code PATH}) is exit code 255 with the binary's
   *     {@code FATAL:} line on stderr ({@link SingularityClient#execAnyExit}); never a {@link
   *     io.github.scompose.core.errors.CommandFailedException}
   * @throws IllegalArgumentException when the project does not record the instance, or {@code args}
   *     is empty, or a variable name is not {@code [A-Za-z_][A-Za-z0-9_]*}
   * @throws IllegalStateException when {@code instances.json} cannot be read (naming the file)
   * @throws io.github.scompose.core.errors.InstanceNotFoundException when the instance is not
   *     running
   * @throws io.github.scompose.core.errors.UnknownFlagException when the binary lacks an option the
   *     command needs
   */
  public io.github.scompose.core.transport.CommandResult exec(
      Path projectDirectory, InstanceCommand command) {
    return execState(projectDirectory.resolve(stateDirectoryName), command);
  }

  /**
   * {@code run instance://NAME args…} (the image's runscript in a running instance, as
   * singularity-compose's {@code run} does) with the instance's environment plus {@link
   * InstanceCommand#environment()}; see {@link #exec(Path, InstanceCommand)}.
   *
   * @return the result, whatever its exit code (as {@link #exec(Path, InstanceCommand)})
   * @throws IllegalArgumentException when the project does not record the instance
   * @throws IllegalStateException when {@code instances.json} cannot be read
   * @throws io.github.scompose.core.errors.InstanceNotFoundException when the instance is not
   *     running
   */
  public io.github.scompose.core.transport.CommandResult runInInstance(
      Path projectDirectory, InstanceCommand command) {
    return runInInstanceState(projectDirectory.resolve(stateDirectoryName), command);
  }

  io.github.scompose.core.transport.CommandResult execState(
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

  io.github.scompose.core.transport.CommandResult runInInstanceState(
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

  List<ProjectState.Entry> entries(Path stateDirectory) {
    return StateFile.read(StateFile.in(stateDirectory))
        .map(ProjectState::instances)
        .orElse(List.of());
  }

  /**
   * The default {@link Builder#parallelism}: {@value}. Starts and stops wait on the binary, not on
   * this machine's processors: measured on a real SingularityCE 3.4.2 with 2 cores, one {@code
   * instance start} takes 0.31-0.48 s and 10 bridge starts in parallel 0.96 s in all; one {@code
   * instance stop} 1.3-1.7 s and 10 in parallel 2.1 s. So 10 at once cost about 2-3 times one,
   * against 10 times one in sequence, and the number of processors (2 there) leaves most of that on
   * the table. 16 covers the usual project (up to 16 services a level in one round) while bounding
   * the processes and bridge set-ups (CNI, iptables) run against one host at once.
   */
  public static final int DEFAULT_PARALLELISM = 16;

  /** Settings of a {@link Compose}. Not thread-safe. */
  public static final class Builder {
    private SingularityClient client;
    private RuntimeFacts facts;
    private NetworkPlanner planner;
    private LeaseStore leases;
    private Executor executor;
    private int parallelism = DEFAULT_PARALLELISM;
    private final List<ComposeListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private int startupAttempts = 3;
    private int logTailLines = 20;
    private Duration stopTimeout;
    private Duration goneWait = Duration.ofSeconds(30);
    private Duration startingGrace = Duration.ofSeconds(10);
    private Duration pollInterval = Duration.ofMillis(250);
    private Duration supervisionInterval = Duration.ofSeconds(5);
    private String stateDirectoryName = PlanOptions.STATE_DIRECTORY;
    private final Set<String> profiles = new java.util.LinkedHashSet<>();

    private Builder() {}

    /**
     * Compose profiles active when a call's {@link PlanOptions#profiles()} names none (the CLI's
     * {@code --profile}; {@link ComposeWiring} sets the variable {@code COMPOSE_PROFILES});
     * replaces earlier ones. Default: none, so only services without {@code profiles} (and services
     * named in {@link PlanOptions#services()}) are planned.
     */
    public Builder profiles(java.util.Collection<String> names) {
      this.profiles.clear();
      names.stream().map(String::strip).filter(n -> !n.isEmpty()).forEach(this.profiles::add);
      return this;
    }

    /**
     * The folder under a project directory that holds the project's state ({@code state.json},
     * {@code instances.json}, hosts/resolver files, named volumes), for the operations given a
     * project directory ({@link Compose#down(Path)}, {@link Compose#ps}, {@link Compose#stop},
     * {@link Compose#start}, {@link Compose#restart}, {@link Compose#attach}, {@link Compose#run})
     * and for {@link Compose#plan(ComposeProject)}; default {@value PlanOptions#STATE_DIRECTORY}. A
     * project brought up with {@link PlanOptions#stateDirectoryName()} set otherwise is found by an
     * engine with the same name here (from any process).
     *
     * @throws IllegalArgumentException when {@code name} is blank, absolute or leaves the project
     *     directory ({@code ..})
     */
    public Builder stateDirectoryName(String name) {
      Path p = Path.of(name).normalize();
      if (name.isBlank() || p.isAbsolute() || p.startsWith("..") || p.toString().isEmpty()) {
        throw new IllegalArgumentException(
            "state directory name '" + name + "' is not a folder under the project directory");
      }
      this.stateDirectoryName = name;
      return this;
    }

    /**
     * Interval of the restart-policy supervisor of each open {@link ComposeStack} (one {@code
     * instance list} per round for the whole project; started only when a service has a restart
     * policy); {@link Duration#ZERO} runs no background supervisor (rounds only through {@link
     * ComposeStack#superviseOnce()}). Default 5 s.
     */
    public Builder supervisionInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("supervision interval " + interval + " is negative");
      }
      this.supervisionInterval = interval;
      return this;
    }

    /** The instance client (required). */
    public Builder client(SingularityClient client) {
      this.client = Objects.requireNonNull(client);
      return this;
    }

    /** Root/fakeroot facts; default: not root, no fakeroot, the client's dialect. */
    public Builder facts(RuntimeFacts facts) {
      this.facts = Objects.requireNonNull(facts);
      return this;
    }

    /** The network planner; default {@link NetworkPlanner#create()}. */
    public Builder networkPlanner(NetworkPlanner planner) {
      this.planner = Objects.requireNonNull(planner);
      return this;
    }

    /**
     * Share bridge addresses with other projects through {@code store}; default: none. A lease of
     * another project is stale, and reclaimed after the store's grace, when its instance is neither
     * listed nor recorded in that project's state file (a stopped instance keeps its address until
     * {@link Compose#down}); see {@link Compose#plan(ComposeProject, PlanOptions)}.
     */
    public Builder leases(LeaseStore store) {
      this.leases = Objects.requireNonNull(store);
      return this;
    }

    /**
     * Runs parallel steps (starts, stops, pulls, healthchecks); default: a shared cached pool of
     * daemon threads. A bounded pool is fine: the engine never holds one of its threads beyond a
     * step (the restart-policy supervisor of an open {@link ComposeStack} runs on its own daemon
     * thread).
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor);
      return this;
    }

    /**
     * At most this many starts (stops, pulls) at once; default {@value Compose#DEFAULT_PARALLELISM}
     * ({@link ComposeWiring} reads {@value ComposeWiring#PARALLEL_LIMIT_VARIABLE}). Dependency
     * levels and healthcheck gates hold whatever the value.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism " + parallelism + " is below 1");
      }
      this.parallelism = parallelism;
      return this;
    }

    /** Adds an event listener. */
    public Builder listener(ComposeListener listener) {
      listeners.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Time for events, healthchecks and waits; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** How waits wait; default {@link Sleeper#system()}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper);
      return this;
    }

    /**
     * Starts per instance before up fails when the instance is not running after a start; default
     * 3.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder startupAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("startup attempts " + attempts + " is below 1");
      }
      this.startupAttempts = attempts;
      return this;
    }

    /** Log lines quoted in errors; default 20. */
    public Builder logTailLines(int lines) {
      if (lines < 0) {
        throw new IllegalArgumentException("log tail lines " + lines + " is negative");
      }
      this.logTailLines = lines;
      return this;
    }

    /** {@code instance stop -t}; default: the binary's (10 s in 3.4.2). */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * How long down waits for stopped instances to leave the listing (3.4.2 kept them listed 2-3 s
     * after stop, recorded); default 30 s.
     */
    public Builder goneWait(Duration wait) {
      this.goneWait = Objects.requireNonNull(wait);
      return this;
    }

    /**
     * How long {@code down} waits for an instance that the state records as <em>starting</em> (its
     * {@code instance start} was issued by an {@code up} whose JVM may have died) and that is not
     * listed: the start's child process may still be running and register the instance later, so
     * {@code down} polls the listing (one {@code instance list} per {@link #pollInterval poll
     * interval}) until it appears (then stops it) or until this long after the entry was recorded
     * (then counts it gone); default 10 s. Zero: count it gone at once.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder startingGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("starting grace " + grace + " is negative");
      }
      this.startingGrace = grace;
      return this;
    }

    /** Interval of listing polls; default 250 ms. */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("poll interval " + interval + " is not positive");
      }
      this.pollInterval = interval;
      return this;
    }

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
