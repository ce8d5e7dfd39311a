package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.network.NetworkException;
import io.github.scompose.spec.ComposeException;
import io.github.scompose.spec.ComposeProject;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code samples/target/scompose.jar}: {@code scompose}, a singularity-compose-style
 * command-line tool built only on the public API of the library ({@code ComposeLoader}, {@code
 * Compose}, {@code SingularityClient}, the testkit's {@code FakeRuntime}).
 *
 * <p>Global options (before the command word, as with docker compose): {@code -f/--file}
 * (repeatable; default: the first of {@link ProjectFiles#DEFAULT_NAMES} in the project directory),
 * {@code -p/--project-name}, {@code --project-directory} (default: the first file's folder), {@code
 * --env-file} (repeatable; default: {@code .env} of the project directory; read by {@link
 * io.github.scompose.spec.EnvironmentFile}, the loader's own {@code .env} parser), {@code --runtime
 * auto|real|fake} (unset: the system property {@code scompose.runtime}, then the variable {@code
 * SCOMPOSE_RUNTIME}, else auto; an unknown value is a usage error, exit 2), {@code --compat
 * singularity-compose} (singularity-compose 0.1.19's instance names {@code <service><n>} and its
 * {@code instance start} lines, apart from the deliberate differences of README.md; as root they
 * match its lines for every corpus file, see {@code CompatDryRunTest}), {@code --compat
 * singularity-stack} (singularity-stack's instance names {@code <stack>.<service>}; its commands
 * are {@link StackCommands}), {@code --debug} (stack traces, debug logging), {@code --log-level}
 * (an unknown level is a usage error, exit 2). Only options before the command word are global:
 * {@code --debug} after it belongs to the command.
 *
 * <p>Exit codes: 0 success; 1 a runtime failure (the failing instance's log tail is printed); 2 a
 * usage error or invalid compose files (each problem on its own line as {@code file:line:col:
 * key.path: message}); {@code exec} and {@code run} pass the command's exit code through. No stack
 * trace is printed unless {@code --debug} is given.
 */
@Command(
    name = "scompose",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Rootless multi-instance stacks on Singularity / Apptainer, from singularity-compose.yml or"
          + " docker-compose.yml files.",
      "Without apptainer or singularity on PATH, instances are emulated by the embedded fake"
          + " runtime."
    })
public final class ScomposeCommand implements Runnable {

  /**
   * Picocli's system property of built-in converters not to register: those of java.sql and of
   * java.time (but Duration), found by reflection on every start, for types no option has.
   */
  private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

  /**
   * The commands, in the order of the usage help. Picocli reflects over every option of a command
   * it is given, so {@link #commandLine} gives it only the command the arguments name (start-up
   * time, issue 11); all of them for help, usage and an unknown word.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          VersionCommand.class,
          ConfigCommand.class,
          CheckCommand.class,
          UpCommand.class,
          DownCommand.class,
          PsCommand.class,
          LogsCommand.class,
          ExecCommand.class,
          RunCommand.class,
          LifecycleCommands.Create.class,
          LifecycleCommands.Start.class,
          LifecycleCommands.Stop.class,
          LifecycleCommands.Restart.class,
          ImageCommands.PullImages.class,
          ImageCommands.BuildImages.class,
          ImageCommands.Images.class,
          DemoCommand.class,
          ServeCommand.class,
          StackCommands.class,
          CommandLine.HelpCommand.class);

  /** Exit code of a runtime failure. */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a usage error or invalid compose files. */
  public static final int EXIT_INVALID = 2;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description =
          "Compose file (repeatable; later files override earlier ones). Default: the first of"
              + " singularity-compose.yml, singularity-compose.yaml, compose.yaml, compose.yml,"
              + " docker-compose.yml, docker-compose.yaml in the project directory.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = {"-p", "--project-name"},
      paramLabel = "NAME",
      description = "Project name (default: the file's `name`, else the directory's name).")
  String projectName;

  @Option(
      names = "--project-directory",
      paramLabel = "DIR",
      description = "Project directory (default: the first file's folder, else the working one).")
  Path projectDirectory;

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description =
          "Variables for interpolation instead of the project's .env, read exactly as .env is"
              + " (repeatable; a later file wins; the process environment still wins).")
  List<Path> envFiles = new ArrayList<>();

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description =
          "Activate a Compose profile (repeatable; * activates all). Unset: the comma-separated"
              + " variable COMPOSE_PROFILES. Services without profiles are always active; a"
              + " service named on the command line is active whatever its profiles.")
  List<String> profiles = new ArrayList<>();

  @Option(
      names = "--runtime",
      paramLabel = "auto|real|fake",
      description =
          "auto (default): apptainer or singularity from PATH, else the embedded fake; real: fail"
              + " without a binary; fake: always the embedded fake. Unset: the system property"
              + " scompose.runtime, else the variable SCOMPOSE_RUNTIME.")
  String runtime;

  @Option(
      names = "--compat",
      paramLabel = "MODE",
      description =
          "singularity-compose: instance names (<service><n>) and instance start lines as"
              + " singularity-compose 0.1.19 gives them, apart from the deliberate differences"
              + " listed in README.md (see up --dry-run). singularity-stack: instance names"
              + " <stack>.<service> (the project name is the stack; see the stack command).")
  Compat compat;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description =
          "How many instances start or stop at once (default 16; dependency levels and"
              + " healthchecks still order them). Unset: the variable COMPOSE_PARALLEL_LIMIT. Below"
              + " 1 is a usage error (exit 2).")
  Integer parallel;

  @Option(names = "--debug", description = "Print stack traces and debug logs.")
  boolean debug;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description =
          "Library log level: error, warn (default), info, debug, trace, off; another value is a"
              + " usage error (exit 2).")
  String logLevel;

  PrintStream stdout;
  PrintStream stderr;
  PrintWriter out;
  PrintWriter err;
  boolean terminal;

  /** The project and runtime begun before parsing ({@link LoadAhead}); none by default. */
  LoadAhead ahead = LoadAhead.NONE;

  private ComposeProject loaded;
  private ProjectFiles loadedFrom;

  /** Compatibility modes of {@code --compat}. */
  enum Compat {
    /** singularity-compose 0.1.19. */
    SINGULARITY_COMPOSE("singularity-compose"),
    /** singularity-stack: instance names {@code <stack>.<service>}. */
    SINGULARITY_STACK("singularity-stack");

    private final String text;

    Compat(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  @Override
  public void run() {
    commandLine(this, new String[0]).usage(out);
  }

  /** Project files and settings of these options. */
  ProjectFiles projectFiles() {
    return new ProjectFiles(files, projectDirectory, projectName, envFiles);
  }

  /**
   * The project of {@link #projectFiles()}: loaded once per run (the across-nodes check of {@code
   * up} and its session share it), by the second thread when it loaded the same files ({@link
   * LoadAhead}).
   *
   * @throws io.github.scompose.spec.ComposeException (exit 2) for invalid files
   * @throws CliException (exit 2) when no file is found
   */
  ComposeProject loadProject() {
    ProjectFiles files = projectFiles();
    if (loaded == null || !loadedFrom.equals(files)) {
      loaded = ahead.project(files).orElseGet(files::load);
      loadedFrom = files;
    }
    return loaded;
  }

  /**
   * The active profiles, as docker compose finds them: {@code --profile}, else the variable {@code
   * COMPOSE_PROFILES} of the process, else {@code COMPOSE_PROFILES} of the {@code --env-file} files
   * or the project's {@code .env}.
   *
   * @throws io.github.scompose.spec.ComposeException (exit 2) when an env file is malformed
   */
  java.util.Set<String> activeProfiles() {
    if (!profiles.isEmpty()) {
      return new java.util.LinkedHashSet<>(profiles);
    }
    // the rule without core's wiring: config and check load no engine class (start-up time)
    java.util.Set<String> fromProcess =
        ComposeProject.profilesOf(System.getenv(ComposeProject.PROFILES_VARIABLE));
    if (!fromProcess.isEmpty()) {
      return fromProcess;
    }
    return ComposeProject.profilesOf(
        projectFiles().envFileVariables().get(ComposeProject.PROFILES_VARIABLE));
  }

  /**
   * The runtime these options choose (prints the "emulated" line on stderr when auto falls back).
   */
  CliRuntime connect() {
    return ahead.runtime(runtime, parallel, err).orElseGet(() -> CliRuntime.connect(runtime, this));
  }

  /** Whether {@code --compat singularity-compose} was given. */
  boolean referenceCompat() {
    return compat == Compat.SINGULARITY_COMPOSE;
  }

  /**
   * Runs the tool and exits with its status.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    int code =
        run(
            args,
            new PrintStream(System.out, true, StandardCharsets.UTF_8),
            new PrintStream(System.err, true, StandardCharsets.UTF_8),
            System.console() != null);
    System.exit(code);
  }

  /**
   * Runs the tool without exiting the JVM.
   *
   * @param args command-line arguments
   * @param stdout where results go
   * @param stderr where progress, notices and errors go
   * @param terminal whether stdout is a terminal (progress bars instead of plain lines)
   * @return the exit status (see the type's documentation)
   */
  public static int run(String[] args, PrintStream stdout, PrintStream stderr, boolean terminal) {
    ScomposeCommand root = new ScomposeCommand();
    root.stdout = stdout;
    root.stderr = stderr;
    root.out = new PrintWriter(stdout, true);
    root.err = new PrintWriter(stderr, true);
    root.terminal = terminal;
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, "java.sql.*,java.time.(?!Duration).*");
    }
    try {
      LogLevels.configure(args);
    } catch (CliException e) {
      root.err.println("scompose: " + e.getMessage());
      root.err.flush();
      return e.exitCode();
    }
    // the project and the runtime of a command without global options, on a second thread while
    // picocli reflects over the options on this one
    root.ahead = LoadAhead.begin(args);
    try {
      return execute(root, args);
    } finally {
      root.ahead.close();
    }
  }

  private static int execute(ScomposeCommand root, String[] args) {
    Optional<Runnable> known = KnownCommandLines.command(root, args);
    if (known.isPresent()) {
      // as picocli's execute: a command that returns exits 0, an exception goes to the handler
      int code = 0;
      try {
        known.get().run();
      } catch (Exception e) {
        code = handle(root, e);
      }
      root.out.flush();
      root.err.flush();
      return code;
    }
    CommandLine cli = commandLine(root, args);
    cli.setOut(root.out);
    cli.setErr(root.err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.registerConverter(Compat.class, new CompatConverter());
    // exec web sh -c "exit 3": everything after SERVICE belongs to the command
    for (String positional : List.of("exec", "run")) {
      CommandLine sub = cli.getSubcommands().get(positional);
      if (sub != null) {
        sub.setStopAtPositional(true);
      }
    }
    cli.setExecutionExceptionHandler(new ExceptionHandler(root));
    HelpOption.addTo(cli); // up --help, logs --help, … as docker compose has them
    int code = cli.execute(args);
    root.out.flush();
    root.err.flush();
    return code;
  }

  /**
   * The command line of {@code root} with the command {@code args} name (the first word that is
   * neither an option of {@code root} nor an option's value), or with every command of {@link
   * #COMMANDS} when there is no such word, when it is {@code help} or no command's name, when
   * {@code -h/--help} comes before it, or when an option's value before it is a command's name.
   */
  static CommandLine commandLine(ScomposeCommand root, String[] args) {
    CommandLine cli = new CommandLine(root);
    Class<?> named = named(commandWord(cli.getCommandSpec(), args));
    for (Class<?> command : named != null ? List.of(named) : COMMANDS) {
      cli.addSubcommand(command);
    }
    return cli;
  }

  /** The command word of {@code args} (see {@link #commandLine}), or null. */
  private static String commandWord(CommandLine.Model.CommandSpec spec, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return null;
      }
      if (!a.startsWith("-") || a.equals("-")) {
        return a;
      }
      CommandLine.Model.OptionSpec option = spec.findOption(a);
      if (option != null && option.usageHelp()) {
        return null;
      }
      if (option != null && option.arity().max() > 0) {
        i++; // its value (--file=x and -fx carry theirs)
        if (i < args.length && (args[i].equals("help") || named(args[i]) != null)) {
          return null; // picocli refuses a command's name as a value and lists the commands
        }
      }
    }
    return null;
  }

  /** The command of {@link #COMMANDS} named {@code word} (name or alias), or null. */
  private static Class<?> named(String word) {
    if (word == null || word.equals("help")) {
      return null;
    }
    for (Class<?> command : COMMANDS) {
      Command c = command.getAnnotation(Command.class);
      if (c.name().equals(word) || List.of(c.aliases()).contains(word)) {
        return command;
      }
    }
    return null;
  }

  /*
   * Classes, not lambdas, for picocli's interfaces: picocli is compiled for Java 5, and a lambda of
   * one of its interfaces makes the class-data archive dump link that interface and then leave it
   * out, and with it every class implementing it (picocli's 29 built-in converters, read from the
   * jar at each start).
   */

  /** {@link #compat} as picocli's converter. */
  private static final class CompatConverter implements CommandLine.ITypeConverter<Compat> {
    @Override
    public Compat convert(String value) {
      return compat(value);
    }
  }

  /** {@link #handle} as picocli's execution exception handler. */
  private static final class ExceptionHandler implements CommandLine.IExecutionExceptionHandler {
    private final ScomposeCommand root;

    ExceptionHandler(ScomposeCommand root) {
      this.root = root;
    }

    @Override
    public int handleExecutionException(
        Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      return handle(root, e);
    }
  }

  private static Compat compat(String value) {
    for (Compat c : Compat.values()) {
      if (value.equals(c.toString())) {
        return c;
      }
    }
    throw new CommandLine.TypeConversionException(
        "'"
            + value
            + "' is not a compatibility mode (expected: singularity-compose, singularity-stack)");
  }

  private static int handle(ScomposeCommand root, Throwable e) {
    PrintWriter err = root.err;
    if (root.debug) {
      e.printStackTrace(err);
    }
    if (e instanceof ComposeException c) {
      ProblemPrinter.print(c.problems(), err);
      return EXIT_INVALID;
    }
    if (e instanceof CliException c) {
      err.println("scompose: " + c.getMessage());
      return c.exitCode();
    }
    if (e instanceof io.github.scompose.core.compose.DamagedStateException d) {
      err.println("scompose: " + ProjectSession.damaged(d, root.compat).getMessage());
      return EXIT_FAILURE;
    }
    if (e instanceof ComposeUpException u) {
      err.println("scompose: " + u.getMessage());
      return EXIT_FAILURE;
    }
    if (e instanceof java.io.UncheckedIOException u) {
      err.println("scompose: " + inWords(u));
      return EXIT_FAILURE;
    }
    if (e instanceof SingularityException
        || e instanceof NetworkException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException) {
      err.println("scompose: " + oneLine(e.getMessage()));
      return EXIT_FAILURE;
    }
    err.println(
        "scompose: internal error: "
            + e.getClass().getSimpleName()
            + ": "
            + oneLine(e.getMessage())
            + (root.debug ? "" : " (--debug shows the stack trace)"));
    return EXIT_FAILURE;
  }

  /**
   * An I/O failure in words: its own message when it has one of its own; when it only repeats its
   * cause (an {@code UncheckedIOException} made from a cause: "java.nio.file.NoSuchFileException:
   * /tmp/x"), the file and what went wrong with it.
   */
  static String inWords(java.io.UncheckedIOException e) {
    java.io.IOException cause = e.getCause();
    String message = e.getMessage();
    if (cause == null || (message != null && !message.equals(cause.toString()))) {
      return oneLine(message);
    }
    if (cause instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
      String why =
          cause instanceof java.nio.file.NoSuchFileException
              ? "no such file or folder"
              : cause instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : cause instanceof java.nio.file.FileAlreadyExistsException
                      ? "it already exists"
                      : f.getReason() != null ? f.getReason() : "the file system refused it";
      return f.getFile() + ": " + why;
    }
    String m = cause.getMessage();
    return m == null || m.isBlank() ? "an input/output error without details" : oneLine(m);
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip();
  }
}
