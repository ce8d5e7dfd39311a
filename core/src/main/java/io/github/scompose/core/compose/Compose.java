package io.github.scompose.core.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.internal.compose.EngineSettings;
import io.github.scompose.core.internal.compose.Events;
import io.github.scompose.core.internal.compose.InstanceOps;
import io.github.scompose.core.internal.compose.ProjectState;
import io.github.scompose.core.internal.compose.RestartSupervisor;
import io.github.scompose.core.internal.compose.StateFile;
import io.github.scompose.core.internal.compose.UpRun;
import io.github.scompose.network.ImmutableNetworkRequest;
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
 * {@link Builder#executor}. After each round of starts, <em>one</em> {@code instance list} confirms
 * that every instance is listed and its PID alive (the real SingularityCE 3.4.2 may print "instance
 * started successfully" for an instance that is already dead); a dead one is started again, up to
 * {@link Builder#startupAttempts} attempts (default 3, Testcontainers' {@code
 * withStartupAttempts}). {@code service_healthy} dependencies wait for the dependency's
 * healthcheck, run through {@code exec} at its interval, retries and start period on the injected
 * clock. The state file {@code .scompose/state.json} is rewritten atomically after each level.
 *
 * <p><b>Failure is atomic</b>: when any step fails, every instance this {@code up} started is
 * stopped (highest level first), the project's address leases are released, the state file is
 * removed, and a {@link ComposeUpException} names the instance, the command (secrets masked), its
 * exit code and the end of the instance's logs. Nothing the user owns is deleted.
 *
 * <p><b>Restart policies</b> ({@code restart:}, {@code deploy.restart_policy}) are kept while the
 * returned {@link ComposeStack} is open, by a supervisor that takes one {@code instance list} per
 * round for the whole project (see {@link Builder#supervisionInterval}); restarts are counted in
 * {@link InstanceStatus#restarts()}.
 *
 * <p><b>down</b> reads the state file (so it works from another process, or after the JVM that ran
 * {@code up} died), stops the instances highest level first, each level in parallel, waits until
 * the listing no longer shows them, releases the leases and removes the state file. Named volumes
 * stay.
 *
 * <p>Defaults: parallelism = available processors; executor = a cached pool of daemon threads;
 * network planner = {@link NetworkPlanner#create()} (host ports checked on this host, addresses in
 * memory) — give a {@link LeaseStore} to share addresses between projects; startup attempts 3; log
 * tail 20 lines; stop timeout = the binary's (10 s); gone-wait 30 s; poll interval 250 ms; system
 * UTC clock and {@link Sleeper#system()}.
 */
public final class Compose {

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

  private Compose(Builder b) {
    this.supervisionInterval = b.supervisionInterval;
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
            b.pollInterval);
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
   * An engine for this machine, with the defaults: the binary found by {@link
   * SingularityClient#discover} over a {@link
   * io.github.scompose.core.transport.LocalProcessTransport}, root when this process's effective
   * uid is 0, no fakeroot. Three lines in jshell:
   *
   * <pre>{@code
   * var project = ComposeLoader.defaults().load(Path.of("singularity-compose.yml"));
   * var stack = Compose.local().up(project);
   * stack.ps();  stack.close();
   * }</pre>
   *
   * @throws io.github.scompose.core.errors.BinaryNotFoundException when no binary is on PATH
   */
  public static Compose local() {
    SingularityClient client =
        SingularityClient.discover(
            io.github.scompose.core.transport.LocalProcessTransport.create());
    boolean root = io.github.scompose.core.posix.Posix.system().geteuid() == 0;
    return builder()
        .client(client)
        .facts(ImmutableRuntimeFacts.builder().dialect(client.dialect()).root(root).build())
        .build();
  }

  /** A builder; {@link Builder#client} is required. */
  public static Builder builder() {
    return new Builder();
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

  /** {@link #plan(ComposeProject, PlanOptions)} with the defaults. */
  public UpPlan plan(ComposeProject project) {
    return plan(project, PlanOptions.defaults());
  }

  /**
   * The plan of {@code up}: one {@code instance list} (addresses in use, and which leases are
   * live), the network plan (with a {@link Builder#leases lease store}, this takes the project's
   * address leases, released by {@link #down}), then {@link UpPlanner#plan}.
   *
   * @throws IllegalArgumentException for a cycle, a missing dependency, an unsupported mount
   * @throws io.github.scompose.network.NetworkException when ports conflict or addresses run out
   */
  public UpPlan plan(ComposeProject project, PlanOptions options) {
    NetworkRequest request = UpPlanner.networkRequest(project, facts, options);
    List<InstanceInfo> listed = settings.client().list();
    List<IpAddress> taken = new ArrayList<>();
    Set<String> running = new HashSet<>();
    for (InstanceInfo i : listed) {
      running.add(i.name());
      i.ip().filter(ip -> !ip.isBlank()).ifPresent(ip -> taken.add(IpAddress.parse(ip)));
    }
    NetworkPlanner p =
        settings
            .leases()
            .map(l -> planner.withLeases(l, lease -> running.contains(lease.instance())))
            .orElse(planner);
    NetworkPlan network = p.plan(ImmutableNetworkRequest.copyOf(request).withTakenAddresses(taken));
    return UpPlanner.plan(project, facts, network, options);
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
    Events events = new Events(plan.project(), settings.listeners(), settings.clock());
    UpRun.Result r = new UpRun(settings, plan, events, session).run();
    RestartSupervisor supervisor = null;
    if (RestartSupervisor.needed(plan)) {
      supervisor = new RestartSupervisor(settings, plan, events);
      if (!supervisionInterval.isZero()) {
        RestartSupervisor sup = supervisor;
        settings
            .executor()
            .execute(
                () -> {
                  while (!sup.stopped()) {
                    try {
                      settings.sleeper().sleep(supervisionInterval);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    sup.pollOnce();
                  }
                });
      }
    }
    return new ComposeStack(
        this, plan.project(), plan.stateDirectory(), r.background(), supervisor);
  }

  /**
   * A handle on a project that some process brought up, from its state file under {@code
   * projectDirectory}.
   *
   * @throws IllegalStateException when there is no state file
   */
  public ComposeStack attach(Path projectDirectory) {
    Path state = projectDirectory.resolve(PlanOptions.STATE_DIRECTORY);
    ProjectState s =
        StateFile.read(StateFile.in(state))
            .orElseThrow(
                () -> new IllegalStateException("no project state in " + StateFile.in(state)));
    return new ComposeStack(this, s.project(), state, List.of(), null);
  }

  // ---- down / ps
  // ------------------------------------------------------------------------------------

  /**
   * Stops what the state file under {@code projectDirectory} records (see the class comment).
   *
   * @return the instances stopped (or found already gone), highest level first; empty when there is
   *     no state file
   */
  public List<String> down(Path projectDirectory) {
    return downState(projectDirectory.resolve(PlanOptions.STATE_DIRECTORY));
  }

  /**
   * {@link #down(Path)}, then, when {@code removeVolumes}, deletes the named volumes of the
   * project: the folder {@code .scompose/volumes} (docker compose's {@code down --volumes}). Bind
   * sources are the user's and are never touched.
   *
   * @throws java.io.UncheckedIOException when a volume cannot be deleted
   */
  public List<String> down(Path projectDirectory, boolean removeVolumes) {
    List<String> stopped = down(projectDirectory);
    if (removeVolumes) {
      deleteTree(projectDirectory.resolve(PlanOptions.STATE_DIRECTORY).resolve("volumes"));
    }
    return stopped;
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

  List<String> downState(Path stateDirectory) {
    Path file = StateFile.in(stateDirectory);
    Optional<ProjectState> state = StateFile.read(file);
    if (state.isEmpty()) {
      return List.of();
    }
    ProjectState s = state.get();
    Events events = new Events(s.project(), settings.listeners(), settings.clock());
    Map<String, InstanceOps.ServiceLevel> byName = new LinkedHashMap<>();
    List<ProjectState.Entry> entries = new ArrayList<>(s.instances());
    entries.sort((a, b) -> Integer.compare(b.level(), a.level()));
    for (ProjectState.Entry e : entries) {
      byName.put(e.name(), new InstanceOps.ServiceLevel(e.service(), e.level()));
    }
    new InstanceOps(settings, events).stopAll(byName);
    settings.leases().ifPresent(l -> l.release(s.project()));
    StateFile.delete(file);
    return List.copyOf(byName.keySet());
  }

  /**
   * The instances the state file under {@code projectDirectory} records, with what one {@code
   * instance list} shows now; empty when there is no state file.
   */
  public List<InstanceStatus> ps(Path projectDirectory) {
    return psState(projectDirectory.resolve(PlanOptions.STATE_DIRECTORY));
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
          ImmutableInstanceStatus.builder()
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

  List<ProjectState.Entry> entries(Path stateDirectory) {
    return StateFile.read(StateFile.in(stateDirectory))
        .map(ProjectState::instances)
        .orElse(List.of());
  }

  /** Settings of a {@link Compose}. Not thread-safe. */
  public static final class Builder {
    private SingularityClient client;
    private RuntimeFacts facts;
    private NetworkPlanner planner;
    private LeaseStore leases;
    private Executor executor;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private final List<ComposeListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private int startupAttempts = 3;
    private int logTailLines = 20;
    private Duration stopTimeout;
    private Duration goneWait = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofMillis(250);
    private Duration supervisionInterval = Duration.ofSeconds(5);

    private Builder() {}

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
     * Share bridge addresses with other projects through {@code store} (stale leases are reclaimed
     * when their instance is not listed); default: none.
     */
    public Builder leases(LeaseStore store) {
      this.leases = Objects.requireNonNull(store);
      return this;
    }

    /** Runs parallel steps; default: a shared cached pool of daemon threads. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor);
      return this;
    }

    /**
     * At most this many starts (stops, pulls) at once; default: available processors.
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
