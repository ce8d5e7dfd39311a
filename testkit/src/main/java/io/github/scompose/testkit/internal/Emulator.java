package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.internal.EmulatorCommands.Out;
import io.github.scompose.testkit.internal.EmulatorCommands.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator engine shared by the in-JVM transport and the out-of-process executable: one
 * invocation (argv, environment, working directory) in, exit code and output out, with the real
 * binary's wording. Thread-safe (state changes go through the {@link InstanceStore}).
 *
 * <p>This class parses the global flags and the command, answers {@code version}, usage and
 * scripted rules, and dispatches the rest by subcommand: {@link InstanceCommands} ({@code instance
 * start/run/list/stop}), {@link ContainerCommands} ({@code exec}, {@code run}), {@link
 * ImageCommands} ({@code inspect}, {@code pull}, {@code build}).
 */
public final class Emulator {

  /** What one invocation did; {@code hangs}: it never answers (the caller's timeout decides). */
  public record Outcome(int exitCode, String stdout, String stderr, boolean hangs) {}

  /** One invocation: argv (element 0 the program), the caller's environment, working directory. */
  public record Invocation(
      List<String> argv, Map<String, String> environment, String workingDirectory) {}

  private final RuntimeConfig config;
  private final InstanceStore store;
  private final FakeTimeSource time;
  private final InstanceCommands instances;
  private final ContainerCommands containers;
  private final ImageCommands images;

  private Emulator(RuntimeConfig config, InstanceStore store, FakeTimeSource time) {
    this.config = config;
    this.store = store;
    this.time = time;
    this.instances = new InstanceCommands(config, store, time);
    this.containers = new ContainerCommands(config, store, time);
    this.images = new ImageCommands(config, store, time);
  }

  /** An engine with state in memory and fake PIDs (no file I/O, no processes). */
  public static Emulator inMemory(RuntimeConfig config, FakeTimeSource time) {
    return new Emulator(config, new MemoryStore(config.firstPid()), time);
  }

  /** An engine with state in {@code directory} and real host processes as instances. */
  public static Emulator inDirectory(RuntimeConfig config, Path directory, FakeTimeSource time) {
    return new Emulator(config, new DirectoryStore(directory, config.firstPid()), time);
  }

  /** The programme this engine runs. */
  public RuntimeConfig config() {
    return config;
  }

  /** The time source. */
  public FakeTimeSource time() {
    return time;
  }

  // ---- entry ----------------------------------------------------------------------------------

  /**
   * Runs one invocation. Scripted latencies pass on the time source (a virtual one just advances).
   *
   * @throws InterruptedException when a scripted wait is interrupted
   */
  public Outcome execute(Invocation invocation) throws InterruptedException {
    List<String> argv = invocation.argv();
    String program = Path.of(argv.get(0)).getFileName().toString();
    Out out = new Out();
    out.legacy = config.dialect() == FakeDialect.SINGULARITY_2;
    FlagTable.Parsed globals;
    try {
      globals = FlagTable.global(config.dialect()).parse(argv.subList(1, argv.size()), false);
    } catch (FlagTable.FlagError e) {
      out.stderr.append("Error: ").append(e.getMessage()).append('\n');
      rootUsage(out, program);
      out.exit = 1;
      return out.outcome();
    }
    out.color = !globals.has("nocolor");
    out.quiet = globals.has("quiet");
    out.silent = globals.has("silent");
    if (globals.has("version")) {
      out.stdout.append(versionLine(program)).append('\n');
      return out.outcome();
    }
    List<String> rest = globals.positionals();
    if (rest.isEmpty()) {
      rootUsage(out, program);
      out.stdout.append(out.stderr);
      out.stderr.setLength(0);
      return out.outcome();
    }
    String command = rest.get(0);
    List<String> args = rest.subList(1, rest.size());
    if (command.startsWith("instance.") && config.dialect() == FakeDialect.SINGULARITY_2) {
      args = prepend(command.substring("instance.".length()), args);
      command = "instance";
    }
    if (command.equals("instance")) {
      if (args.isEmpty()) {
        instanceUsage(out, program);
        return out.outcome();
      }
      command = "instance " + args.get(0);
      args = args.subList(1, args.size());
    }
    Optional<ScriptedResponse> scripted = commandRule(rest);
    if (scripted.isPresent()) {
      time.sleep(scripted.get().delay());
      return EmulatorCommands.answer(scripted.get());
    }
    Optional<FlagTable> table = FlagTable.forCommand(config.dialect(), command);
    if (table.isEmpty()) {
      if (command.startsWith("instance ")) {
        instanceUsage(out, program);
      } else {
        rootUsage(out, program);
      }
      out.exit = 1;
      return out.outcome();
    }
    String shortName = command.substring(command.lastIndexOf(' ') + 1);
    FlagTable.Parsed parsed;
    try {
      parsed = table.get().parse(args, false);
    } catch (FlagTable.FlagError e) {
      return EmulatorCommands.usageError(
          out, program, command, shortName, table.get(), e.getMessage());
    }
    if (parsed.has("help")) {
      out.stdout.append("Usage:\n  ").append(program).append(' ').append(command);
      out.stdout.append(" [").append(shortName).append(" options...]\n\nOptions:\n");
      table.get().usageLines().forEach(l -> out.stdout.append(l).append('\n'));
      return out.outcome();
    }
    Request request =
        new Request(program, command, shortName, table.get(), parsed, invocation, args);
    return switch (command) {
      case "version" -> {
        out.stdout.append(config.version()).append('\n');
        yield out.outcome();
      }
      case "instance start", "instance run" -> instances.instanceStart(out, request);
      case "instance list" -> instances.instanceList(out, request);
      case "instance stop" -> instances.instanceStop(out, request);
      case "exec" -> containers.exec(out, request);
      case "run" -> containers.run(out, request);
      case "inspect" -> images.inspect(out, request);
      case "pull" -> images.pull(out, request);
      case "build" -> images.build(out, request);
      default -> {
        rootUsage(out, program);
        out.exit = 1;
        yield out.outcome();
      }
    };
  }

