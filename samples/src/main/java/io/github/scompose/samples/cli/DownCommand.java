package io.github.scompose.samples.cli;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose down [-t N]}: stops every instance the project's state file records (dependents
 * first), waits until the runtime no longer lists them, releases addresses and removes the state
 * file. Named volumes and the user's files stay. Nothing to do is not an error.
 */
@Command(name = "down", description = "Stop the project's instances and remove its state.")
final class DownCommand implements Runnable {

  @ParentCommand ScomposeCommand root;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "N",
      description = "Seconds each instance gets to stop before it is killed (default: 10).")
  Integer timeout;

  @Override
  public void run() {
    if (timeout != null && timeout < 0) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, "-t " + timeout + " is negative");
    }
    try (ProjectSession session =
        ProjectSession.open(root, timeout == null ? null : Duration.ofSeconds(timeout))) {
      List<String> stopped = session.compose().down(session.project().directory());
      session.progress().finish();
      root.out.println(
          stopped.isEmpty()
              ? "project " + session.project().name() + " was not up"
              : "project "
                  + session.project().name()
                  + " is down: stopped "
                  + String.join(", ", stopped));
    }
  }
}
