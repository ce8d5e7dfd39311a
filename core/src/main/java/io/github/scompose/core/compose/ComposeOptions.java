package io.github.scompose.core.compose;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.internal.compose.ComposeEngine;
import io.github.scompose.core.internal.compose.EngineSettings;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The settings of {@link Compose.Builder}, the only subclass: its methods, with their defaults. Not
 * thread-safe.
 */
abstract class ComposeOptions {

  SingularityClient client;
  RuntimeFacts facts;
  NetworkPlanner planner;
  LeaseStore leases;
  Executor executor;
  int parallelism = Compose.DEFAULT_PARALLELISM;
  final List<ComposeListener> listeners = new ArrayList<>();
  Clock clock = Clock.systemUTC();
  Sleeper sleeper = Sleeper.system();
  int startupAttempts = 3;
  int logTailLines = 20;
  Duration stopTimeout;
  Duration goneWait = Duration.ofSeconds(30);
  Duration startingGrace = Duration.ofSeconds(10);
  Duration pollInterval = Duration.ofMillis(250);
  Duration supervisionInterval = Duration.ofSeconds(5);
  String stateDirectoryName = PlanOptions.STATE_DIRECTORY;
  final Set<String> profiles = new java.util.LinkedHashSet<>();

  /**
   * Compose profiles active when a call's {@link PlanOptions#profiles()} names none (the CLI's
   * {@code --profile}; {@link ComposeWiring} sets the variable {@code COMPOSE_PROFILES}); replaces
   * earlier ones. Default: none, so only services without {@code profiles} (and services named in
   * {@link PlanOptions#services()}) are planned.
   */
  public Compose.Builder profiles(java.util.Collection<String> names) {
    this.profiles.clear();
    names.stream().map(String::strip).filter(n -> !n.isEmpty()).forEach(this.profiles::add);
    return self();
  }

  /**
   * The folder under a project directory that holds the project's state ({@code state.json}, {@code
   * instances.json}, hosts/resolver files, named volumes), for the operations given a project
   * directory ({@link Compose#down(Path)}, {@link Compose#ps}, {@link Compose#stop}, {@link
   * Compose#start}, {@link Compose#restart}, {@link Compose#attach}, {@link Compose#run}) and for
   * {@link Compose#plan(io.github.scompose.spec.ComposeProject)}; default {@value
   * PlanOptions#STATE_DIRECTORY}. A project brought up with {@link
   * PlanOptions#stateDirectoryName()} set otherwise is found by an engine with the same name here
   * (from any process).
   *
   * @throws IllegalArgumentException when {@code name} is blank, absolute or leaves the project
   *     directory ({@code ..})
   */
  public Compose.Builder stateDirectoryName(String name) {
    Path p = Path.of(name).normalize();
    if (name.isBlank() || p.isAbsolute() || p.startsWith("..") || p.toString().isEmpty()) {
      throw new IllegalArgumentException(
          "state directory name '" + name + "' is not a folder under the project directory");
    }
    this.stateDirectoryName = name;
    return self();
  }

