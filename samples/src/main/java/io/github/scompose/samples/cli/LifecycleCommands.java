package io.github.scompose.samples.cli;

import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code create}, {@code start}, {@code stop}, {@code restart}: the per-service lifecycle on a
 * project that {@code up} brought up (its state file says which instances belong to it).
 *
 * <ul>
 *   <li>{@code create [SERVICE…]}: gets the images (pull or build, skipped when present) without
 *       starting anything — a Singularity instance exists only while it runs, so there is nothing
 *       else to create;
 *   <li>{@code stop [-t N] [SERVICE…]}: stops the running instances, dependents first; they stay in
 *       the project ({@code ps} shows them {@code exited}) until {@code down};
 *   <li>{@code start [SERVICE…]}: starts the project's instances that are not running, with the
 *       start command the plan gives them now (dependencies first);
 *   <li>{@code restart [-t N] [SERVICE…]}: stop, then start.
 * </ul>
 */
final class LifecycleCommands {

  private LifecycleCommands() {}

  static void stop(
      ProjectSession session, List<String> services, Integer timeout, java.io.PrintWriter out) {
    List<InstanceStatus> running =
        new ArrayList<>(
            session.ps(services).stream()
                .filter(i -> i.state() == InstanceStatus.State.RUNNING)
                .toList());
    java.util.Collections.reverse(running);
    for (InstanceStatus i : running) {
      InstanceStop stop = InstanceStop.of(i.name());
      if (timeout != null) {
        stop =
            io.github.scompose.core.client.ImmutableInstanceStop.copyOf(stop)
                .withTimeout(Duration.ofSeconds(timeout));
      }
      session.client().stopAndWait(stop, Duration.ofSeconds(30));
      out.println("stopped " + i.name());
    }
  }

  static void start(ProjectSession session, List<String> services, java.io.PrintWriter out) {
    List<InstanceStatus> known = session.compose().ps(session.project().directory());
    if (known.isEmpty()) {
      throw new CliException(
          ScomposeCommand.EXIT_FAILURE,
          "project " + session.project().name() + " is not up; use up");
    }
    Set<String> running = new HashSet<>();
    known.stream()
        .filter(i -> i.state() == InstanceStatus.State.RUNNING)
        .forEach(i -> running.add(i.name()));
    UpPlan plan = session.compose().plan(session.project(), session.planOptions(services));
    for (PlannedInstance i : plan.instances()) {
      if (running.contains(i.name())) {
        continue;
      }
      if (!services.isEmpty() && !services.contains(i.service())) {
        continue;
      }
      session.client().start(i.start());
      out.println("started " + i.name());
    }
  }

  /** {@code create}. */
  @Command(name = "create", description = "Get the images (pull/build) without starting anything.")
  static final class Create implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      ImageCommands.getImages(root, services, ImageCommands.Kind.ANY);
    }
  }

  /** {@code start}. */
  @Command(name = "start", description = "Start the project's stopped instances.")
  static final class Start implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      try (ProjectSession session = ProjectSession.open(root)) {
        start(session, services, root.out);
      }
    }
  }

  /** {@code stop}. */
  @Command(name = "stop", description = "Stop running instances (they stay in the project).")
  static final class Stop implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Option(
        names = {"-t", "--timeout"},
        paramLabel = "N",
        description = "Seconds before kill.")
    Integer timeout;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      try (ProjectSession session = ProjectSession.open(root)) {
        stop(session, services, timeout, root.out);
      }
    }
  }

  /** {@code restart}. */
  @Command(name = "restart", description = "Stop, then start instances.")
  static final class Restart implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Option(
        names = {"-t", "--timeout"},
        paramLabel = "N",
        description = "Seconds before kill.")
    Integer timeout;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      try (ProjectSession session = ProjectSession.open(root)) {
        stop(session, services, timeout, root.out);
        start(session, services, root.out);
      }
    }
  }
}
