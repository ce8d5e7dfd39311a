package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.spec.ComposeException;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose down [-t N]}: stops every instance the project's state file records (dependents
 * first), waits until the runtime no longer lists them, releases addresses and removes the state
 * file. Named volumes and the user's files stay. Nothing to do is not an error.
 *
 * <p>{@code -t} is the per-call stop timeout of {@link Compose#down(Path, Duration)}.
 *
 * <p>{@code down} needs only the state file ({@link Compose#down(Path, Duration)}): when the
 * compose files are gone or no longer load, it warns on stderr and still stops what {@code <project
 * directory>/.scompose} records (the project directory: {@code --project-directory}, else the first
 * {@code -f} file's folder, else the working directory). Only when that records nothing either is
 * the load error reported (exit 2).
 */
@Command(name = "down", description = "Stop the project's instances and remove its state.")
final class DownCommand implements Runnable {

  @ParentCommand ScomposeCommand root;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "N",
      description =
          "Seconds (at least 1) each instance gets to stop before it is killed (default: 10).")
  Integer timeout;

  @Override
  public void run() {
    Duration stopTimeout = LifecycleCommands.stopTimeout(timeout);
    ComposeProject project;
    try {
      project = root.projectFiles().load();
    } catch (ComposeException | CliException unloadable) {
      downFromState(stopTimeout, unloadable);
      return;
    }
    try (ProjectSession session = ProjectSession.open(root, project, null)) {
      List<String> stopped = session.compose().down(project.directory(), stopTimeout);
      session.progress().finish();
      report(project.name(), stopped);
    }
  }

  private void downFromState(Duration stopTimeout, RuntimeException unloadable) {
    Path directory = root.projectFiles().directory();
    try (CliRuntime runtime = root.connect()) {
      Progress progress = new Progress(root.err, root.terminal);
      Compose compose = ProjectSession.engine(runtime, progress, null);
      if (compose.ps(directory).isEmpty()) {
        throw unloadable; // no state either: the files' problem is the one to report
      }
      root.err.println(
          "scompose: warning: the compose files do not load ("
              + firstLine(unloadable)
              + "); stopping what "
              + directory.resolve(".scompose")
              + " records");
      String name = compose.attach(directory).project(); // the handle is not closed: that is down
      List<String> stopped = compose.down(directory, stopTimeout);
      progress.finish();
      report(name, stopped);
    }
  }

  private static String firstLine(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl) + " …";
  }

  private void report(String name, List<String> stopped) {
    root.out.println(
        stopped.isEmpty()
            ? "project " + name + " was not up"
            : "project " + name + " is down: stopped " + String.join(", ", stopped));
  }
}
