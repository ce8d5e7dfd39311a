package io.github.scompose.testkit;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.PosixShellQuoting;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.HostPorts;
import io.github.scompose.testkit.internal.Emulator;
import io.github.scompose.testkit.internal.InJvmTransport;
import io.github.scompose.testkit.internal.RuntimeConfig;
import io.github.scompose.testkit.internal.UnboundHostPorts;
import java.io.File;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fake Singularity/Apptainer runtime with the real CLI's behaviour, programmable like a mock. One
 * engine, reached two ways:
 *
 * <ul>
 *   <li>{@link #transport()}: an in-JVM {@link Transport} (no process; in the default in-memory
 *       form no file I/O either, microseconds per call);
 *   <li>{@link #installExecutable(Path, String)}: a launcher script (e.g. {@code bin/apptainer})
 *       running the emulator in a new JVM on a state directory, for the real process path and
 *       non-Java tools. There every instance is a real, harmless host process ({@code sleep}),
 *       whose PID is listed and which {@code instance stop} ends.
 * </ul>
 *
 * <p>It understands {@code --version}, {@code version}, {@code instance start|run|list|stop} (and
 * 2.x {@code instance.start|instance.list|instance.stop}), {@code exec}, {@code run}, {@code pull},
 * {@code build}, {@code inspect}; accepts exactly the flags of the real binary of its {@link
 * FakeDialect}; fails unknown flags like it (exit 1, {@code Error for command "start": unknown
 * flag: --x} and the options list); reports errors as {@code FATAL: ...} with ANSI colour codes
 * (none with {@code --nocolor}) and exit 255; checks instance names ({@code ^[a-zA-Z0-9._-]+$}) and
 * duplicates; writes log files under {@code
 * <home>/.apptainer|.singularity/instances/logs/<host>/<user>/<name>.out|.err} (appended, kept
 * after stop). Behaviour of {@link FakeDialect#SINGULARITY_CE_3_4} is matched against recordings of
 * SingularityCE 3.4.2; the other dialects follow documentation only.
 *
 * <p>{@code exec} answers scripted responses first, then a few built-ins ({@code true}, {@code
 * false}, {@code echo}, {@code hostname}, {@code env}, {@code printenv}, {@code cat} of {@code
 * /etc/hostname} or of a bind-mounted host file, {@code getent hosts NAME} and busybox {@code ping
 * -c N NAME} resolving through the file bound at {@code /etc/hosts}, {@code sh -c "exit N"}, {@code
 * sh -c "echo ..."} with variable expansion), else fails like the real binary ({@code "x":
 * executable file not found in $PATH}, exit 255).
 *
 * <p><b>Bridge network</b> (recorded from SingularityCE 3.4.2 as root, 03-net1.txt/04-net2.txt):
 * every {@code instance start --net} gets an address of 10.22.0.0/16 the way CNI's host-local IPAM
 * hands them out (the next free one after the last reserved; never one a listed instance holds,
 * also across emulator processes sharing a state directory); {@code --network-args IP=A} with
 * {@code A} in use fails with the recorded {@code requested IP address A is not available in range
 * set 10.22.0.1-10.22.255.254}; {@code --network-args portmap=H:C/tcp} is kept with the instance
 * and, as on a real 3.4.2 (checked on a binary built from source), a second instance mapping the
 * same host port starts too (CNI's portmap plugin reserves nothing: keeping host ports apart is the
 * engine's lease store's job); a malformed portmap is refused with the binary's words. {@code run}
 * prints the image's {@link FakeImage#runscriptStdout()} and exits 0 unless {@link
 * Builder#respondToRun} scripts it. Nothing of an image is executed on the host.
 *
 * <p><b>Lifetime of the out-of-process form's host processes.</b> Like a real instance, an emulated
 * instance runs until {@code instance stop} (or {@link #close()}) ends it — but at most {@link
 * Builder#instanceLifetime(Duration)} (default {@link #DEFAULT_INSTANCE_LIFETIME}, 24 h): its
 * {@code sleep} is started with that duration, so an instance whose runtime was never closed and
 * whose state directory was deleted (nothing can stop it any more) ends by itself instead of
 * running for years. When it ends, the instance leaves the listing as after a crash. In-memory
 * instances have no host process and live until stopped or until the JVM exits.
 *
 * <p>Thread-safe. {@link #close()} ends every instance (and its host process).
 *
 * <pre>{@code
 * FakeRuntime fake = FakeRuntime.builder()
 *     .image(FakeImage.of("/images/redis.sif"))
 *     .respondToExec("cache1", List.of("redis-cli", "ping"), ScriptedResponse.ok("PONG"))
 *     .build();
 * Transport transport = fake.transport();
 * }</pre>
 */
public final class FakeRuntime implements AutoCloseable {

  /**
   * The default maximum lifetime of an emulated instance's host process (out-of-process form): 24
   * hours, far longer than any test run and far shorter than forever.
   */
  public static final Duration DEFAULT_INSTANCE_LIFETIME = Duration.ofHours(24);

  private final RuntimeConfig config;
  private final Emulator emulator;
  private final Path stateDirectory;
  private final Set<String> programs;

  private FakeRuntime(Builder builder) {
    String user = builder.userName;
    Path state = builder.stateDirectory == null ? null : builder.stateDirectory.toAbsolutePath();
    String home =
        builder.homeDirectory != null
            ? builder.homeDirectory
            : state != null ? state.resolve("home").toString() : "/home/" + user;
    this.config =
        new RuntimeConfig(
            builder.dialect,
            builder.version == null ? builder.dialect.defaultVersion() : builder.version,
            builder.hostName,
            user,
            home,
            Map.copyOf(builder.images),
            builder.anyImageExists,
            List.copyOf(builder.execRules),
            List.copyOf(builder.runRules),
            List.copyOf(builder.commandRules),
            Map.copyOf(builder.startFailures),
            Map.copyOf(builder.crashAfter),
            Set.copyOf(builder.diesAtStart),
            Set.copyOf(builder.hangsAtStart),
            builder.startLatency,
            Map.copyOf(builder.startLatencies),
            builder.stillListedAfterStop,
            builder.stillListedAfterKill,
            builder.firstPid,
            Map.copyOf(builder.hostEnvironment),
            builder.instanceLifetime,
            builder.latencyModel);
    this.stateDirectory = state;
    this.programs = Set.of("singularity", "apptainer");
    if (state == null) {
      this.emulator = Emulator.inMemory(config, builder.timeSource);
    } else {
      if (builder.timeSource.isVirtual()) {
        throw new IllegalArgumentException(
            "a directory-backed fake runtime runs real processes: use the system time source");
      }
      writeConfig(state);
      this.emulator = Emulator.inDirectory(config, state, builder.timeSource);
    }
  }

  private void writeConfig(Path state) {
    try {
      Files.createDirectories(state);
      Path temp = Files.createTempFile(state, "config", ".tmp");
      try (OutputStream out = Files.newOutputStream(temp);
          ObjectOutputStream objects = new ObjectOutputStream(out)) {
        objects.writeObject(config);
      }
      Files.move(
          temp,
          state.resolve("config.ser"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fake runtime's state in " + state, e);
    }
  }

  /** A builder with the defaults listed on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /** An in-memory Apptainer 1.x fake with no images and the defaults of {@link Builder}. */
  public static FakeRuntime create() {
    return builder().build();
  }

  /**
   * The in-JVM transport: runs {@code singularity}/{@code apptainer} argvs on this runtime; any
   * other program fails with {@code TransportException}. A scripted hang ends in {@code
   * CommandTimeoutException} after the request's timeout (at once, on a virtual clock). Its {@code
   * readFile} serves the emulated log files, then real host files. One transport per call; all
   * share this runtime's state.
   */
  public Transport transport() {
    return new InJvmTransport(emulator, programs);
  }

  /**
   * Host ports as this fake sees them, for a {@code NetworkPlanner} that plans port mappings of
   * instances on this runtime ({@code NetworkPlanner.create().withHostPorts(fake.hostPorts())}).
   * The fake's instances bind nothing on the host (the out-of-process form runs a {@code sleep},
   * never the image), so a published port would never be taken by them: every port is free ({@code
   * isFree} is always true) and {@code findFree} answers the lowest port of 49152..65535 (the IANA
   * dynamic range, RFC 6335) not excluded, deterministically and without binding a socket. Real
   * host sockets are deliberately not consulted, so plans do not depend on what else runs on the
   * machine.
   *
   * @return a stateless view, shareable between threads; its {@code findFree} throws {@code
   *     NetworkException} only when every port of the range is excluded
   */
  public HostPorts hostPorts() {
    return new UnboundHostPorts();
  }

  /**
   * Runs one command on the in-JVM transport, e.g. {@code execute("instance", "list")}; the program
   * is the dialect's ({@code apptainer} or {@code singularity}).
   */
  public CommandResult execute(String... arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(config.dialect().program());
    argv.addAll(List.of(arguments));
    try (Transport transport = transport()) {
      return transport.run(CommandRequest.of(argv));
    }
  }

  /**
   * Writes an executable launcher {@code binDir/name} (e.g. {@code singularity} or {@code
   * apptainer}) that runs {@code java -cp <this JVM's classpath> EmulatorMain --state <dir>
   * --program <name> "$@"}, so that putting {@code binDir} first on {@code PATH} makes this runtime
   * the binary. Needs a runtime built with {@link Builder#stateDirectory(Path)}; every launch is a
   * new JVM (a few hundred ms).
   *
   * @return the launcher's path
   * @throws IllegalStateException when this runtime keeps its state in memory
   * @throws UncheckedIOException when the script cannot be written
   */
  public Path installExecutable(Path binDir, String name) {
    if (stateDirectory == null) {
      throw new IllegalStateException(
          "an executable needs a directory-backed fake runtime: build it with stateDirectory(dir)");
    }
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("executable name " + name + " is not a plain file name");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script =
        "#!/bin/sh\n"
            + "# fake "
            + config.dialect().program()
            + " written by the scompose testkit (io.github.scompose.testkit.FakeRuntime)\n"
            + "exec "
            + PosixShellQuoting.quote(java)
            + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "
            + PosixShellQuoting.quote(classpath())
            + " io.github.scompose.testkit.internal.EmulatorMain --state "
            + PosixShellQuoting.quote(stateDirectory.toString())
            + " --program "
            + PosixShellQuoting.quote(name)
            + " \"$@\"\n";
    try {
      Files.createDirectories(binDir);
      Path target = binDir.resolve(name);
      Path temp = Files.createTempFile(binDir, name, ".tmp");
      Files.writeString(temp, script, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the launcher " + binDir.resolve(name), e);
    }
  }

  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type : List.of(FakeRuntime.class, Transport.class)) {
      try {
        entries.add(
            Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException | RuntimeException e) {
        // fall back to java.class.path below
      }
    }
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The listed instances (running, and stopped ones still listed), sorted by name. */
  public List<FakeInstance> instances() {
    return emulator.instances();
  }

  /** The listed instance {@code name}, if any. */
  public Optional<FakeInstance> instance(String name) {
    return instances().stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /**
   * Makes instance {@code name} die now, as a crash would (its host process is killed; it
   * disappears from the listing). Returns false when no such instance runs.
   */
  public boolean crash(String name) {
    return emulator.crash(name);
  }

  /** Appends text (verbatim; add newlines) to instance {@code name}'s .out and .err logs. */
  public void appendLog(String name, String stdout, String stderr) {
    emulator.appendLog(name, stdout, stderr);
  }

  /** The path of instance {@code name}'s stdout log, e.g. {@code ~/.apptainer/.../web1.out}. */
  public String logOutPath(String name) {
    return emulator.logFile(name, "out");
  }

  /** The path of instance {@code name}'s stderr log. */
  public String logErrPath(String name) {
    return emulator.logFile(name, "err");
  }

  /** The content of a log (or other emulated) file, empty when it does not exist. */
  public Optional<String> readFile(String path) {
    return emulator.readFile(path, 0).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** The dialect. */
  public FakeDialect dialect() {
    return config.dialect();
  }

  /** The reported version, e.g. {@code 1.3.4}. */
  public String version() {
    return config.version();
  }

  /** The emulated home directory (holds {@code .apptainer} or {@code .singularity}). */
  public String homeDirectory() {
    return config.homeDirectory();
  }

  /** The time source. */
  public FakeTimeSource timeSource() {
    return emulator.time();
  }

  /** The state directory of a directory-backed runtime. */
  public Optional<Path> stateDirectory() {
    return Optional.ofNullable(stateDirectory);
  }

  /** Ends every instance (and, directory-backed, its host process). Logs stay. Idempotent. */
  @Override
  public void close() {
    emulator.stopAll();
  }

  /**
   * Programs a {@link FakeRuntime}. Not thread-safe; every method returns this builder. Defaults:
   * {@link FakeDialect#APPTAINER_1}, host {@code fakehost}, the JVM's {@code user.name}, home
   * {@code /home/<user>} (in memory) or {@code <stateDirectory>/home}, no images, first PID 20000,
   * no latency, nothing still listed after stop, the system time source, state in memory, host
   * processes (directory-backed) living at most 24 h.
   */
  public static final class Builder {
    private FakeDialect dialect = FakeDialect.APPTAINER_1;
    private String version;
    private String hostName = "fakehost";
    private String userName = System.getProperty("user.name", "user");
    private String homeDirectory;
    private final Map<String, FakeImage> images = new LinkedHashMap<>();
    private boolean anyImageExists;
    private final List<RuntimeConfig.ExecRule> execRules = new ArrayList<>();
    private final List<RuntimeConfig.ExecRule> runRules = new ArrayList<>();
    private final List<RuntimeConfig.CommandRule> commandRules = new ArrayList<>();
    private final Map<String, RuntimeConfig.StartFailure> startFailures = new LinkedHashMap<>();
    private final Map<String, Duration> crashAfter = new LinkedHashMap<>();
    private final Set<String> diesAtStart = new LinkedHashSet<>();
    private final Set<String> hangsAtStart = new LinkedHashSet<>();
    private Duration startLatency = Duration.ZERO;
    private final Map<String, Duration> startLatencies = new LinkedHashMap<>();
    private Duration stillListedAfterStop = Duration.ZERO;
    private Duration stillListedAfterKill = Duration.ZERO;
    private long firstPid = 20000;
    private final Map<String, String> hostEnvironment = new LinkedHashMap<>();
    private FakeTimeSource timeSource = FakeTimeSource.system();
    private Path stateDirectory;
    private Duration instanceLifetime = DEFAULT_INSTANCE_LIFETIME;
    private LatencyModel latencyModel =
        LatencyModel.fromSystem(System::getProperty, System::getenv).orElse(null);

    private Builder() {}

    /** The dialect; default {@link FakeDialect#APPTAINER_1}. */
    public Builder dialect(FakeDialect dialect) {
      this.dialect = dialect;
      return this;
    }

    /** The version reported (e.g. {@code 1.2.5}); default {@link FakeDialect#defaultVersion()}. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** The host name in log paths and instances; default {@code fakehost}. */
    public Builder hostName(String hostName) {
      this.hostName = hostName;
      return this;
    }

    /** The user name in log paths; default the JVM's {@code user.name}. */
    public Builder userName(String userName) {
      this.userName = userName;
      return this;
    }

    /** The emulated home directory (absolute); default see {@link Builder}. */
    public Builder homeDirectory(String homeDirectory) {
      this.homeDirectory = homeDirectory;
      return this;
    }

    /** Adds (or replaces) an image, by its {@link FakeImage#path()}. */
    public Builder image(FakeImage image) {
      images.put(image.path(), image);
      return this;
    }

    /** Adds a plain image at {@code path}. */
    public Builder image(String path) {
      return image(FakeImage.of(path));
    }

    /** Treats every image path as an existing plain image (default: only known images exist). */
    public Builder anyImageExists() {
      this.anyImageExists = true;
      return this;
    }

    /**
     * Answers {@code exec TARGET COMMAND...} with {@code response}; {@code target} is an instance
     * name (for {@code instance://NAME}), an image path, or {@code *} for any. The command must
     * match exactly. Earlier rules win.
     */
    public Builder respondToExec(String target, List<String> command, ScriptedResponse response) {
      execRules.add(new RuntimeConfig.ExecRule(target, List.copyOf(command), false, response));
      return this;
    }

    /** Like {@link #respondToExec} for every command that starts with {@code commandPrefix}. */
    public Builder respondToExecPrefix(
        String target, List<String> commandPrefix, ScriptedResponse response) {
      execRules.add(new RuntimeConfig.ExecRule(target, List.copyOf(commandPrefix), true, response));
      return this;
    }

    /**
     * Answers {@code run TARGET ARGS...} with {@code response} instead of the image's runscript
     * (whose output is {@link FakeImage#runscriptStdout()} and whose exit code is 0), e.g. a
     * one-off migration that fails with exit 3. {@code target} is an instance name (for {@code
     * instance://NAME}), an image path, or {@code *} for any; the arguments after the target must
     * match exactly. As with the real binary, the flags are checked and the target must exist
     * before the runscript "runs": an unknown flag or a missing image fails first. (The real {@code
     * run} exits with its runscript's exit code; the fake's runscripts exit 0 unless scripted.)
     * Earlier rules win.
     */
    public Builder respondToRun(String target, List<String> args, ScriptedResponse response) {
      runRules.add(new RuntimeConfig.ExecRule(target, List.copyOf(args), false, response));
      return this;
    }

    /**
     * Answers any invocation whose arguments (after global flags, from the command word on) contain
     * {@code arguments} in this order, e.g. {@code List.of("pull", "docker://redis:7")} with a
     * failure, or {@code List.of("instance", "list")} with {@link ScriptedResponse#hang()}. Checked
     * before anything else; earlier rules win.
     */
    public Builder respondToCommand(List<String> arguments, ScriptedResponse response) {
      commandRules.add(new RuntimeConfig.CommandRule(List.copyOf(arguments), response));
      return this;
    }

    /**
     * Makes {@code instance start} of {@code name} fail with {@code exitCode} and {@code FATAL:
     * message} on stderr.
     */
    public Builder failStart(String name, int exitCode, String message) {
      startFailures.put(name, new RuntimeConfig.StartFailure(exitCode, message));
      return this;
    }

    /** Makes instance {@code name} crash (vanish from the listing) {@code after} its start. */
    public Builder crashAfter(String name, Duration after) {
      crashAfter.put(name, after);
      return this;
    }

    /**
     * Makes {@code instance start} of {@code name} report success while the instance dies at once
     * (recorded from SingularityCE 3.4.2 under load: exit status 151 in the daemon); it is never
     * listed.
     */
    public Builder dieAtStart(String name) {
      diesAtStart.add(name);
      return this;
    }

    /** Makes {@code instance start} of {@code name} hang (for timeout tests). */
    public Builder hangAtStart(String name) {
      hangsAtStart.add(name);
      return this;
    }

    /** Time every {@code instance start} takes; default 0 (the real one: about 0.3 s). */
    public Builder startLatency(Duration latency) {
      this.startLatency = latency;
      return this;
    }

    /** Time {@code instance start} of {@code name} takes (overrides {@link #startLatency}). */
    public Builder startLatency(String name, Duration latency) {
      startLatencies.put(name, latency);
      return this;
    }

    /**
     * How long a stopped instance stays listed (and its name taken); default 0. Recorded from
     * SingularityCE 3.4.2: 2 to 3 s after a stop that ended in a kill.
     */
    public Builder stillListedAfterStop(Duration duration) {
      this.stillListedAfterStop = duration;
      return this;
    }

    /**
     * Like {@link #stillListedAfterStop}, only for stops that ended in a kill (timeout or {@code
     * --force}), which is where SingularityCE 3.4.2 was recorded lagging; default 0.
     */
    public Builder stillListedAfterKill(Duration duration) {
      this.stillListedAfterKill = duration;
      return this;
    }

    /** The first fake PID (in-memory form); default 20000. */
    public Builder firstPid(long firstPid) {
      this.firstPid = firstPid;
      return this;
    }

    /**
     * A variable of the environment the in-JVM transport's commands start from (where {@code
     * SINGULARITYENV_X}/{@code APPTAINERENV_X} are looked up); default none.
     */
    public Builder hostEnvironment(String name, String value) {
      hostEnvironment.put(name, value);
      return this;
    }

    /**
     * The time source; default {@link FakeTimeSource#system()}. A {@link VirtualTimeSource} makes
     * latencies, crashes, stop timeouts and listing lags deterministic (in-memory only).
     */
    public Builder timeSource(FakeTimeSource timeSource) {
      this.timeSource = timeSource;
      return this;
    }

    /**
     * Keeps state in {@code directory} (file-locked, atomic writes) and runs every instance as a
     * real host process; needed by {@link FakeRuntime#installExecutable}. Default: in memory.
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = directory;
      return this;
    }

    /**
     * The longest an instance's host process lives (directory-backed runtimes, whose instances are
     * real {@code sleep} processes) when nothing stops it; default {@link
     * FakeRuntime#DEFAULT_INSTANCE_LIFETIME} (24 h). A bound, not a crash: stop the instance or
     * {@link FakeRuntime#close()} the runtime to end it earlier, and use {@link #crashAfter} to
     * script a crash. Ignored in memory (no host process).
     *
     * @throws IllegalArgumentException when {@code lifetime} is zero or negative
     */
    public Builder instanceLifetime(Duration lifetime) {
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("instance lifetime " + lifetime + " is not positive");
      }
      this.instanceLifetime = lifetime;
      return this;
    }

    /**
     * How long {@code instance start}/{@code stop} take, e.g. {@link
     * LatencyModel#singularityCe342()} for benchmarks that predict a real binary; {@code null} for
     * none. Default: none, unless the system property {@value LatencyModel#PROPERTY} or the
     * variable {@value LatencyModel#VARIABLE} names a model ({@link LatencyModel#named}). Adds to
     * {@link #startLatency} and to an image's {@link FakeImage#stopDuration()}.
     */
    public Builder latencyModel(LatencyModel model) {
      this.latencyModel = model;
      return this;
    }

    /** The runtime. */
    public FakeRuntime build() {
      return new FakeRuntime(this);
    }
  }
}
