package io.github.scompose.samples.cli;

import io.github.scompose.spec.ComposeProject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The project and the runtime of a command without global options, loaded and connected on two more
 * threads while picocli builds its model of the command line on the first (start-up time, issue 11:
 * picocli takes 60–90 ms of a cold {@code up}, loading the project 15–25 ms and connecting to the
 * runtime 15–40 ms; neither waits for the other).
 *
 * <p>Begun only when the first argument is the name of a command that loads the project and
 * connects ({@link #COMMANDS}) and no argument asks for help or the version. The other threads work
 * with the options' defaults; what they made is used only where the parsed options are the same:
 * {@link #project} when the {@link ProjectFiles} are equal, {@link #runtime} when {@code --runtime}
 * and {@code --parallel} are. Whatever failed there is done again by the command, which then
 * reports it as before; whatever the connecting thread printed (the "emulated" notice) is printed
 * when its runtime is taken, so nothing is said twice. A runtime not taken is closed by {@link
 * #close}.
 */
final class LoadAhead implements AutoCloseable {

  /** Commands whose first steps are loading the project and connecting. */
  static final Set<String> COMMANDS =
      Set.of("up", "down", "create", "start", "stop", "restart", "run", "exec", "logs", "ps");

  /** Nothing begun: every question answers empty. */
  static final LoadAhead NONE = new LoadAhead(null, null, null);

  /** What the loading thread made with the defaults. */
  private record Loaded(ProjectFiles files, Optional<ComposeProject> project) {}

  /** What the connecting thread made with the defaults. */
  private record Connected(
      String runtimeFlag, Integer parallel, Optional<CliRuntime> runtime, String printed) {}

  private final ProjectFiles files;
  private final FutureTask<Optional<ComposeProject>> loading;
  private final FutureTask<Connected> connecting;
  private boolean runtimeTaken;

  private LoadAhead(
      ProjectFiles files,
      FutureTask<Optional<ComposeProject>> loading,
      FutureTask<Connected> connecting) {
    this.files = files;
    this.loading = loading;
    this.connecting = connecting;
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
    ProjectFiles files = defaults.get().projectFiles();
    FutureTask<Optional<ComposeProject>> loading = new FutureTask<>(new Loading(files));
    FutureTask<Connected> connecting = new FutureTask<>(new Connecting(defaults.get()));
    start(loading, "scompose-load-ahead");
    start(connecting, "scompose-connect-ahead");
    return new LoadAhead(files, loading, connecting);
  }

  private static void start(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  /** The loading thread's work: the project of the default files. */
  private record Loading(ProjectFiles files) implements Callable<Optional<ComposeProject>> {
    @Override
    public Optional<ComposeProject> call() {
      try {
        return Optional.of(files.load());
      } catch (RuntimeException e) {
        return Optional.empty(); // the command loads again and reports it
      }
    }
  }

  /** The connecting thread's work: the runtime of the default options, and what it printed. */
  private record Connecting(ScomposeCommand defaults) implements Callable<Connected> {
    @Override
    public Connected call() {
      StringWriter printed = new StringWriter();
      defaults.err = new PrintWriter(printed, true);
      defaults.out = defaults.err;
      Optional<CliRuntime> runtime;
      try {
        runtime = Optional.of(CliRuntime.connect(defaults.runtime, defaults));
      } catch (RuntimeException e) {
        runtime = Optional.empty(); // the command connects again and reports it
      }
      defaults.err.flush();
      return new Connected(defaults.runtime, defaults.parallel, runtime, printed.toString());
    }
  }

  /** What {@code task} made; empty when nothing was begun or it failed unexpectedly. */
  private static <T> Optional<T> made(FutureTask<T> task) {
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

  /** The project of {@code files}, when the loading thread loaded the same files. */
  Optional<ComposeProject> project(ProjectFiles files) {
    if (loading == null || !this.files.equals(files)) {
      return Optional.empty();
    }
    return made(loading).orElse(Optional.empty());
  }

  /**
   * The runtime of {@code --runtime runtimeFlag --parallel parallel}, when the connecting thread
   * connected with the same ones and it was not taken before; what that thread printed goes to
   * {@code err} then.
   */
  synchronized Optional<CliRuntime> runtime(String runtimeFlag, Integer parallel, PrintWriter err) {
    if (runtimeTaken) {
      return Optional.empty();
    }
    Optional<Connected> m =
        made(connecting)
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

  /** Waits for the other threads and closes their runtime when no one took it. */
  @Override
  public synchronized void close() {
    if (loading == null) {
      return;
    }
    made(loading);
    Optional<Connected> m = made(connecting);
    if (!runtimeTaken) {
      runtimeTaken = true;
      m.flatMap(Connected::runtime).ifPresent(CliRuntime::close);
    }
  }

  /** For tests: whether this began work on other threads. */
  boolean begun() {
    return loading != null;
  }
}