  private String versionLine(String program) {
    return switch (config.dialect()) {
      case SINGULARITY_2 -> config.version();
      default -> program + " version " + config.version();
    };
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> list = new ArrayList<>(rest.size() + 1);
    list.add(first);
    list.addAll(rest);
    return list;
  }

  private Optional<ScriptedResponse> commandRule(List<String> args) {
    for (RuntimeConfig.CommandRule rule : config.commandRules()) {
      int at = 0;
      for (String arg : args) {
        if (at < rule.argumentsPrefix().size() && rule.argumentsPrefix().get(at).equals(arg)) {
          at++;
        }
      }
      if (at == rule.argumentsPrefix().size()) {
        return Optional.of(rule.response());
      }
    }
    return Optional.empty();
  }

  private void rootUsage(Out out, String program) {
    String product = config.dialect() == FakeDialect.APPTAINER_1 ? "an Apptainer" : "a Singularity";
    out.stderr.append("Usage:\n  ").append(program).append(" [global options...] <command>\n\n");
    out.stderr.append("Available Commands:\n");
    out.stderr.append("  build       Build ").append(product).append(" image\n");
    out.stderr.append("  exec        Run a command within a container\n");
    out.stderr.append("  inspect     Show metadata for an image\n");
    out.stderr.append("  instance    Manage containers running as services\n");
    out.stderr.append("  pull        Pull an image from a URI\n");
    out.stderr.append("  run         Run the user-defined default command within a container\n");
    out.stderr.append("  version     Show the version\n\n");
    out.stderr
        .append("Run '")
        .append(program)
        .append(" --help' for more detailed usage information.\n");
  }

  private void instanceUsage(Out out, String program) {
    out.stderr.append("Usage:\n  ").append(program).append(" instance\n\nAvailable Commands:\n");
    out.stderr.append("  list        List all running and named instances\n");
    if (config.dialect() == FakeDialect.APPTAINER_1) {
      out.stderr.append("  run         Run a named instance of the given container image\n");
    }
    out.stderr.append("  start       Start a named instance of the given container image\n");
    out.stderr.append("  stop        Stop a named instance of a given container image\n\n");
    out.stderr
        .append("Run '")
        .append(program)
        .append(" instance --help' for more detailed usage information.\n");
    out.exit = 1;
  }

  // ---- programmatic access --------------------------------------------------------------------

  /** Snapshots of the listed instances, sorted by name. */
  public List<FakeInstance> instances() {
    return instances.instances();
  }

  /** Makes instance {@code name} die now (as if its process crashed); false when not running. */
  public boolean crash(String name) {
    return instances.crash(name);
  }

  /** Appends text to instance {@code name}'s log files (as if its process printed it). */
  public void appendLog(String name, String stdout, String stderr) {
    instances.appendLog(name, stdout, stderr);
  }

  /** The log file path of instance {@code name}; {@code suffix} {@code out} or {@code err}. */
  public String logFile(String name, String suffix) {
    return instances.logFile(name, suffix);
  }

  /** Reads a file of the emulated host (log files first, then the real file system). */
  public Optional<byte[]> readFile(String path, long offset) {
    return store.readFile(path, offset);
  }

  /** Whether {@code path} is a file the emulator keeps in memory (records, logs). */
  public boolean ownsFile(String path) {
    return store.holds(path);
  }

  /**
   * Whether {@code path} is the folder of this user's instance records ({@link
   * RuntimeConfig#stateFileDirectory()}) or one below it: the emulator answers their listings.
   */
  public boolean ownsDirectory(String path) {
    String records = config.stateFileDirectory();
    return path.equals(records) || path.startsWith(records + "/");
  }

  /**
   * The entries of a folder of the record tree ({@link #ownsDirectory}), as the real binary would
   * have them now (see {@code InstanceCommands.recordDirectory}); empty when there is none.
   */
  public Optional<List<String>> listDirectory(String path) {
    return instances.recordDirectory(path);
  }

  /** Ends every instance's process and forgets all instances (logs stay). */
  public void stopAll() {
    instances.stopAll();
  }
}
