package io.github.scompose.samples.cli;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose demo}: the main job of the README. Over each shipped example ({@code
 * hit-counter}, a docker-compose web app + redis; {@code nginx-app}, a singularity-compose 2.0
 * nginx + app) it runs, as a user would type them and printing each command line first: {@code up
 * -d}, {@code ps}, {@code exec} into one instance, {@code logs --tail 5}, {@code down}. It ends by
 * checking that nothing is left running: the runtime lists none of the examples' instances and
 * every PID {@code ps} showed is gone from the host. Exit 0 when all of that holds, else 1.
 *
 * <p>The examples are copied from the jar (or from {@code --examples DIR}) into a fresh temporary
 * folder, so the demo writes nothing into the checkout. Without {@code apptainer}/{@code
 * singularity} on PATH (or with {@code --runtime fake}) it runs on the embedded fake runtime, with
 * its state in that temporary folder too; the folder is deleted at the end unless {@code --keep},
 * after every emulated instance still recorded there has been ended (also when a step or {@code
 * down} failed).
 */
@Command(
    name = "demo",
    description =
        "Run the shipped examples: up, ps, exec, logs, down; check nothing is left running.")
final class DemoCommand implements Callable<Integer> {

  /** Resource folder of the examples inside the jar. */
  static final String RESOURCE_ROOT = "scompose-examples";

  /** One example: its folder, how to name its file, and the exec to show. */
  record Example(String folder, List<String> fileArguments, List<String> exec) {}

  static final List<Example> EXAMPLES =
      List.of(
          new Example(
              "hit-counter",
              List.of("-f", "docker-compose.yml"),
              List.of("exec", "redis", "redis-cli", "ping")),
          new Example("nginx-app", List.of(), List.of("exec", "nginx", "nginx", "-v")));

  @ParentCommand ScomposeCommand root;

  @Option(
      names = "--examples",
      paramLabel = "DIR",
      description = "Folder holding the examples (default: the copy inside the jar).")
  Path examples;

  @Option(names = "--keep", description = "Keep the temporary folder (printed at the end).")
  boolean keep;

