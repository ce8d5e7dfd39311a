package io.github.scompose.samples.cli;

import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.compose.ComposeLogFollower;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.LogOptions;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.testkit.wait.InstanceWaitTarget;
import io.github.scompose.testkit.wait.NotReadyException;
import io.github.scompose.testkit.wait.Wait;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose up [-d] [--dry-run] [SERVICE…]}: plans, then starts the project (only the named
 * services and what they depend on, when given). The network mode chosen and its reason go to
 * stderr as one line ({@code network: MODE (REASON)}, also with {@code --dry-run}). {@code
 * --dry-run} prints each binary invocation of the plan, one per line, shell-quoted, on stdout, and
 * runs nothing but one {@code instance list}. {@code -d} returns once everything runs; attached
 * (default), it streams every instance's logs as {@code <service>-<n> | <line>} (labels padded to
 * one width, {@link ComposeStack#followLogs}, the {@code docker compose up} style) until Ctrl-C,
 * then takes the project down. Ctrl-C (or SIGTERM) while instances are still starting, attached or
 * not, takes down what the state file records and what the engine launched ({@link Teardown}). A
 * failure exits 1 with the failing instance's log tail (everything this {@code up} started is
 * stopped by the engine).
 *
 * <p>docker compose's flags: {@code --build} builds the {@code build} images of the services first
 * (as {@code build --force}); {@code --force-recreate} stops the planned instances that run, so
 * that they start again even when unchanged (a new run: {@code logs} shows only its lines); {@code
 * --no-deps} starts only the named services, not what they depend on ({@link
 * PlanOptions#dependencies()}); {@code --remove-orphans} stops and forgets the instances the
 * project recorded for services its files no longer define ({@link PlanOptions#removeOrphans()});
 * {@code --wait} implies {@code -d} and returns once every instance whose service has a healthcheck
 * passed it, checked at its {@code interval} (default 30 s; {@code start_interval}, default 5 s,
 * during {@code start_period}) for at most {@code start_period + (retries + 1) * interval}; an
 * instance that does not become healthy exits 1 naming it, and the project stays up (as with docker
 * compose).
 *
 * <p>Across nodes (issue 16): {@code --nodes}, {@code --slurm}, {@code --node-transport}, {@code
 * --node-labels} ({@link NodeOptions}), the variable {@code SCOMPOSE_NODES}, {@code
 * x-scompose.nodes} or a Slurm job of two nodes or more place the project on several nodes and run
 * it there ({@link AcrossNodesCli}); {@code ps}, {@code logs} and {@code down} then follow the
 * record.
 */
@Command(name = "up", description = "Create and start the project's instances.")
final class UpCommand implements Runnable {

  @ParentCommand ScomposeCommand root;

  @Option(
      names = {"-d", "--detach"},
      description = "Return once the instances run.")
  boolean detach;

  @Option(
      names = "--dry-run",
      description = "Print each binary invocation (one per line, shell-quoted); run nothing.")
  boolean dryRun;

  @Option(names = "--build", description = "Build the services' build images first (--force).")
  boolean build;

  @Option(
      names = "--force-recreate",
      description = "Stop and start the planned instances again even when unchanged.")
  boolean forceRecreate;

  @Option(names = "--no-deps", description = "Do not start the services' dependencies.")
  boolean noDeps;

  @Option(
      names = "--remove-orphans",
      description = "Stop and forget instances of services the files no longer define.")
  boolean removeOrphans;

  @Option(
      names = "--wait",
      description =
          "Return once every instance with a healthcheck is healthy (implies -d); exit 1 when one"
              + " does not become healthy.")
  boolean waitHealthy;

  @Parameters(paramLabel = "SERVICE", description = "Only these services (and dependencies).")
  List<String> services = new ArrayList<>();

  @picocli.CommandLine.Mixin NodeOptions nodes = new NodeOptions();

  @Override
  public void run() {
    if (AcrossNodesCli.up(root, nodes, services, dryRun, detach)) {
      return; // issue 16: the project runs across nodes
    }
    try (ProjectSession session = ProjectSession.open(root)) {
      PlanOptions options =
          session.planOptions(services).withDependencies(!noDeps).withRemoveOrphans(removeOrphans);
      if (build && !dryRun) {
        session
            .compose()
            .build(
                session.project(),
                session.planOptions(List.of()),
                true,
                services.toArray(String[]::new));
      }
      UpPlan plan = session.compose().plan(session.project(), options);
      if (forceRecreate && !dryRun) {
        stopPlanned(session, plan);
      }
      root.err.println(networkLine(plan));
      root.err.flush();
      if (dryRun) {
        session.compose().discard(plan); // a dry run keeps no address lease
        root.out.print(plan.dryRun(session.client()));
        root.out.flush();
        return;
      }
      plan.notes().forEach(n -> root.err.println("note: " + n));
      if (detach && restarts(plan)) {
        root.err.println(
            "note: restart policies are kept while a process supervises the project (up without"
                + " -d); this up -d returns once the instances run");
      }
      session.progress().expect(plan.instances().size());
      // registered before up: Ctrl-C while instances start must stop them too
      Teardown teardown =
          new Teardown(
              () -> session.compose().down(session.project(), session.naming(), null, false),
              session.progress()::launched,
              name -> stopIfListed(session, name),
              Teardown.UP_GRACE,
              root.err);
      Thread hook = new Thread(teardown, "scompose-down");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        ComposeStack stack;
        try {
          stack = session.compose().up(plan);
          teardown.stack(stack);
        } finally {
          teardown.upEnded();
        }
        session.progress().finish();
        // from the state file: up confirmed them with its own listing (no extra binary call)
        List<String> names = stack.instances();
        root.out.println(
            "project "
                + plan.project()
                + " is up: "
                + names.size()
                + (names.size() == 1 ? " instance" : " instances")
                + " ("
                + String.join(", ", names)
                + ")");
        if (waitHealthy) {
          awaitHealthy(session, stack.ps()); // one listing, only for --wait
        } else if (!detach) {
          attach(stack, teardown);
        }
      } finally {
        if (!teardown.started()) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // the hook runs (or has run): wait below
          }
        }
        if (teardown.started()) {
          teardown.awaitStopped();
        }
      }
    }
  }

  /** Whether an instance of {@code plan} has a restart policy that restarts. */
  private static boolean restarts(UpPlan plan) {
    return plan.instances().stream()
        .anyMatch(
            i ->
                i.restartPolicy()
                    .filter(
                        p -> p.condition() != io.github.scompose.spec.RestartPolicy.Condition.NO)
                    .isPresent());
  }

  /**
   * The one line on the network mode chosen and why, e.g. {@code network: bridge (no network mode
   * requested, running as root: bridge network 'bridge')}.
   */
  static String networkLine(UpPlan plan) {
    return plan.network().describe();
  }

  /** {@code --force-recreate}: stops the planned instances that run now (they stay recorded). */
  private void stopPlanned(ProjectSession session, UpPlan plan) {
    Set<String> planned = new LinkedHashSet<>();
    plan.instances().forEach(i -> planned.add(i.service()));
    List<String> running =
        session.compose().ps(session.project().directory()).stream()
            .filter(i -> i.state() == InstanceStatus.State.RUNNING)
            .map(InstanceStatus::service)
            .filter(planned::contains)
            .distinct()
            .toList();
    if (!running.isEmpty()) {
      session.compose().stop(session.project().directory(), null, running.toArray(String[]::new));
    }
  }

  /**
   * {@code --wait}: every running instance whose service has an enabled healthcheck passes it.
   *
   * @throws CliException (exit 1) naming the first instance that does not become healthy
   */
  private void awaitHealthy(ProjectSession session, List<InstanceStatus> ps) {
    for (InstanceStatus i : ps) {
      Optional<Healthcheck> check =
          session
              .project()
              .service(i.service())
              .flatMap(ServiceSpec::healthcheck)
              .filter(h -> !h.disabled() && !h.test().isEmpty());
      if (check.isEmpty() || i.state() != InstanceStatus.State.RUNNING) {
        continue;
      }
      Healthcheck h = check.get();
      Duration interval = h.interval().orElse(Duration.ofSeconds(30));
      Duration bound =
          h.startPeriod()
              .orElse(Duration.ZERO)
              .plus(interval.multipliedBy(h.retries().orElse(3) + 1L));
      try {
        Wait.forHealthcheck()
            .withTimeout(bound)
            .waitUntilReady(
                InstanceWaitTarget.builder(session.client(), i.name()).healthcheck(check).build());
      } catch (NotReadyException e) {
        throw new CliException(
            ScomposeCommand.EXIT_FAILURE,
            i.name()
                + " is not healthy: "
                + e.getMessage().strip()
                + " (the project stays up; 'scompose down' stops it)");
      }
      root.err.println("[+] " + i.name() + " healthy");
    }
    root.err.flush();
  }

  private static void stopIfListed(ProjectSession session, String name) {
    if (session.client().list().stream().anyMatch(i -> i.name().equals(name))) {
      session.client().stopAndWait(InstanceStop.of(name), Duration.ofSeconds(30));
    }
  }

  private void attach(ComposeStack stack, Teardown teardown) {
    root.out.println("attached: logs follow; Ctrl-C stops the project");
    teardown.follower(
        stack
            .followLogs(
                LogOptions.builder().build(),
                l -> {
                  synchronized (root.out) {
                    root.out.println(l.line());
                  }
                })
            .start());
    teardown.awaitStopped();
  }

  /**
   * The shutdown hook of {@code up} (Ctrl-C, SIGTERM), registered before the engine starts
   * anything. It does not interrupt a running {@code up} (an interrupted engine thread cannot stop
   * what it started: its stops fail on the interrupt). Instead it stops the log followers and takes
   * down what the project's state file records ({@link ComposeStack#down()} once {@code up}
   * returned a stack, so restart supervision ends too); while {@code up} is still running, it then
   * gives it {@link #UP_GRACE} to end, takes down what the state file records by then, and stops
   * every instance the engine began to start ({@link Progress#launched()}) that is still listed —
   * one whose level was not yet recorded. {@link #awaitStopped()} returns once that is over, also
   * when a step threw (each failure is reported on stderr and the next step still runs).
   */
  static final class Teardown implements Runnable {

    /** How long Ctrl-C lets a still-running {@code up} finish before stopping what it launched. */
    static final Duration UP_GRACE = Duration.ofSeconds(5);

    private final Supplier<List<String>> downFromState;
    private final Supplier<Set<String>> launched;
    private final Consumer<String> stopIfListed;
    private final Duration upGrace;
    private final PrintWriter err;
    private final CountDownLatch upEnded = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<ComposeStack> stack = new AtomicReference<>();
    private final List<ComposeLogFollower> followers = new CopyOnWriteArrayList<>();

    /**
     * @param downFromState {@code down} of the project directory's state file
     * @param launched the instances the engine began to start so far
     * @param stopIfListed stops one instance when the runtime lists it
     * @param upGrace how long to let a running {@code up} end first
     * @param err where progress and failures go
     */
    Teardown(
        Supplier<List<String>> downFromState,
        Supplier<Set<String>> launched,
        Consumer<String> stopIfListed,
        Duration upGrace,
        PrintWriter err) {
      this.downFromState = downFromState;
      this.launched = launched;
      this.stopIfListed = stopIfListed;
      this.upGrace = upGrace;
      this.err = err;
    }

    void stack(ComposeStack s) {
      stack.set(s);
    }

    void upEnded() {
      upEnded.countDown();
    }

    void follower(ComposeLogFollower f) {
      followers.add(f);
    }

    /** Whether the hook has begun (the JVM is shutting down). */
    boolean started() {
      return started.get();
    }

    @Override
    public void run() {
      started.set(true);
      try {
        followers.forEach(ComposeLogFollower::close);
        ComposeStack s = stack.get();
        err.println("stopping project" + (s == null ? "" : " " + s.project()) + " ...");
        Set<String> stoppedNames = new LinkedHashSet<>();
        step(() -> stoppedNames.addAll(s != null ? s.down() : downFromState.get()));
        if (s == null) {
          boolean ended = upEnded.await(upGrace.toMillis(), TimeUnit.MILLISECONDS);
          if (!ended) {
            err.println("scompose: up is still starting; stopping what it launched");
          }
          step(() -> stoppedNames.addAll(downFromState.get()));
          for (String name : launched.get()) {
            if (stoppedNames.add(name)) {
              step(() -> stopIfListed.accept(name));
            }
          }
        }
        err.println(
            stoppedNames.isEmpty()
                ? "nothing to stop"
                : "stopped " + String.join(", ", stoppedNames));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        err.flush();
        stopped.countDown();
      }
    }

    private void step(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException e) {
        err.println("scompose: down failed: " + e.getMessage());
      }
    }

    /** Waits (not interruptibly) until {@link #run()} has finished. */
    void awaitStopped() {
      boolean interrupted = false;
      while (true) {
        try {
          stopped.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
