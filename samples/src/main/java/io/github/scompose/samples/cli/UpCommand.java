package io.github.scompose.samples.cli;

import io.github.scompose.core.client.LogFollower;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.UpPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose up [-d] [--dry-run] [SERVICE…]}: plans, then starts the project (only the named
 * services and what they depend on, when given). {@code --dry-run} prints each binary invocation of
 * the plan, one per line, shell-quoted, and runs nothing but one {@code instance list}. {@code -d}
 * returns once everything runs; attached (default), it streams every instance's logs as {@code
 * <instance> | <line>} until Ctrl-C, then takes the project down. A failure exits 1 with the
 * failing instance's log tail (everything this {@code up} started is stopped by the engine).
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
      ComposeStack stack = session.compose().up(plan);
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
      if (detach) {
        return;
      }
      attach(session, stack, ps);
    }
  }

  private void attach(ProjectSession session, ComposeStack stack, List<InstanceStatus> ps) {
    root.out.println("attached: logs follow; Ctrl-C stops the project");
    List<LogFollower> followers = new ArrayList<>();
    for (InstanceStatus i : ps) {
      followers.add(
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
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              followers.forEach(LogFollower::close);
              root.err.println("stopping project " + stack.project() + " ...");
              stack.down();
              stopped.countDown();
            },
            "scompose-down");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