  /**
   * Interval of the restart-policy supervisor of each open {@link ComposeStack} (one {@code
   * instance list} per round for the whole project; started only when a service has a restart
   * policy); {@link Duration#ZERO} runs no background supervisor (rounds only through {@link
   * ComposeStack#superviseOnce()}). Default 5 s.
   */
  public Compose.Builder supervisionInterval(Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("supervision interval " + interval + " is negative");
    }
    this.supervisionInterval = interval;
    return self();
  }

  /** The instance client (required). */
  public Compose.Builder client(SingularityClient client) {
    this.client = Objects.requireNonNull(client);
    return self();
  }

  /** Root/fakeroot facts; default: not root, no fakeroot, the client's dialect. */
  public Compose.Builder facts(RuntimeFacts facts) {
    this.facts = Objects.requireNonNull(facts);
    return self();
  }

  /** The network planner; default {@link NetworkPlanner#create()}. */
  public Compose.Builder networkPlanner(NetworkPlanner planner) {
    this.planner = Objects.requireNonNull(planner);
    return self();
  }

  /**
   * Share bridge addresses with other projects through {@code store}; default: none. A lease of
   * another project is stale, and reclaimed after the store's grace, when its instance is neither
   * listed nor recorded in that project's state file (a stopped instance keeps its address until
   * {@link Compose#down}); see {@link Compose#plan(io.github.scompose.spec.ComposeProject,
   * PlanOptions)}.
   */
  public Compose.Builder leases(LeaseStore store) {
    this.leases = Objects.requireNonNull(store);
    return self();
  }

  /**
   * Runs parallel steps (starts, stops, pulls, healthchecks); default: a shared cached pool of
   * daemon threads. A bounded pool is fine: the engine never holds one of its threads beyond a step
   * (the restart-policy supervisor of an open {@link ComposeStack} runs on its own daemon thread).
   */
  public Compose.Builder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor);
    return self();
  }

  /**
   * At most this many starts (stops, pulls) at once; default {@value Compose#DEFAULT_PARALLELISM}
   * ({@link ComposeWiring} reads {@value ComposeWiring#PARALLEL_LIMIT_VARIABLE}). Dependency levels
   * and healthcheck gates hold whatever the value. Starts and stops wait on the binary, not on this
   * machine's processors: measured on a real SingularityCE 3.4.2 with 2 cores, one {@code instance
   * start} takes 0.31-0.48 s and 10 bridge starts in parallel 0.96 s in all; one {@code instance
   * stop} 1.3-1.7 s and 10 in parallel 2.1 s. So 10 at once cost about 2-3 times one, against 10
   * times one in sequence. The default covers the usual project (up to 16 services a level in one
   * round) while bounding the processes and bridge set-ups (CNI, iptables) run against one host at
   * once. With the default, the stops of one level run all at once (up to 64): a stop costs this
   * machine little, and a second wave of stops cost about 1 s for 20 instances on the real binary.
   *
   * @throws IllegalArgumentException when below 1
   */
  public Compose.Builder parallelism(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism " + parallelism + " is below 1");
    }
    this.parallelism = parallelism;
    return self();
  }

  /** Adds an event listener. */
  public Compose.Builder listener(ComposeListener listener) {
    listeners.add(Objects.requireNonNull(listener));
    return self();
  }

  /** Time for events, healthchecks and waits; default the system UTC clock. */
  public Compose.Builder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return self();
  }

  /** How waits wait; default {@link Sleeper#system()}. */
  public Compose.Builder sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper);
    return self();
  }

  /**
   * Starts per instance before up fails when the instance is not running after a start; default 3.
   *
   * @throws IllegalArgumentException when below 1
   */
  public Compose.Builder startupAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("startup attempts " + attempts + " is below 1");
    }
    this.startupAttempts = attempts;
    return self();
  }

  /** Log lines quoted in errors; default 20. */
  public Compose.Builder logTailLines(int lines) {
    if (lines < 0) {
      throw new IllegalArgumentException("log tail lines " + lines + " is negative");
    }
    this.logTailLines = lines;
    return self();
  }

  /** {@code instance stop -t}; default: the binary's (10 s in 3.4.2). */
  public Compose.Builder stopTimeout(Duration timeout) {
    this.stopTimeout = Objects.requireNonNull(timeout);
    return self();
  }

  /**
   * How long down waits for stopped instances to leave the listing (3.4.2 kept them listed 2-3 s
   * after stop, recorded); default 30 s.
   */
  public Compose.Builder goneWait(Duration wait) {
    this.goneWait = Objects.requireNonNull(wait);
    return self();
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
  public Compose.Builder startingGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("starting grace " + grace + " is negative");
    }
    this.startingGrace = grace;
    return self();
  }

  /** Interval of listing polls; default 250 ms. */
  public Compose.Builder pollInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("poll interval " + interval + " is not positive");
    }
    this.pollInterval = interval;
    return self();
  }

  /**
   * The engine of these settings.
   *
   * @throws NullPointerException when no client was given
   */
  ComposeEngine engine() {
    SingularityClient c = Objects.requireNonNull(client, "client");
    return new ComposeEngine(
        new EngineSettings(
            c,
            executor != null ? executor : ComposeEngine.DEFAULT_EXECUTOR,
            parallelism,
            List.copyOf(listeners),
            clock,
            sleeper,
            startupAttempts,
            logTailLines,
            Optional.ofNullable(leases),
            Optional.ofNullable(stopTimeout),
            goneWait,
            pollInterval,
            startingGrace),
        facts != null ? facts : RuntimeFacts.of(c.dialect()),
        planner != null ? planner : NetworkPlanner.create(),
        profiles,
        supervisionInterval,
        stateDirectoryName);
  }

  private Compose.Builder self() {
    return (Compose.Builder) this;
  }
}
