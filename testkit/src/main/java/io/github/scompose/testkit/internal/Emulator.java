package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRunscript;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.ScriptedResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator engine shared by the in-JVM transport and the out-of-process executable: one
 * invocation (argv, environment, working directory) in, exit code and output out, with the real
 * binary's wording. Thread-safe (state changes go through the {@link InstanceStore}).
 */
public final class Emulator {

  /** What one invocation did; {@code hangs}: it never answers (the caller's timeout decides). */
  public record Outcome(int exitCode, String stdout, String stderr, boolean hangs) {}

  /** One invocation: argv (element 0 the program), the caller's environment, working directory. */
  public record Invocation(
      List<String> argv, Map<String, String> environment, String workingDirectory) {}

  /** Instance names the real binary accepts (SingularityCE 3.4 source, {@code CheckName}). */
  static final Pattern NAME_RULE = Pattern.compile("^[a-zA-Z0-9._-]+$");

  private static final String RED = "\u001b[31m";
  private static final String BLUE = "\u001b[34m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RESET = "\u001b[0m";

  private final RuntimeConfig config;
  private final InstanceStore store;
  private final FakeTimeSource time;
  private final Latencies latencies;

  private Emulator(RuntimeConfig config, InstanceStore store, FakeTimeSource time) {
    this.config = config;
    this.store = store;
    this.time = time;
    this.latencies = new Latencies(java.util.Optional.ofNullable(config.latencyModel()));
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

  // ---- output helpers -------------------------------------------------------------------------

  private static final class Out {
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    boolean color = true;
    boolean quiet;
    boolean silent;
    boolean legacy;
    int exit;
    boolean hangs;

    Out fatal(int code, String message) {
      if (legacy) {
        stderr.append("ERROR  : ").append(message).append('\n');
      } else if (color) {
        stderr
            .append(RED)
            .append("FATAL:  ")
            .append(RESET)
            .append(' ')
            .append(message)
            .append('\n');
      } else {
        stderr.append("FATAL:   ").append(message).append('\n');
      }
      exit = code;
      return this;
    }

    Out info(String message) {
      if (quiet || silent || legacy) {
        return this;
      }
      if (color) {
        stderr
            .append(BLUE)
            .append("INFO:   ")
            .append(RESET)
            .append(' ')
            .append(message)
            .append('\n');
      } else {
        stderr.append("INFO:    ").append(message).append('\n');
      }
      return this;
    }

    Out warning(String message) {
      if (silent || legacy) {
        return this;
      }
      if (color) {
        stderr
            .append(YELLOW)
            .append("WARNING:")
            .append(RESET)
            .append(' ')
            .append(message)
            .append('\n');
      } else {
        stderr.append("WARNING: ").append(message).append('\n');
      }
      return this;
    }

    Outcome outcome() {
      return new Outcome(exit, stdout.toString(), stderr.toString(), hangs);
    }
  }

  private static Outcome answer(ScriptedResponse response) {
    return new Outcome(response.exitCode(), response.stdout(), response.stderr(), response.hangs());
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
      return answer(scripted.get());
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
      return usageError(out, program, command, shortName, table.get(), e.getMessage());
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
      case "instance start", "instance run" -> instanceStart(out, request);
      case "instance list" -> instanceList(out, request);
      case "instance stop" -> instanceStop(out, request);
      case "exec" -> exec(out, request);
      case "run" -> run(out, request);
      case "inspect" -> inspect(out, request);
      case "pull" -> pull(out, request);
      case "build" -> build(out, request);
      default -> {
        rootUsage(out, program);
        out.exit = 1;
        yield out.outcome();
      }
    };
  }

  private record Request(
      String program,
      String command,
      String shortName,
      FlagTable table,
      FlagTable.Parsed parsed,
      Invocation invocation,
      List<String> arguments) {
    /** The flags given before the first positional argument, as written. */
    List<String> options() {
      return List.copyOf(arguments.subList(0, arguments.size() - parsed.positionals().size()));
    }

    List<String> positionals() {
      return parsed.positionals();
    }
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

  private Outcome usageError(
      Out out, String program, String command, String shortName, FlagTable table, String error) {
    if (out.legacy) {
      out.stderr.append("ERROR  : ").append(error).append('\n');
      out.exit = 1;
      return out.outcome();
    }
    out.stderr.append("Error for command \"").append(shortName).append("\": ").append(error);
    out.stderr.append("\n\nOptions for ").append(shortName).append(" command:\n\n");
    table.usageLines().forEach(l -> out.stderr.append(l).append('\n'));
    out.stderr.append("\nRun '").append(program).append(' ').append(command);
    out.stderr.append(" --help' for more detailed usage information.\n");
    out.exit = 1;
    return out.outcome();
  }

  private Outcome argumentCount(Out out, Request r, int min, int max) {
    int n = r.positionals().size();
    if (n >= min && n <= max) {
      return null;
    }
    String error =
        min == max
            ? "accepts " + min + " arg(s), received " + n
            : "requires at least " + min + " arg(s), only received " + n;
    return usageError(out, r.program(), r.command(), r.shortName(), r.table(), error);
  }

  // ---- images ---------------------------------------------------------------------------------

  private Optional<FakeImage> image(EmulatorState state, String path, String workingDirectory) {
    FakeImage known = config.images().get(path);
    if (known == null) {
      known = state.createdImages.get(path);
    }
    if (known == null && !path.contains("://")) {
      String absolute = absolute(path, workingDirectory);
      known = config.images().get(absolute);
      if (known == null) {
        known = state.createdImages.get(absolute);
      }
    }
    if (known == null && config.anyImageExists()) {
      known = FakeImage.of(path);
    }
    return Optional.ofNullable(known);
  }

  private static String absolute(String path, String workingDirectory) {
    if (path.startsWith("/") || workingDirectory == null) {
      return path;
    }
    return Path.of(workingDirectory).resolve(path).normalize().toString();
  }

  private static String missingImage(String path) {
    return "could not open image "
        + path
        + ": failed to retrieve path for "
        + path
        + ": lstat "
        + path
        + ": no such file or directory";
  }

  // ---- environment ----------------------------------------------------------------------------

  private List<String> envPrefixes() {
    return config.dialect() == FakeDialect.APPTAINER_1
        ? List.of("SINGULARITYENV_", "APPTAINERENV_")
        : List.of("SINGULARITYENV_");
  }

  /** The container environment: image environment plus what the caller injects. */
  private Map<String, String> containerEnvironment(FakeImage image, Request r, Out out) {
    Map<String, String> injected = new LinkedHashMap<>();
    for (String prefix : envPrefixes()) {
      for (Map.Entry<String, String> e : r.invocation().environment().entrySet()) {
        if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
          injected.put(e.getKey().substring(prefix.length()), e.getValue());
        }
      }
    }
    Optional<String> envFile = r.parsed().last("env-file");
    if (envFile.isPresent()) {
      Optional<byte[]> bytes =
          store.readFile(absolute(envFile.get(), r.invocation().workingDirectory()), 0);
      if (bytes.isEmpty()) {
        out.fatal(255, "while processing " + envFile.get() + ": no such file or directory");
        return null;
      }
      for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (l.startsWith("export ")) {
          l = l.substring(7).strip();
        }
        int eq = l.indexOf('=');
        if (eq > 0 && !l.startsWith("#")) {
          injected.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
        }
      }
    }
    for (String pair : r.parsed().all("env")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        injected.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (config.dialect() == FakeDialect.APPTAINER_1) {
      // Apptainer: injected variables override the image's %environment (documented).
      env.putAll(image.environment());
      env.putAll(injected);
    } else {
      // SingularityCE 3.4: %environment is sourced after the injected ones and wins.
      env.putAll(injected);
      env.putAll(image.environment());
    }
    return env;
  }

  private static String unquote(String value) {
    String v = value.strip();
    if (v.length() >= 2
        && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  // ---- instance lifecycle -------------------------------------------------------------------

  /** Drops instances that crashed, whose process is gone, or whose post-stop listing ended. */
  private void purge(EmulatorState state) {
    Instant now = time.now();
    if (!store.tracksProcesses()
        && (state.nextDeadline == null || now.isBefore(state.nextDeadline))) {
      return;
    }
    state.nextDeadline = null;
    state
        .instances
        .values()
        .removeIf(
            r -> {
              boolean gone;
              if (r.stopped()) {
                gone = !now.isBefore(r.listedUntil());
              } else {
                gone = (r.diesAt() != null && !now.isBefore(r.diesAt())) || !store.processAlive(r);
              }
              if (gone && !r.stopped()) {
                store.removeFile(stateFile(r.name()));
              }
              if (!gone) {
                state.deadline(r.stopped() ? r.listedUntil() : r.diesAt());
              }
              return gone;
            });
  }

  private String logPath(String name, String suffix) {
    return config.logDirectory() + "/" + name + "." + suffix;
  }

  private String stateFile(String name) {
    return config.stateFileDirectory() + "/" + name + "/" + name + ".json";
  }

  private Outcome instanceStart(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 2, Integer.MAX_VALUE);
    if (usage != null) {
      return usage;
    }
    List<String> pos = r.positionals();
    String imagePath = pos.get(0);
    String name = pos.get(1);
    List<String> arguments = List.copyOf(pos.subList(2, pos.size()));
    Optional<FakeImage> found =
        store.transact(state -> image(state, imagePath, r.invocation().workingDirectory()));
    if (found.isEmpty()) {
      return out.fatal(255, missingImage(imagePath)).outcome();
    }
    FakeImage image = found.get();
    if (!NAME_RULE.matcher(name).matches()) {
      return out.fatal(
              255, "while checking instance name: " + name + " is not a valid instance name")
          .outcome();
    }
    RuntimeConfig.StartFailure failure = config.startFailures().get(name);
    if (failure != null) {
      return out.fatal(failure.exitCode(), failure.message()).outcome();
    }
    if (config.hangsAtStart().contains(name)) {
      out.hangs = true;
      return out.outcome();
    }
    Map<String, String> env = containerEnvironment(image, r, out);
    if (env == null) {
      return out.outcome();
    }
    time.sleep(config.startLatencies().getOrDefault(name, config.startLatency()));
    latencies.start(
        time, r.parsed().has("net") && !r.parsed().last("network").orElse("bridge").equals("none"));
    Optional<String> requestedIp = Optional.empty();
    List<String> portmaps = new ArrayList<>();
    for (String arg : r.parsed().all("network-args")) {
      // a Go string slice: one flag may carry several comma-separated arguments
      for (String part : unquote(arg).split(",")) {
        String a = unquote(part);
        if (a.startsWith("IP=")) {
          requestedIp = Optional.of(a.substring(3));
        } else if (a.startsWith("portmap=")) {
          Optional<String> hostPort = hostPort(a.substring("portmap=".length()));
          if (hostPort.isEmpty()) {
            return out.fatal(
                    255,
                    "container creation failed: error while setting network arguments: badly"
                        + " formatted portmap argument '"
                        + a.substring("portmap=".length())
                        + "', must be of form portmap=hostPort:containerPort/protocol")
                .outcome();
          }
          portmaps.add(hostPort.get());
        }
      }
    }
    boolean net =
        r.parsed().has("net") && !r.parsed().last("network").orElse("bridge").equals("none");
    List<String> heldPorts = net ? List.copyOf(portmaps) : List.of();
    String hostname = r.parsed().last("hostname").or(image::hostname).orElse(config.hostName());
    Duration lifetime =
        config.diesAtStart().contains(name) ? Duration.ZERO : config.crashAfter().get(name);
    List<String> options = r.options();
    final Optional<String> ip = requestedIp;
    final List<String> opts = options;
    Object started =
        store.transact(
            state -> {
              purge(state);
              if (state.instances.containsKey(name)) {
                return "instance " + name + " already exists";
              }
              String address = ip.orElse(null);
              java.util.Set<String> inUse = new java.util.HashSet<>();
              for (InstanceRecord other : state.instances.values()) {
                if (other.ip() != null) {
                  inUse.add(other.ip());
                }
              }
              if (address != null && inUse.contains(address)) {
                return "container creation failed: network setup failed: requested IP address "
                    + address
                    + " is not available in range set "
                    + BridgeRange.RANGE_SET;
              }
              if (address == null && net) {
                Optional<String> free = BridgeRange.next(inUse, state.lastReservedIp);
                if (free.isEmpty()) {
                  return "container creation failed: network setup failed: no IP addresses"
                      + " available in range set: "
                      + BridgeRange.RANGE_SET;
                }
                address = free.get();
              }
              if (address != null) {
                state.lastReservedIp = address;
              }
              // a host process never outlives the configured bound, even when nobody stops it
              InstanceStore.ProcessSlot slot =
                  store.spawn(state, name, bounded(lifetime, config.instanceLifetime()));
              Instant now = time.now();
              InstanceRecord record =
                  new InstanceRecord(
                      name,
                      slot.pid(),
                      slot.processStart(),
                      imagePath,
                      address,
                      heldPorts,
                      hostname,
                      arguments,
                      opts,
                      Map.copyOf(env),
                      now,
                      lifetime == null ? null : now.plus(lifetime),
                      null);
              state.instances.put(name, record);
              state.deadline(record.diesAt());
              return record;
            });
    if (started instanceof String error) {
      return out.fatal(255, error).outcome();
    }
    InstanceRecord record = (InstanceRecord) started;
    boolean runscript = r.command().equals("instance run");
    List<String> stdoutLines = runscript ? image.runscriptStdout() : image.startscriptStdout();
    List<String> stderrLines = runscript ? List.of() : image.startscriptStderr();
    String stdoutText = expandLines(stdoutLines, arguments, env);
    String stderrText = expandLines(stderrLines, arguments, env);
    store.appendFile(logPath(name, "out"), stdoutText);
    store.appendFile(logPath(name, "err"), stderrText);
    store.writeFile(stateFile(name), stateJson(record));
    if (!stderrText.isEmpty() && !out.legacy) {
      out.stdout.append(stderrText).append('\n');
    }
    out.info("instance started successfully");
    return out.outcome();
  }

  /**
   * The host side of a {@code portmap} network argument ({@code H:C} or {@code H:C/proto}, proto
   * {@code tcp} by default) as {@code H/proto}; empty when it is not one.
   */
  static Optional<String> hostPort(String portmap) {
    Matcher m = PORTMAP.matcher(portmap.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    int host = Integer.parseInt(m.group(1));
    int container = Integer.parseInt(m.group(2));
    if (host < 1 || host > 65535 || container < 1 || container > 65535) {
      return Optional.empty();
    }
    return Optional.of(host + "/" + (m.group(3) == null ? "tcp" : m.group(3)));
  }

  private static final Pattern PORTMAP = Pattern.compile("(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp))?");

  private static String expandLines(
      List<String> lines, List<String> args, Map<String, String> env) {
    if (lines.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(ScriptExpansion.expand(line, args, env)).append('\n');
    }
    return text.toString();
  }

  private String stateJson(InstanceRecord record) {
    StringBuilder json = new StringBuilder("{\"pid\":").append(record.pid());
    json.append(",\"ppid\":").append(Math.max(1, record.pid() - 1)).append(",\"name\":");
    GoJson.string(json, record.name());
    json.append(",\"user\":");
    GoJson.string(json, config.userName());
    json.append(",\"image\":");
    GoJson.string(json, record.image());
    json.append(",\"privileged\":false}\n");
    return json.toString();
  }

  private Outcome instanceList(Out out, Request r) {
    List<InstanceRecord> records =
        store.transact(
            state -> {
              purge(state);
              return List.copyOf(state.instances.values());
            });
    List<String> patterns = r.positionals();
    if (config.dialect() != FakeDialect.SINGULARITY_CE_3_4 && !patterns.isEmpty()) {
      Pattern glob = glob(patterns.get(0));
      records = records.stream().filter(x -> glob.matcher(x.name()).matches()).toList();
    }
    if (r.parsed().has("json")) {
      List<Object> entries = new ArrayList<>();
      for (InstanceRecord record : records) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("instance", record.name());
        entry.put("pid", record.pid());
        entry.put("img", record.image());
        if (config.dialect() == FakeDialect.APPTAINER_1) {
          entry.put("ip", record.ip() == null ? "" : record.ip());
          entry.put("logErrPath", logPath(record.name(), "err"));
          entry.put("logOutPath", logPath(record.name(), "out"));
        }
        entries.add(entry);
      }
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("instances", entries);
      out.stdout.append(GoJson.write(root)).append('\n');
      return out.outcome();
    }
    ListingTable table =
        config.dialect() == FakeDialect.APPTAINER_1
            ? new ListingTable(16, 8, 16)
            : new ListingTable(16, 8);
    switch (config.dialect()) {
      case APPTAINER_1 -> {
        table.row("INSTANCE NAME", "PID", "IP", "IMAGE");
        records.forEach(
            x ->
                table.row(
                    x.name(), String.valueOf(x.pid()), x.ip() == null ? "" : x.ip(), x.image()));
      }
      case SINGULARITY_CE_3_4 -> {
        table.row("INSTANCE NAME", "PID", "IMAGE");
        records.forEach(x -> table.row(x.name(), String.valueOf(x.pid()), x.image()));
      }
      case SINGULARITY_2 -> {
        table.row("DAEMON NAME", "PID", "CONTAINER IMAGE");
        records.forEach(x -> table.row(x.name(), String.valueOf(x.pid()), x.image()));
      }
    }
    out.stdout.append(table.render());
    return out.outcome();
  }

  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private Outcome instanceStop(Out out, Request r) throws InterruptedException {
    boolean all = r.parsed().has("all");
    if (!all && r.positionals().isEmpty()) {
      return argumentCount(out, r, 1, Integer.MAX_VALUE);
    }
    int timeoutSeconds = 10;
    Optional<String> t = r.parsed().last("timeout");
    if (t.isPresent()) {
      try {
        timeoutSeconds = Integer.parseInt(t.get());
      } catch (NumberFormatException e) {
        return usageError(
            out,
            r.program(),
            r.command(),
            r.shortName(),
            r.table(),
            "invalid argument \""
                + t.get()
                + "\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \""
                + t.get()
                + "\": invalid syntax");
      }
    }
    boolean force =
        r.parsed().has("force")
            || r.parsed()
                .last("signal")
                .map(s -> s.equals("KILL") || s.equals("SIGKILL") || s.equals("9"))
                .orElse(false);
    List<Pattern> globs = r.positionals().stream().map(Emulator::glob).toList();
    List<InstanceRecord> targets =
        store.transact(
            state -> {
              purge(state);
              return state.instances.values().stream()
                  .filter(x -> !x.stopped())
                  .filter(x -> all || globs.stream().anyMatch(g -> g.matcher(x.name()).matches()))
                  .toList();
            });
    if (targets.isEmpty()) {
      if (all) {
        return out.outcome();
      }
      return out.fatal(255, "no instance found").outcome();
    }
    if (all) {
      targets =
          targets.stream().sorted(Comparator.comparing(InstanceRecord::name).reversed()).toList();
    }
    for (InstanceRecord target : targets) {
      FakeImage image =
          store
              .transact(state -> image(state, target.image(), null))
              .orElse(FakeImage.of(target.image()));
      boolean deaf = image.ignoresStopSignal() || latencies.deafTo(r.parsed().last("signal"));
      boolean killed = force || deaf;
      Duration wait =
          force ? Duration.ZERO : deaf ? Duration.ofSeconds(timeoutSeconds) : image.stopDuration();
      time.sleep(wait);
      if (!killed) {
        latencies.stop(time);
      }
      String verb = killed ? "Killing" : "Stopping";
      out.stdout
          .append(verb)
          .append(' ')
          .append(target.name())
          .append(" instance of ")
          .append(target.image())
          .append(" (PID=")
          .append(target.pid())
          .append(')');
      if (killed) {
        out.stdout.append(force ? " (Force)" : " (Timeout)");
      }
      out.stdout.append('\n');
      Duration linger = config.stillListedAfterStop();
      if (killed && config.stillListedAfterKill().compareTo(linger) > 0) {
        linger = config.stillListedAfterKill();
      }
      Duration keep = linger;
      store.transact(
          state -> {
            InstanceRecord current = state.instances.get(target.name());
            if (current == null || current.pid() != target.pid()) {
              return null;
            }
            store.kill(current);
            if (keep.isZero() || keep.isNegative()) {
              state.instances.remove(target.name());
            } else {
              state.instances.put(target.name(), current.stoppedUntil(time.now().plus(keep)));
              state.deadline(time.now().plus(keep));
            }
            return null;
          });
      store.removeFile(stateFile(target.name()));
    }
    return out.outcome();
  }

  // ---- exec / run -----------------------------------------------------------------------------

  /** The container an exec/run targets: an instance or an image. */
  private record Target(
      String key, FakeImage image, String hostname, List<String> options, String ip) {}

  private Target target(Out out, Request r, String spec) {
    if (spec.startsWith("instance://")) {
      String name = spec.substring("instance://".length());
      Optional<InstanceRecord> record =
          store.transact(
              state -> {
                purge(state);
                return Optional.ofNullable(state.instances.get(name)).filter(x -> !x.stopped());
              });
      if (record.isEmpty()) {
        out.fatal(255, "no instance found with name " + name);
        return null;
      }
      FakeImage image =
          store
              .transact(state -> image(state, record.get().image(), null))
              .orElse(FakeImage.of(record.get().image()));
      return new Target(
          name, image, record.get().hostname(), record.get().options(), record.get().ip());
    }
    Optional<FakeImage> image =
        store.transact(state -> image(state, spec, r.invocation().workingDirectory()));
    if (image.isEmpty()) {
      out.fatal(255, missingImage(spec));
      return null;
    }
    String hostname =
        r.parsed().last("hostname").or(() -> image.get().hostname()).orElse(config.hostName());
    return new Target(spec, image.get(), hostname, List.of(), null);
  }

  private Outcome exec(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 2, Integer.MAX_VALUE);
    if (usage != null) {
      return usage;
    }
    Target target = target(out, r, r.positionals().get(0));
    if (target == null) {
      return out.outcome();
    }
    List<String> command = List.copyOf(r.positionals().subList(1, r.positionals().size()));
    for (RuntimeConfig.ExecRule rule : config.execRules()) {
      if (rule.matches(target.key(), command)) {
        time.sleep(rule.response().delay());
        return answer(rule.response());
      }
    }
    Map<String, String> env = containerEnvironment(target.image(), r, out);
    if (env == null) {
      return out.outcome();
    }
    return builtin(out, target, command, env);
  }

  private static final Pattern EXIT = Pattern.compile("exit\\s+(\\d+)\\s*;?");

  private Outcome builtin(Out out, Target target, List<String> command, Map<String, String> env) {
    String program = command.get(0);
    String base = program.substring(program.lastIndexOf('/') + 1);
    List<String> args = command.subList(1, command.size());
    switch (base) {
      case "true", ":" -> {
        return out.outcome();
      }
      case "false" -> {
        out.exit = 1;
        return out.outcome();
      }
      case "echo" -> {
        out.stdout.append(String.join(" ", args)).append('\n');
        return out.outcome();
      }
      case "hostname" -> {
        out.stdout.append(target.hostname()).append('\n');
        return out.outcome();
      }
      case "env", "printenv" -> {
        if (args.isEmpty()) {
          env.forEach((k, v) -> out.stdout.append(k).append('=').append(v).append('\n'));
        } else if (env.containsKey(args.get(0))) {
          out.stdout.append(env.get(args.get(0))).append('\n');
        } else {
          out.exit = 1;
        }
        return out.outcome();
      }
      case "getent" -> {
        return getent(out, target, args);
      }
      case "ping" -> {
        return ping(out, target, args);
      }
      case "cat" -> {
        for (String file : args) {
          Optional<String> content = containerFile(target, file);
          if (content.isEmpty()) {
            out.stderr
                .append("cat: can't open '")
                .append(file)
                .append("': No such file or directory\n");
            out.exit = 1;
          } else {
            out.stdout.append(content.get());
          }
        }
        return out.outcome();
      }
      case "sh", "bash" -> {
        if (args.size() >= 2 && args.get(0).equals("-c")) {
          String script = String.join(" ", args.subList(1, args.size())).strip();
          Matcher exit = EXIT.matcher(script);
          if (exit.matches()) {
            out.exit = Integer.parseInt(exit.group(1)) & 0xff;
            return out.outcome();
          }
          if (script.equals("true") || script.equals(":")) {
            return out.outcome();
          }
          if (script.startsWith("echo ") || script.equals("echo")) {
            String text = script.length() > 5 ? script.substring(5) : "";
            text = unquote(text);
            out.stdout.append(ScriptExpansion.expand(text, List.of(), env)).append('\n');
            return out.outcome();
          }
          String first = script.split("\\s+")[0];
          out.stderr.append(base).append(": ").append(first).append(": not found\n");
          out.exit = 127;
          return out.outcome();
        }
        return out.outcome();
      }
      default -> {
        return out.fatal(255, "\"" + program + "\": executable file not found in $PATH").outcome();
      }
    }
  }

  /**
   * A file inside the container: /etc/hostname, a bind-mounted host file, or the image's default
   * {@code /etc/hosts} ({@link #DEFAULT_HOSTS}) when none is bound there.
   */
  private Optional<String> containerFile(Target target, String file) {
    if (file.equals("/etc/hostname")) {
      return Optional.of(target.hostname() + "\n");
    }
    Optional<String> bound = boundFile(target, file);
    if (bound.isEmpty() && file.equals("/etc/hosts")) {
      return Optional.of(DEFAULT_HOSTS);
    }
    return bound;
  }

  /** The {@code /etc/hosts} of a container with none bound: localhost only (an assumption). */
  static final String DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n";

  /** A bind-mounted host file at {@code file}, read from the host. */
  private Optional<String> boundFile(Target target, String file) {
    List<String> options = target.options();
    for (int i = 0; i < options.size(); i++) {
      String o = options.get(i);
      String spec = null;
      if ((o.equals("--bind") || o.equals("-B")) && i + 1 < options.size()) {
        spec = options.get(i + 1);
      } else if (o.startsWith("--bind=")) {
        spec = o.substring(7);
      }
      if (spec == null) {
        continue;
      }
      for (String bind : spec.split(",")) {
        String[] parts = bind.split(":");
        String source = parts[0];
        String dest = parts.length > 1 ? parts[1] : parts[0];
        if (file.equals(dest)) {
          return store.readFile(source, 0).map(b -> new String(b, StandardCharsets.UTF_8));
        }
      }
    }
    return Optional.empty();
  }

  /** One line of a hosts file: an address and its names (canonical first). */
  private record HostsEntry(String address, List<String> names) {}

  /** The entries of the container's {@code /etc/hosts} (comments and blank lines skipped). */
  private List<HostsEntry> hostsEntries(Target target) {
    List<HostsEntry> entries = new ArrayList<>();
    for (String line : containerFile(target, "/etc/hosts").orElse("").split("\n")) {
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (l.isEmpty()) {
        continue;
      }
      String[] fields = l.split("\\s+");
      if (fields.length >= 2) {
        entries.add(new HostsEntry(fields[0], List.of(fields).subList(1, fields.length)));
      }
    }
    return entries;
  }

  /** Resolves a name (or an address) through the container's hosts file, first entry wins. */
  private Optional<HostsEntry> resolve(Target target, String host) {
    for (HostsEntry e : hostsEntries(target)) {
      if (e.address().equals(host) || e.names().contains(host)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code getent hosts NAME...} through the hosts file bound at {@code /etc/hosts} (no DNS is
   * emulated): glibc's format, the address padded to 15 columns, then the entry's names; exit 2
   * when a key is not found.
   */
  private Outcome getent(Out out, Target target, List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("hosts")) {
      out.stderr.append("Unknown database: ").append(args.isEmpty() ? "" : args.get(0));
      out.stderr.append("\nTry `getent --help' or `getent --usage' for more information.\n");
      out.exit = 1;
      return out.outcome();
    }
    List<String> keys = args.subList(1, args.size());
    List<HostsEntry> found = new ArrayList<>();
    if (keys.isEmpty()) {
      found.addAll(hostsEntries(target));
    }
    for (String key : keys) {
      Optional<HostsEntry> e = resolve(target, key);
      if (e.isEmpty()) {
        out.exit = 2;
      } else {
        found.add(e.get());
      }
    }
    for (HostsEntry e : found) {
      out.stdout.append(
          String.format(
              java.util.Locale.ROOT, "%-15s %s%n", e.address(), String.join(" ", e.names())));
    }
    return out.outcome();
  }

  /**
   * busybox {@code ping [-c N] [-W S] HOST} in the recorded format (04-net2.txt): the name resolved
   * through the bound hosts file; replies come when the address is the container's loopback or its
   * own, or — from a bridge instance — the address of another running bridge instance. Otherwise
   * 100% packet loss, exit 1; an unknown name: {@code ping: bad address 'x'}, exit 1.
   */
  private Outcome ping(Out out, Target target, List<String> args) {
    int count = 1;
    String host = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("-c") || a.equals("-W") || a.equals("-w")) && i + 1 < args.size()) {
        if (a.equals("-c")) {
          try {
            count = Math.max(1, Integer.parseInt(args.get(i + 1)));
          } catch (NumberFormatException e) {
            count = 1;
          }
        }
        i++;
      } else if (!a.startsWith("-")) {
        host = a;
      }
    }
    if (host == null) {
      out.stderr.append("BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n");
      out.exit = 1;
      return out.outcome();
    }
    String address =
        BridgeRange.parse(host) >= 0
            ? host
            : resolve(target, host).map(HostsEntry::address).orElse(null);
    if (address == null) {
      out.stderr.append("ping: bad address '").append(host).append("'\n");
      out.exit = 1;
      return out.outcome();
    }
    boolean reachable = address.startsWith("127.") || address.equals(target.ip());
    if (!reachable && target.ip() != null) {
      String a = address;
      reachable =
          store.transact(
              state -> {
                purge(state);
                return state.instances.values().stream()
                    .anyMatch(x -> !x.stopped() && a.equals(x.ip()));
              });
    }
    out.stdout.append("PING ").append(host).append(" (").append(address);
    out.stdout.append("): 56 data bytes\n");
    if (reachable) {
      for (int seq = 0; seq < count; seq++) {
        out.stdout.append("64 bytes from ").append(address).append(": seq=").append(seq);
        out.stdout.append(" ttl=64 time=0.100 ms\n");
      }
    }
    out.stdout.append("\n--- ").append(host).append(" ping statistics ---\n");
    out.stdout.append(count).append(" packets transmitted, ").append(reachable ? count : 0);
    out.stdout.append(" packets received, ").append(reachable ? "0" : "100");
    out.stdout.append("% packet loss\n");
    if (reachable) {
      out.stdout.append("round-trip min/avg/max = 0.100/0.100/0.100 ms\n");
    } else {
      out.exit = 1;
    }
    return out.outcome();
  }

  private Outcome run(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 1, Integer.MAX_VALUE);
    if (usage != null) {
      return usage;
    }
    Target target = target(out, r, r.positionals().get(0));
    if (target == null) {
      return out.outcome();
    }
    List<String> args = List.copyOf(r.positionals().subList(1, r.positionals().size()));
    for (RuntimeConfig.ExecRule rule : config.runRules()) {
      if (rule.matches(target.key(), args)) {
        time.sleep(rule.response().delay());
        return answer(rule.response());
      }
    }
    Map<String, String> env = containerEnvironment(target.image(), r, out);
    if (env == null) {
      return out.outcome();
    }
    Optional<FakeRunscript> behaviour = target.image().runscriptBehaviour();
    if (behaviour.isPresent()) {
      ScriptedResponse response = behaviour.get().run(args, Map.copyOf(env));
      time.sleep(response.delay());
      return answer(response);
    }
    out.stdout.append(expandLines(target.image().runscriptStdout(), args, env));
    return out.outcome();
  }

  // ---- inspect / pull / build -----------------------------------------------------------------

  private Outcome inspect(Out out, Request r) {
    Outcome usage = argumentCount(out, r, 1, 1);
    if (usage != null) {
      return usage;
    }
    String path = r.positionals().get(0);
    Optional<FakeImage> found =
        store.transact(state -> image(state, path, r.invocation().workingDirectory()));
    if (found.isEmpty()) {
      // recorded from SingularityCE 3.4.2 (09-labels-runscript-args.txt): inspect says it its way
      return out.fatal(
              255,
              config.dialect() == FakeDialect.SINGULARITY_CE_3_4
                  ? "container not found: stat " + path + ": no such file or directory"
                  : missingImage(path))
          .outcome();
    }
    FakeImage image = found.get();
    FlagTable.Parsed p = r.parsed();
    boolean runscript = p.has("runscript");
    boolean environment = p.has("environment");
    boolean startscript = p.has("startscript");
    boolean labels = p.has("labels") || !(runscript || environment || startscript);
    if (p.has("json")) {
      Map<String, Object> attributes = new java.util.TreeMap<>();
      if (labels) {
        attributes.put("apps", "");
        attributes.put("labels", new java.util.TreeMap<>(image.labels()));
      }
      if (runscript) {
        attributes.put("runscript", image.runscript());
      }
      if (startscript) {
        attributes.put("startscript", image.startscript());
      }
      if (environment) {
        attributes.put("environment", environmentScript(image));
      }
      Map<String, Object> root = new LinkedHashMap<>();
      if (config.dialect() == FakeDialect.APPTAINER_1) {
        root.put("data", Map.of("attributes", attributes));
      } else {
        root.put("attributes", attributes);
      }
      root.put("type", "container");
      out.stdout.append(GoJson.write(root)).append('\n');
      return out.outcome();
    }
    if (labels) {
      if (p.has("labels") && config.dialect() == FakeDialect.SINGULARITY_CE_3_4) {
        out.stdout.append("==labels==\n"); // recorded from 3.4.2 (09-labels-runscript-args.txt)
      }
      new java.util.TreeMap<>(image.labels())
          .forEach((k, v) -> out.stdout.append(k).append(": ").append(v).append('\n'));
    }
    if (runscript) {
      out.stdout.append("==runscript==\n").append(image.runscript()).append('\n');
    }
    if (startscript) {
      out.stdout.append("==startscript==\n").append(image.startscript()).append('\n');
    }
    if (environment) {
      out.stdout.append("==environment==\n").append(environmentScript(image)).append('\n');
    }
    return out.outcome();
  }

  private static String environmentScript(FakeImage image) {
    StringBuilder text = new StringBuilder("#!/bin/sh\n");
    image
        .environment()
        .forEach((k, v) -> text.append("export ").append(k).append("=\"").append(v).append("\"\n"));
    return text.toString();
  }

  private static final Pattern URI = Pattern.compile("^(library|docker|shub|oras|https?)://(.+)$");

  private Outcome pull(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 1, 2);
    if (usage != null) {
      return usage;
    }
    List<String> pos = r.positionals();
    String uri = pos.get(pos.size() - 1);
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      return out.fatal(255, "Unsupported transport type: " + uri.split("://")[0]).outcome();
    }
    String output;
    if (pos.size() == 2) {
      output = pos.get(0);
    } else {
      String ref = m.group(2);
      String last = ref.substring(ref.lastIndexOf('/') + 1);
      String tag = "latest";
      int colon = last.indexOf(':');
      if (colon >= 0) {
        tag = last.substring(colon + 1);
        last = last.substring(0, colon);
      }
      output = last + "_" + tag + ".sif";
    }
    String dir = r.parsed().last("dir").orElse(r.invocation().workingDirectory());
    String target = absolute(output, dir);
    return createImage(out, r, target, output, uri, null);
  }

  private Outcome build(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 2, 2);
    if (usage != null) {
      return usage;
    }
    String output = r.positionals().get(0);
    String spec = r.positionals().get(1);
    String target = absolute(output, r.invocation().workingDirectory());
    FakeImage fromDefinition = null;
    if (!spec.contains("://")) {
      FakeImage base = config.images().get(spec);
      if (base == null) {
        Optional<byte[]> text =
            store.readFile(absolute(spec, r.invocation().workingDirectory()), 0);
        if (text.isEmpty()) {
          return out.fatal(255, "Unable to build from " + spec + ": no such file or directory")
              .outcome();
        }
        fromDefinition =
            DefinitionFile.parse(target, new String(text.get(), StandardCharsets.UTF_8));
      }
    }
    out.info("Starting build...");
    return createImage(out, r, target, output, spec, fromDefinition);
  }

  private Outcome createImage(
      Out out, Request r, String target, String shown, String source, FakeImage definition)
      throws InterruptedException {
    boolean force = r.parsed().has("force");
    Object result =
        store.transact(
            state -> {
              boolean exists =
                  state.createdImages.containsKey(target)
                      || config.images().containsKey(target)
                      || store.exists(target);
              if (exists && !force) {
                return r.command().equals("pull")
                    ? "Image file already exists: \"" + shown + "\" - will not overwrite"
                    : "While performing build: build target '"
                        + shown
                        + "' already exists. Use --force to overwrite";
              }
              FakeImage image = definition;
              if (image == null) {
                FakeImage known = config.images().get(source);
                if (known == null) {
                  known = state.createdImages.get(source);
                }
                image = known == null ? FakeImage.of(target) : known.withPath(target);
              }
              state.createdImages.put(target, image);
              return image;
            });
    if (result instanceof String error) {
      return out.fatal(255, error).outcome();
    }
    store.writeFile(
        target, "fake SIF image written by the scompose testkit emulator: " + source + "\n");
    if (r.command().equals("pull")) {
      out.info("Downloading image " + source);
    } else {
      out.info("Creating SIF file...");
      out.info("Build complete: " + shown);
    }
    return out.outcome();
  }

  // ---- programmatic access --------------------------------------------------------------------

  /** Snapshots of the listed instances, sorted by name. */
  public List<FakeInstance> instances() {
    List<InstanceRecord> records =
        store.transact(
            state -> {
              purge(state);
              return List.copyOf(state.instances.values());
            });
    return records.stream()
        .map(
            x ->
                (FakeInstance)
                    FakeInstance.builder()
                        .name(x.name())
                        .pid(x.pid())
                        .image(x.image())
                        .ip(Optional.ofNullable(x.ip()))
                        .arguments(x.arguments())
                        .options(x.options())
                        .environment(x.environment())
                        .startedAt(x.startedAt())
                        .stopping(x.stopped())
                        .build())
        .toList();
  }

  /** Makes instance {@code name} die now (as if its process crashed); false when not running. */
  public boolean crash(String name) {
    return store.transact(
        state -> {
          InstanceRecord record = state.instances.get(name);
          if (record == null || record.stopped()) {
            return false;
          }
          store.kill(record);
          state.instances.put(name, record.dyingAt(time.now()));
          state.deadline(time.now());
          return true;
        });
  }

  /** Appends text to instance {@code name}'s log files (as if its process printed it). */
  public void appendLog(String name, String stdout, String stderr) {
    store.appendFile(logPath(name, "out"), stdout);
    store.appendFile(logPath(name, "err"), stderr);
  }

  /** The log file path of instance {@code name}; {@code suffix} {@code out} or {@code err}. */
  public String logFile(String name, String suffix) {
    return logPath(name, suffix);
  }

  /** Reads a file of the emulated host (log files first, then the real file system). */
  public Optional<byte[]> readFile(String path, long offset) {
    return store.readFile(path, offset);
  }

  /** {@code lifetime} (null: until stopped) capped at {@code bound}. */
  static Duration bounded(Duration lifetime, Duration bound) {
    return lifetime == null || lifetime.compareTo(bound) > 0 ? bound : lifetime;
  }

  /** Ends every instance's process and forgets all instances (logs stay). */
  public void stopAll() {
    store.transact(
        state -> {
          for (InstanceRecord record : state.instances.values()) {
            store.kill(record);
            store.removeFile(stateFile(record.name()));
          }
          state.instances.clear();
          return null;
        });
  }
}
