package io.github.scompose.samples.cli;

import io.github.scompose.spec.ComposeProject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The project and the runtime of a command without global options, loaded and connected on a second
 * thread while picocli builds its model of the command line on the first (start-up time, issue 11:
 * picocli takes 60–90 ms of a cold {@code up}, loading the project 15–25 ms and connecting to the
 * runtime 15–25 ms; the machine has a second core idle then).
 *
 * <p>Begun only when the first argument is the name of a command that loads the project and
 * connects ({@link #COMMANDS}) and no argument asks for help or the version. The second thread
 * works with the options' defaults; what it made is used only where the parsed options are the
 * same: {@link #project} when the {@link ProjectFiles} are equal, {@link #runtime} when {@code
 * --runtime} and {@code --parallel} are. Whatever failed there is done again by the command, which
 * then reports it as before; whatever the second thread printed (the "emulated" notice) is printed
 * when its runtime is taken, so nothing is said twice. A runtime not taken is closed by {@link
 * #close}.
 */
final class LoadAhead implements AutoCloseable {

  /** Commands whose first steps are loading the project and connecting. */
  static final Set<String> COMMANDS =
      Set.of("up", "down", "create", "start", "stop", "restart", "run", "exec", "logs", "ps");

  /** Nothing begun: every question answers empty. */
  static final LoadAhead NONE = new LoadAhead(null);

  /** What the second thread made with the defaults. */
  private record Made(
      ProjectFiles files,
      Optional<ComposeProject> project,
      String runtimeFlag,
      Integer parallel,
      Optional<CliRuntime> runtime,
      String printed) {}

  private final FutureTask<Made> task;
  private boolean runtimeTaken;

  private LoadAhead(FutureTask<Made> task) {
    this.task = task;
  }

  /**
   * Begins loading and connecting when {@code args} name one of {@link #COMMANDS} first and ask for
   * no help; else {@link #NONE}.
   */
  static LoadAhead begin(String[] args) {
    return begin(args, ScomposeCommand::new);
  }

  /** {@link #begin(String[])} with the options {@code defaults} makes (tests: another folder). */
  static LoadAhead begin(String[] args, Supplier<ScomposeCommand> defaults) {
    if (args.length == 0 || !COMMANDS.contains(args[0])) {
      return NONE;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return NONE;
      }
    }
    FutureTask<Made> task = new FutureTask<>(() -> make(defaults.get()));
    Thread t = new Thread(task, "scompose-load-ahead");
    t.setDaemon(true);
    t.start();
    return new LoadAhead(task);
  }

  /** The work of the second thread, with the options' defaults. */
  private static Made make(ScomposeCommand defaults) {
    StringWriter printed = new StringWriter();
    defaults.err = new PrintWriter(printed, true);
    defaults.out = defaults.err;
    ProjectFiles files = defaults.projectFiles();
    Optional<ComposeProject> project;
    try {
      project = Optional.of(files.load());
    } catch (RuntimeException e) {
      project = Optional.empty(); // the command loads again and reports it
    }
    Optional<CliRuntime> runtime;
    try {
      runtime = Optional.of(CliRuntime.connect(defaults.runtime, defaults));
    } catch (RuntimeException e) {
      runtime = Optional.empty(); // the command connects again and reports it
    }
    defaults.err.flush();
    return new Made(
        files, project, defaults.runtime, defaults.parallel, runtime, printed.toString());
  }

  /** What the second thread made; empty when nothing was begun or it failed unexpectedly. */
  private Optional<Made> made() {
    if (task == null) {
      return Optional.empty();
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return Optional.of(task.get());
        } catch (InterruptedException e) {
          interrupted = true; // finish the wait: the thread's runtime must not be lost
        }
      }
    } catch (ExecutionException e) {
      return Optional.empty();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The project of {@code files}, when the second thread loaded the same files. */
  Optional<ComposeProject> project(ProjectFiles files) {
    return made().filter(m -> m.files().equals(files)).flatMap(Made::project);
  }

  /**
   * The runtime of {@code --runtime runtimeFlag --parallel parallel}, when the second thread
   * connected with the same ones and it was not taken before; what the second thread printed goes
   * to {@code err} then.
   */
  synchronized Optional<CliRuntime> runtime(String runtimeFlag, Integer parallel, PrintWriter err) {
    if (runtimeTaken) {
      return Optional.empty();
    }
    Optional<Made> m =
        made()
            .filter(x -> Objects.equals(x.runtimeFlag(), runtimeFlag))
            .filter(x -> Objects.equals(x.parallel(), parallel))
            .filter(x -> x.runtime().isPresent());
    if (m.isEmpty()) {
      return Optional.empty();
    }
    runtimeTaken = true;
    err.print(m.get().printed());
    err.flush();
    return m.get().runtime();
  }

  /** Waits for the second thread and closes its runtime when no one took it. */
  @Override
  public synchronized void close() {
    if (task == null) {
      return;
    }
    Optional<Made> m = made();
    if (!runtimeTaken) {
      runtimeTaken = true;
      m.flatMap(Made::runtime).ifPresent(CliRuntime::close);
    }
  }

  /** For tests: whether this began work on a second thread. */
  boolean begun() {
    return task != null;
  }
}
