package io.github.scompose.samples.cli;

import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.compose.ComposeLogFollower;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ImmutableLogOptions;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.UpPlan;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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

  @Parameters(paramLabel = "SERVICE", description = "Only these services (and dependencies).")
  List<String> services = new ArrayList<>();

  @Override
  public void run() {
    try (ProjectSession session = ProjectSession.open(root)) {
      PlanOptions options = session.planOptions(services);
      UpPlan plan = session.compose().plan(session.project(), options);
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
        if (!detach) {
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
                ImmutableLogOptions.builder().build(),
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