  @Override
  public Integer call() throws IOException {
    Path work = Files.createTempDirectory("scompose-demo-");
    String previousState = System.getProperty(CliRuntime.FAKE_STATE_PROPERTY);
    try {
      Path source = examples != null ? examples : bundledExamples();
      Path copy = work.resolve("examples");
      copyTree(source, copy);
      if (previousState == null) {
        System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, work.resolve("fake-runtime").toString());
      }
      String runtimeChoice;
      try (CliRuntime runtime = root.connect()) {
        runtimeChoice = runtime.fake().isPresent() ? "fake" : "real";
        root.out.println("scompose demo on " + runtime.describe());
      }
      if (runtimeChoice.equals("real") && !imagesObtainable(copy)) {
        if (io.github.scompose.core.compose.RuntimeChoice.select(root.runtime, "--runtime").choice()
            == io.github.scompose.core.compose.RuntimeChoice.REAL) {
          root.err.println(
              "scompose demo: the real binary cannot get the examples' images (above); to see the"
                  + " demo without them, choose the embedded fake runtime: --runtime fake (or"
                  + " SCOMPOSE_RUNTIME=fake)");
          return ScomposeCommand.EXIT_FAILURE;
        }
        root.err.println(
            "scompose demo: the real binary cannot get the examples' images (no registry access?);"
                + " running the demo on the embedded fake runtime instead. Choose with --runtime"
                + " real|fake (or SCOMPOSE_RUNTIME).");
        runtimeChoice = "fake";
      }
      List<Long> pids = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Example e : EXAMPLES) {
        int code = runExample(e, copy.resolve(e.folder()), runtimeChoice, pids, names);
        if (code != 0) {
          root.err.println("scompose demo: " + e.folder() + " failed (exit " + code + ")");
          if (runtimeChoice.equals("real")) {
            root.err.println(
                "scompose demo: the examples pull their images from registries; to run the demo"
                    + " on the embedded fake runtime instead: scompose --runtime fake demo (or"
                    + " SCOMPOSE_RUNTIME=fake)");
          }
          return ScomposeCommand.EXIT_FAILURE;
        }
      }
      return checkNothingRunning(runtimeChoice, names, pids);
    } finally {
      if (previousState == null) {
        System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
      }
      if (keep) {
        root.out.println("kept " + work);
      } else {
        removeWorkFolder(work, previousState == null ? work.resolve("fake-runtime") : null);
      }
    }
  }

  /**
   * Deletes the demo's temporary folder. When the folder holds the fake runtime's state ({@code
   * fakeState}, else {@code null}), every emulated instance recorded there is ended first (a failed
   * {@code down} may have left some), so no emulated {@code sleep} process outlives its state. When
   * that fails, the folder is kept and named on stderr.
   *
   * @return whether the folder was deleted
   */
  boolean removeWorkFolder(Path work, Path fakeState) {
    if (fakeState != null && Files.isDirectory(fakeState)) {
      try {
        FakeRuntime.builder().stateDirectory(fakeState).build().close();
      } catch (RuntimeException e) {
        root.err.println(
            "scompose demo: could not end the emulated instances in "
                + fakeState
                + " ("
                + e.getMessage()
                + "); kept "
                + work);
        return false;
      }
    }
    deleteTree(work);
    return true;
  }

  private int runExample(
      Example e, Path dir, String runtimeChoice, List<Long> pids, List<String> names) {
    root.out.println();
    root.out.println("== " + e.folder() + " ==");
    List<String> base = new ArrayList<>();
    base.add("--runtime");
    base.add(runtimeChoice);
    if (root.referenceCompat()) {
      base.add("--compat");
      base.add("singularity-compose");
    }
    base.add("--project-directory");
    base.add(dir.toString());
    base.addAll(e.fileArguments());
    List<List<String>> steps =
        List.of(
            List.of("up", "-d"),
            List.of("ps"),
            e.exec(),
            List.of("logs", "--tail", "5"),
            List.of("down"));
    for (List<String> step : steps) {
      if (step.get(0).equals("down")) {
        recordRunning(dir, runtimeChoice, pids, names);
      }
      List<String> args = new ArrayList<>(base);
      args.addAll(step);
      root.out.println("$ scompose " + String.join(" ", shown(args, dir)));
      root.out.flush();
      int code =
          ScomposeCommand.run(args.toArray(String[]::new), root.stdout, root.stderr, root.terminal);
      if (code != 0) {
        if (!step.get(0).equals("down")) {
          List<String> down = new ArrayList<>(base);
          down.add("down");
          ScomposeCommand.run(down.toArray(String[]::new), root.stdout, root.stderr, false);
        }
        return code;
      }
    }
    return 0;
  }

  /**
   * On a real binary, whether every example's images can be had: {@code scompose pull} of each
   * example (printed like the other steps; images already present are not pulled again). A machine
   * with a binary but no registry access fails here, before anything starts.
   */
  private boolean imagesObtainable(Path examplesCopy) {
    for (Example e : EXAMPLES) {
      List<String> args = new ArrayList<>(List.of("--runtime", "real"));
      args.add("--project-directory");
      args.add(examplesCopy.resolve(e.folder()).toString());
      args.addAll(e.fileArguments());
      args.add("pull");
      root.out.println("$ scompose " + String.join(" ", shown(args, examplesCopy)));
      root.out.flush();
      if (ScomposeCommand.run(args.toArray(String[]::new), root.stdout, root.stderr, root.terminal)
          != 0) {
        return false;
      }
    }
    return true;
  }

  /** The command line as the user would type it from inside the example's folder. */
  private static List<String> shown(List<String> args, Path dir) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--runtime") || a.equals("--project-directory")) {
        i++;
        continue;
      }
      out.add(a.contains(" ") ? "'" + a + "'" : a);
    }
    return out;
  }

  private void recordRunning(Path dir, String runtimeChoice, List<Long> pids, List<String> names) {
    try (CliRuntime runtime = CliRuntime.connect(choice(runtimeChoice), root)) {
      List<InstanceStatus> ps = runtime.composeBuilder().build().ps(dir.toAbsolutePath());
      for (InstanceStatus i : ps) {
        names.add(i.name());
        i.pid().ifPresent(pids::add);
      }
    }
  }

  private int checkNothingRunning(String runtimeChoice, List<String> names, List<Long> pids) {
    root.out.println();
    List<String> left = new ArrayList<>();
    try (CliRuntime runtime = CliRuntime.connect(choice(runtimeChoice), root)) {
      for (InstanceInfo i : runtime.client().list()) {
        if (names.contains(i.name())) {
          left.add(i.name() + " (listed)");
        }
      }
    }
    for (long pid : pids) {
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        left.add("PID " + pid + " (alive)");
      }
    }
    if (!left.isEmpty()) {
      root.err.println("scompose demo: still running after down: " + String.join(", ", left));
      return ScomposeCommand.EXIT_FAILURE;
    }
    root.out.println(
        "nothing left running: "
            + names.size()
            + " instances were up ("
            + String.join(", ", names)
            + "); none is listed now and their "
            + pids.size()
            + " host PIDs are gone");
    return 0;
  }

  private static String choice(String runtimeChoice) {
    return runtimeChoice.equals("fake") ? "fake" : "real";
  }

  /** The examples inside the jar (or the classes folder when run from the build). */
  static Path bundledExamples() throws IOException {
    URL marker = DemoCommand.class.getClassLoader().getResource(RESOURCE_ROOT + "/README.md");
    if (marker == null) {
      throw new CliException(
          ScomposeCommand.EXIT_FAILURE,
          "the examples are not bundled in this build; give --examples DIR");
    }
    try {
      URI uri = marker.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (java.nio.file.FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return fs.getPath("/" + RESOURCE_ROOT);
      }
      return Path.of(uri).getParent();
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the bundled examples: " + marker, e);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, from + ": not a folder");
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String relative = from.relativize(p).toString();
        if (relative.startsWith(".scompose") || relative.contains("/.scompose")) {
          continue;
        }
        Path target = relative.isEmpty() ? to : to.resolve(relative);
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
