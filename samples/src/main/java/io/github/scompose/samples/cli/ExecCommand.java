package io.github.scompose.samples.cli;

import io.github.scompose.core.client.Exec;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose exec [--index N] SERVICE CMD…}: runs {@code CMD} in a running instance of the
 * service ({@code exec instance://NAME CMD…}); prints its stdout and stderr and exits with its exit
 * code (singularity-compose 0.1.19 always exits 0 — recorded, ../shared/reference).
 */
@Command(name = "exec", description = "Run a command in a running instance; exits with its code.")
final class ExecCommand implements Callable<Integer> {

  @ParentCommand ScomposeCommand root;

  @Option(names = "--index", paramLabel = "N", description = "Replica number (default: 1).")
  int index = 1;

  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Parameters(index = "1..*", paramLabel = "CMD", arity = "1..*")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    try (ProjectSession session = ProjectSession.open(root)) {
      String name = replica(session.running(service), index).name();
      CommandResult r =
          session.client().exec(Exec.inInstance(name, command.toArray(String[]::new)));
      return pass(root, r);
    }
  }

  static InstanceStatus replica(List<InstanceStatus> running, int index) {
    if (index < 1 || index > running.size()) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "--index " + index + " is outside 1.." + running.size() + " (running replicas)");
    }
    return running.get(index - 1);
  }

  static int pass(ScomposeCommand root, CommandResult r) {
    root.out.print(r.stdout());
    root.out.flush();
    root.err.print(r.stderr());
    root.err.flush();
    return r.exitCode();
  }
}
