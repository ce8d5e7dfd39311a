package io.github.scompose.samples.cli;

import io.github.scompose.core.client.Run;
import io.github.scompose.core.transport.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose run [--index N] SERVICE [ARGS…]}: runs the image's runscript in a running
 * instance of the service ({@code run instance://NAME ARGS…}, as singularity-compose's {@code run}
 * group does); exits with its exit code.
 */
@Command(
    name = "run",
    description = "Run the runscript in a running instance; exits with its code.")
final class RunCommand implements Callable<Integer> {

  @ParentCommand ScomposeCommand root;

  @Option(names = "--index", paramLabel = "N", description = "Replica number (default: 1).")
  int index = 1;

  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Parameters(index = "1..*", paramLabel = "ARGS")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    try (ProjectSession session = ProjectSession.open(root)) {
      String name = ExecCommand.replica(session.running(service), index).name();
      CommandResult r = session.client().run(Run.inInstance(name, args.toArray(String[]::new)));
      return ExecCommand.pass(root, r);
    }
  }
}
