package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.spec.ComposeException;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose down [-t N] [-v]}: stops every instance the project's state file records
 * (dependents first), waits until the runtime no longer lists them, releases addresses and removes
 * the state file. Named volumes and the user's files stay. Nothing to do is not an error.
 *
 * <p>{@code -v/--volumes} (docker compose's {@code down --volumes}) also deletes the volumes the
 * project created: the folders of its named and anonymous volumes under {@code .scompose/volumes}
 * ({@link Compose#down(Path, String, Duration, boolean)}), and says which named ones on stdout
 * ({@code removed volumes: a, b}). Bind sources and every other file of the user stay; symbolic
 * links inside a volume are removed as links, their targets are never followed.
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

  @Option(
      names = {"-v", "--volumes"},
      description =
          "Also remove the volumes the project created (named and anonymous, under"
              + " .scompose/volumes); bind sources stay.")
  boolean volumes;

  @Override
  public void run() {
    Duration stopTimeout = LifecycleCommands.stopTimeout(timeout);
    var acrossNodes = AcrossNodesCli.recorded(root); // issue 16
    if (acrossNodes.isPresent()) {
      AcrossNodesCli.down(root, acrossNodes.get(), stopTimeout);
      return;
    }
    ComposeProject project;
    try {
      project = root.loadProject();
    } catch (ComposeException | CliException unloadable) {
      downFromState(stopTimeout, unloadable);
      return;
    }
    try (ProjectSession session = ProjectSession.open(root, project, null)) {
      List<String> named = namedVolumes(project.directory());
      List<String> stopped =
          session.compose().down(project, session.naming(), stopTimeout, volumes);
      session.progress().finish();
      report(project.name(), stopped);
      reportVolumes(named);
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
      List<String> named = namedVolumes(directory);
      List<String> stopped = compose.down(directory, name, stopTimeout, volumes);
      progress.finish();
      report(name, stopped);
      reportVolumes(named);
    }
  }

  private static String firstLine(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl) + " …";
  }

  /** The named volumes under {@code .scompose/volumes} ({@code -v} only; sorted). */
  private List<String> namedVolumes(Path directory) {
    Path root = directory.resolve(".scompose").resolve("volumes");
    if (!volumes || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(root)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("_anonymous"))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private void reportVolumes(List<String> named) {
    if (!named.isEmpty()) {
      root.out.println("removed volumes: " + String.join(", ", named));
    }
  }

  private void report(String name, List<String> stopped) {
    root.out.println(
        stopped.isEmpty()
            ? "project " + name + " was not up"
            : "project " + name + " is down: stopped " + String.join(", ", stopped));
  }
}
