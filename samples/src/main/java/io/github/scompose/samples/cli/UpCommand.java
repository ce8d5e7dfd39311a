package io.github.scompose.samples.cli;

import io.github.scompose.core.client.LogFollower;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.UpPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose up [-d] [--dry-run] [SERVICE…]}: plans, then starts the project (only the named
 * services and what they depend on, when given). {@code --dry-run} prints each binary invocation of
 * the plan, one per line, shell-quoted, and runs nothing but one {@code instance list}. {@code -d}
 * returns once everything runs; attached (default), it streams every instance's logs as {@code
 * <instance> | <line>} until Ctrl-C, then takes the project down. Ctrl-C (or SIGTERM) while
 * instances are still starting, attached or not, interrupts {@code up} and takes down what the
 * state file records ({@link Teardown}). A failure exits 1 with the failing instance's log tail
 * (everything this {@code up} started is stopped by the engine).
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
      if (dryRun) {
        root.out.print(plan.dryRun(session.client()));
        root.out.flush();
        return;
      }
      plan.notes().forEach(n -> root.err.println("note: " + n));
      session.progress().expect(plan.instances().size());
      // registered before up: Ctrl-C while instances start must stop them too
      Teardown teardown =
          new Teardown(
              Thread.currentThread(),
              () -> session.compose().down(session.project().directory()),
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
        List<InstanceStatus> ps = stack.ps();
        root.out.println(
            "project "
                + plan.project()
                + " is up: "
                + ps.size()
                + (ps.size() == 1 ? " instance" : " instances")
                + " ("
                + String.join(", ", ps.stream().map(InstanceStatus::name).toList())
                + ")");
        if (!detach) {
          attach(session, ps, teardown);
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

  private void attach(ProjectSession session, List<InstanceStatus> ps, Teardown teardown) {
    root.out.println("attached: logs follow; Ctrl-C stops the project");
    for (InstanceStatus i : ps) {
      teardown.follower(
          session
              .client()
              .followLogs(
                  i.name(),
                  false,
                  (stream, line) -> {
                    synchronized (root.out) {
                      root.out.println(i.name() + " | " + line);
                    }
                  })
              .start());
    }
    teardown.awaitStopped();
  }

  /**
   * The shutdown hook of {@code up} (Ctrl-C, SIGTERM), registered before the engine starts
   * anything. When {@code up} is still running it interrupts it (the engine then stops what it
   * started) and waits for it to end; then it stops the log followers and takes down what the
   * project's state file records ({@link ComposeStack#down()} once {@code up} returned a stack, so
   * restart supervision ends too). {@link #awaitStopped()} returns once that is over — also when
   * {@code down} threw (reported on stderr).
   */
  static final class Teardown implements Runnable {

    /** How long Ctrl-C waits for an interrupted {@code up} to roll back before taking it down. */
    static final long UP_END_WAIT_SECONDS = 120;

    private final Thread upThread;
    private final Supplier<List<String>> downFromState;
    private final java.io.PrintWriter err;
    private final CountDownLatch upEnded = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<ComposeStack> stack = new AtomicReference<>();
    private final List<LogFollower> followers = new CopyOnWriteArrayList<>();

    Teardown(Thread upThread, Supplier<List<String>> downFromState, java.io.PrintWriter err) {
      this.upThread = upThread;
      this.downFromState = downFromState;
      this.err = err;
    }

    void stack(ComposeStack s) {
      stack.set(s);
    }

    void upEnded() {
      upEnded.countDown();
    }

    void follower(LogFollower f) {
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
        if (upEnded.getCount() > 0) {
          err.println("scompose: interrupting up ...");
          upThread.interrupt();
          if (!upEnded.await(UP_END_WAIT_SECONDS, TimeUnit.SECONDS)) {
            err.println("scompose: up did not end; taking down what the state file records");
          }
        }
        followers.forEach(LogFollower::close);
        ComposeStack s = stack.get();
        err.println("stopping project" + (s == null ? "" : " " + s.project()) + " ...");
        List<String> down = s != null ? s.down() : downFromState.get();
        err.println(down.isEmpty() ? "nothing to stop" : "stopped " + String.join(", ", down));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        err.println("scompose: down failed: " + e.getMessage());
      } finally {
        err.flush();
        stopped.countDown();
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
