package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.InstanceCommand;
import io.github.scompose.core.transport.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose run [--in-instance [--index N]] [-e K[=V]]… SERVICE [ARGS…]}: by default a
 * one-off run of the service's image with its binds, environment and options ({@link
 * io.github.scompose.core.compose.Compose#run}, like {@code docker compose run}); with {@code
 * --in-instance}, the runscript in a running instance of the service ({@code run instance://NAME
 * ARGS…}, as singularity-compose's {@code run} does). Both get the service's environment as its
 * instances got it at start (values never in argv). Exits with the runscript's exit code.
 */
@Command(
    name = "run",
    description =
        "Run the service's runscript: one-off on its image, or in a running instance;"
            + " exits with its code.")
final class RunCommand implements Callable<Integer> {

  @ParentCommand ScomposeCommand root;

  @Option(
      names = "--in-instance",
      description = "Run in a running instance (singularity-compose's run) instead of one-off.")
  boolean inInstance;

  @Option(
      names = "--index",
      paramLabel = "N",
      description = "Replica number with --in-instance (default: 1).")
  int index = 1;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY[=VALUE]",
      description =
          "Set a variable for the runscript, over the service's environment (repeatable). KEY"
              + " alone takes its value from this shell's environment, else from the project's"
              + " .env (or --env-file).")
  List<String> env = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Parameters(index = "1..*", paramLabel = "ARGS")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    try (ProjectSession session = ProjectSession.open(root)) {
      Map<String, String> extra = ExecCommand.variables(root, env, session.project().directory());
      if (inInstance) {
        String name = ExecCommand.replica(session.running(service), index).name();
        CommandResult r =
            session
                .compose()
                .runInInstance(
                    session.project().directory(),
                    InstanceCommand.builder().instance(name).args(args).environment(extra).build());
        return ExecCommand.pass(root, r);
      }
      session.checkServices(List.of(service));
      CommandResult r =
          session.compose().run(session.project(), service, extra, args.toArray(String[]::new));
      return ExecCommand.pass(root, r);
    }
  }
}
