package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.spec.ComposeException;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Files;
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
 *
 * <p>A damaged state file ({@code .scompose/state.json} or {@code instances.json} not UTF-8, not
 * JSON, not a state file) does not stop {@code down} either: the engine stops the listed instances
 * that a readable {@code instances.json} records; when that is damaged too, those named {@code
 * <project>-<service>-<n>} (with the compose files at hand, only the project's services, and the
 * {@code --compat} names {@code <service><n>}; without them, none that another project records),
 * releases the project's leases and keeps the damaged file as {@code <name>.bak}; progress lines
 * ({@code recovered: ...}) say what it found and did. The project name without loadable files:
 * {@code -p}, else the project directory's name as the loader derives it.
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
      List<String> stopped = session.compose().down(project, session.naming(), stopTimeout, false);
      session.progress().finish();
      report(project.name(), stopped);
    }
  }

  private void downFromState(Duration stopTimeout, RuntimeException unloadable) {
    Path directory = root.projectFiles().directory();
    Path state = directory.resolve(".scompose");
    if (!Files.exists(state.resolve("state.json"))
        && !Files.exists(state.resolve("instances.json"))) {
      throw unloadable; // no state either: the files' problem is the one to report
    }
    String name =
        root.projectName != null
            ? ComposeLoader.normaliseProjectName(root.projectName)
            : ComposeLoader.projectNameOf(directory);
    try (CliRuntime runtime = root.connect()) {
      Progress progress = new Progress(root.err, root.terminal);
      Compose compose = ProjectSession.engine(runtime, progress, null, List.of());
      try {
        name = compose.attach(directory).project(); // not closed: closing it is down
      } catch (DamagedStateException damaged) {
        // the engine recovers by name: -p, else the directory's name
      } catch (IllegalStateException noState) {
        // only instances.json: down finds nothing to stop in the state and removes nothing
      }
      root.err.println(
          "scompose: warning: the compose files do not load ("
              + firstLine(unloadable)
              + "); stopping what "
              + state
              + " records");
      List<String> stopped = compose.down(directory, name, stopTimeout, false);
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
