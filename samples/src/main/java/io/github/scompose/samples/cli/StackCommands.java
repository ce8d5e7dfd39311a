package io.github.scompose.samples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose stack deploy|rm|logs STACK}: singularity-stack's commands, for its users (its
 * argv with {@code singularity-stack} replaced by {@code scompose stack}). {@code STACK} is the
 * project name ({@code -p STACK}) and instances get singularity-stack's names {@code
 * <stack>.<service>} ({@code --compat singularity-stack}, which the group implies):
 *
 * <ul>
 *   <li>{@code deploy [-c FILE] [--dry-run] STACK} = {@code --compat singularity-stack -p STACK up
 *       -d} ({@code -c/--compose-file} as singularity-stack; default: the global {@code -f}, else
 *       the default file names, {@code docker-compose.yml} among them);
 *   <li>{@code rm [-t N] STACK} = {@code --compat singularity-stack -p STACK down};
 *   <li>{@code logs [-f] [--tail N] STACK [SERVICE…]} = {@code --compat singularity-stack -p STACK
 *       logs [SERVICE…]}.
 * </ul>
 *
 * <p>They are a group rather than top-level words so that the top-level {@code logs SERVICE}
 * (docker compose's) keeps its meaning: {@code scompose logs app} is the logs of the service {@code
 * app}, {@code scompose stack logs app} those of the stack {@code app}. Like singularity-stack run
 * in the stack's folder, the project directory is the working one (or {@code --project-directory});
 * the state lives there, so {@code rm} and {@code logs} run from the folder {@code deploy} ran in.
 */
@Command(
    name = "stack",
    description =
        "singularity-stack's commands (deploy, rm, logs STACK): STACK is the project name and"
            + " instances are named <stack>.<service>.",
    subcommands = {StackCommands.Deploy.class, StackCommands.Rm.class, StackCommands.Logs.class})
final class StackCommands implements Runnable {

  @ParentCommand ScomposeCommand root;

  @Override
  public void run() {
    new CommandLine(this).usage(root.out);
  }

  /**
   * Applies {@code -p STACK} and {@code --compat singularity-stack} to the global options.
   *
   * @throws CliException (exit 2) when another {@code --compat} or a different {@code -p} was given
   */
  ScomposeCommand enter(String stack) {
    if (root.compat != null && root.compat != ScomposeCommand.Compat.SINGULARITY_STACK) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "--compat "
              + root.compat
              + " does not go with the stack commands, which name instances <stack>.<service>");
    }
    if (root.projectName != null && !root.projectName.equals(stack)) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "-p " + root.projectName + " and the stack name " + stack + " differ; give one");
    }
    root.compat = ScomposeCommand.Compat.SINGULARITY_STACK;
    root.projectName = stack;
    return root;
  }

  /** {@code stack deploy}: {@code -p STACK up -d}. */
  @Command(name = "deploy", description = "Start the stack's instances (up -d).")
  static final class Deploy implements Runnable {

    @ParentCommand StackCommands group;

    @Option(
        names = {"-c", "--compose-file"},
        paramLabel = "FILE",
        description = "The compose file (default: -f, else docker-compose.yml and the others).")
    Path composeFile;

    @Option(names = "--dry-run", description = "Print each binary invocation; run nothing.")
    boolean dryRun;

    @Parameters(index = "0", paramLabel = "STACK", description = "The stack (project) name.")
    String stack;

    @Override
    public void run() {
      ScomposeCommand root = group.enter(stack);
      if (composeFile != null) {
        if (!root.files.isEmpty()) {
          throw new CliException(
              ScomposeCommand.EXIT_INVALID, "give the compose file once: -f or -c, not both");
        }
        root.files = List.of(composeFile);
      }
      UpCommand up = new UpCommand();
      up.root = root;
      up.detach = true;
      up.dryRun = dryRun;
      up.run();
    }
  }

  /** {@code stack rm}: {@code -p STACK down}. */
  @Command(name = "rm", description = "Stop the stack's instances and remove its state (down).")
  static final class Rm implements Runnable {

    @ParentCommand StackCommands group;

    @Option(
        names = {"-t", "--timeout"},
        paramLabel = "N",
        description = "Seconds (at least 1) each instance gets to stop (default: 10).")
    Integer timeout;

    @Parameters(index = "0", paramLabel = "STACK", description = "The stack (project) name.")
    String stack;

    @Override
    public void run() {
      DownCommand down = new DownCommand();
      down.root = group.enter(stack);
      down.timeout = timeout;
      down.run();
    }
  }

  /** {@code stack logs}: {@code -p STACK logs [SERVICE…]}. */
  @Command(name = "logs", description = "Show (and follow) the stack's logs.")
  static final class Logs implements Runnable {

    @ParentCommand StackCommands group;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of each log.")
    Integer tail;

    @Option(
        names = {"-f", "--follow"},
        description = "Follow new lines until Ctrl-C.")
    boolean follow;

    @Parameters(index = "0", paramLabel = "STACK", description = "The stack (project) name.")
    String stack;

    @Parameters(index = "1..*", paramLabel = "SERVICE", description = "Only these services.")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      LogsCommand logs = new LogsCommand();
      logs.root = group.enter(stack);
      logs.tail = tail;
      logs.follow = follow;
      logs.services = services;
      logs.run();
    }
  }
}
