package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.ComposeStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code create}, {@code start}, {@code stop}, {@code restart}: the engine's lifecycle operations
 * ({@link io.github.scompose.core.compose.Compose#create}, {@code start}, {@code stop}, {@code
 * restart}) on the project of the current directory, through its state directory.
 *
 * <ul>
 *   <li>{@code create [SERVICE…]}: {@code up --no-start} — images, hosts/resolver files and
 *       volumes, instances recorded ({@code ps}: exited) but not started;
 *   <li>{@code stop [-t N] [SERVICE…]}: stops the running instances, dependents first; they stay in
 *       the project ({@code ps} shows them {@code exited}) until {@code down}, and restart policies
 *       leave them alone;
 *   <li>{@code start [SERVICE…]}: starts the recorded instances that are not running, dependencies
 *       first, with the start commands {@code up} recorded (same addresses);
 *   <li>{@code restart [-t N] [SERVICE…]}: stop, then start.
 * </ul>
 */
final class LifecycleCommands {

  private LifecycleCommands() {}

  private static Path directory(ProjectSession session) {
    return session.project().directory();
  }

  private static String[] names(ProjectSession session, List<String> services) {
    session.checkServices(services);
    return services.toArray(String[]::new);
  }

  /**
   * The stop timeout of {@code -t N} ({@code null}: the engine's default, the binary's 10 s).
   *
   * @throws CliException (exit 2) when {@code N} is negative, or 0: {@code instance stop --timeout}
   *     needs whole seconds above 0 (the client refuses 0), so an immediate kill cannot be asked
   *     for this way
   */
  static Duration stopTimeout(Integer seconds) {
    if (seconds == null) {
      return null;
    }
    if (seconds < 0) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, "-t " + seconds + " is negative");
    }
    if (seconds == 0) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID, "-t 0: instance stop needs a timeout of at least 1 second");
    }
    return Duration.ofSeconds(seconds);
  }

  static void stop(
      ProjectSession session, List<String> services, Duration timeout, PrintWriter out) {
    String[] names = names(session, services);
    for (String name : session.compose().stop(directory(session), timeout, names)) {
      out.println("stopped " + name);
    }
  }

  static void start(ProjectSession session, List<String> services, PrintWriter out) {
    String[] names = names(session, services);
    for (String name : session.compose().start(directory(session), names)) {
      out.println("started " + name);
    }
  }

  /** {@code create}. */
  @Command(
      name = "create",
      description = "Get images, write files and record the instances without starting them.")
  static final class Create implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      try (ProjectSession session = ProjectSession.open(root)) {
        // the handle is not closed: closing it is down
        ComposeStack stack =
            session.compose().create(session.project(), session.planOptions(services));
        root.out.println(
            "created " + stack.ps().size() + " instance(s) of " + stack.project() + "; use start");
      }
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

  /** The options {@code stop} and {@code restart} share: {@code -t N} and the services. */
  static final class StopOptions {
    @Option(
        names = {"-t", "--timeout"},
        paramLabel = "N",
        description =
            "Seconds (at least 1) each instance gets to stop before it is killed (default: 10).")
    Integer timeout;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();
  }

  /** {@code stop}. */
  @Command(name = "stop", description = "Stop running instances (they stay in the project).")
  static final class Stop implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Mixin StopOptions options;

    @Override
    public void run() {
      Duration t = stopTimeout(options.timeout);
      try (ProjectSession session = ProjectSession.open(root)) {
        stop(session, options.services, t, root.out);
      }
    }
  }

  /** {@code restart}. */
  @Command(name = "restart", description = "Stop, then start instances.")
  static final class Restart implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Mixin StopOptions options;

    @Override
    public void run() {
      Duration t = stopTimeout(options.timeout);
      try (ProjectSession session = ProjectSession.open(root)) {
        stop(session, options.services, t, root.out);
        start(session, options.services, root.out);
      }
    }
  }
}
