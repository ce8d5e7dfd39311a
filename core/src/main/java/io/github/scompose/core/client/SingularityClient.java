package io.github.scompose.core.client;

import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.internal.client.ErrorMapper;
import io.github.scompose.core.internal.client.InspectParser;
import io.github.scompose.core.internal.client.InstanceListParser;
import io.github.scompose.core.internal.client.InstanceRecordListing;
import io.github.scompose.core.internal.client.LocalHostIdentity;
import io.github.scompose.core.internal.client.SecretMasker;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.CommandTimeoutException;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs typed commands against one binary over one {@link Transport}.
 *
 * <p>Every command is rendered by the binary's {@link Dialect} ({@link #dryRun} shows the argv
 * without running), logged at DEBUG through slf4j with secrets masked and only the names of
 * environment variables, then run as an argv (never a shell line). A non-zero exit becomes the most
 * specific {@link SingularityException} (see {@code io.github.scompose.core.errors}); {@link
 * #exec}/{@link #run} return the container command's exit code and throw only for the binary's own
 * errors ({@code FATAL:} with exit code 255, unknown flags). A timeout is the transport's {@link
 * CommandTimeoutException}, with the argv masked.
 *
 * <p>Environment values never reach argv: with {@link Dialect#supportsEnvFile()} they go into an
 * env file on the transport's host, written with {@link Transport#writeFile} (mode 0600, a unique
 * random name in {@link Transport#temporaryDirectory()}) and removed ({@link Transport#deleteFile})
 * when the command ends; otherwise they are {@code SINGULARITYENV_}/{@code APPTAINERENV_} variables
 * of the binary's environment (with {@code sudo}, passed by {@code --preserve-env=NAMES}).
 *
 * <p>Settings (see {@link Builder}): {@code sudo -n} prefix off by default; {@code --quiet} off;
 * command timeout {@link CommandRequest#DEFAULT_TIMEOUT}; clock and sleeper of the system; poll
 * interval 250 ms. Thread-safe.
 */
public final class SingularityClient {

  /** Default {@link Builder#pollInterval}: 250 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

  private static final Logger LOG = LoggerFactory.getLogger(SingularityClient.class);

  private final Transport transport;
  private final SingularityBinary binary;
  private final boolean sudo;
  private final boolean quiet;
  private final Duration commandTimeout;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration pollInterval;
  private volatile HostIdentity hostIdentity;
  private final HostIdentity givenHostIdentity;

  @SuppressWarnings("OptionalAssignedToNull") // null: not looked for yet
  private volatile Optional<HostIdentity> recordOwner;

  private final InstanceLogFiles logFiles;
  private final Object hostIdentityLock = new Object();

  private SingularityClient(Builder b) {
    this.transport = Objects.requireNonNull(b.transport, "transport");
    this.binary = Objects.requireNonNull(b.binary, "binary");
    this.sudo = b.sudo;
    this.quiet = b.quiet;
    this.commandTimeout = b.commandTimeout;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.pollInterval = b.pollInterval;
    this.hostIdentity = b.hostIdentity;
    this.givenHostIdentity = b.hostIdentity;
    this.logFiles = new InstanceLogFiles(this, sleeper, pollInterval);
  }

  /** A builder; {@link Builder#transport} and {@link Builder#binary} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client for the binary found on {@code transport}'s host by a {@link BinaryLocator} reading
   * {@code APPTAINER_BINARY}/{@code SINGULARITY_BINARY} from this JVM's environment, then PATH;
   * with the defaults above.
   *
   * @throws io.github.scompose.core.errors.BinaryNotFoundException when there is none
   */
  public static SingularityClient discover(Transport transport) {
    BinaryLocator locator = BinaryLocator.builder().environment(System.getenv()).build();
    return builder().transport(transport).binary(locator.locate(transport)).build();
  }

  /** The binary. */
  public SingularityBinary binary() {
    return binary;
  }

  /** The binary's dialect. */
  public Dialect dialect() {
    return binary.dialect();
  }

  /** The transport. */
  public Transport transport() {
    return transport;
  }

  // ---- rendering ------------------------------------------------------------------------------

  /**
   * The full argv {@code command} would run, without running it: {@code [sudo, -n, …,] program
   * [--quiet] args…}, with {@link RenderedCommand#ENV_FILE_PLACEHOLDER} for an env file's path.
   * Never contains environment values.
   *
   * @throws io.github.scompose.core.errors.UnknownFlagException as {@link
   *     SingularityCommand#render}
   */
  public List<String> dryRun(SingularityCommand command) {
    RenderedCommand r = command.render(dialect());
    return fullArgv(r.args(), r.environment());
  }

  private List<String> fullArgv(List<String> args, Map<String, String> environment) {
    List<String> argv = new ArrayList<>();
    if (sudo) {
      argv.add("sudo");
      argv.add("-n");
      if (!environment.isEmpty()) {
        argv.add("--preserve-env=" + String.join(",", new TreeSet<>(environment.keySet())));
      }
    }
    argv.add(binary.program());
    if (quiet) {
      argv.add("--quiet");
    }
    argv.addAll(args);
    return argv;
  }

  // ---- instance commands ------------------------------------------------------------------------

  /**
   * Starts an instance; returns when the binary does (the startscript runs on).
   *
   * @return the result; its stdout has what the startscript wrote to stderr before {@code INFO:
   *     instance started successfully} (recorded from 3.4.2)
   * @throws io.github.scompose.core.errors.InstanceAlreadyExistsException when the name is taken
   *     (also for 2-3 s after a stop: see {@link #stopAndWait})
   * @throws io.github.scompose.core.errors.ImageNotFoundException when the image does not exist
   * @throws io.github.scompose.core.errors.InvalidInstanceNameException for a name such as {@code
   *     a/b}
   */
  public CommandResult start(InstanceStart command) {
    return execute(command, Optional.of(command.name()));
  }

  /** Starts an instance with its runscript (Apptainer {@code instance run}); as {@link #start}. */
  public CommandResult start(InstanceRun command) {
    return execute(command, Optional.of(command.name()));
  }

  /** All of this user's instances. */
  public List<InstanceInfo> list() {
    return list(InstanceList.all());
  }

  /**
   * The listed instances (filtered by {@link InstanceList#name()} in the client).
   *
   * <p>Where the binary's listing is nothing but its instance records ({@link
   * Dialect#listsInstanceRecords()}: Singularity and SingularityCE 3.0 to 3.4, read in 3.4.2's
   * source), the records are read instead of running the binary, which saves its start (20-35 ms of
   * a real 3.4.2 per listing, on the path of {@code up} and {@code down}): one listing of the
   * record directory {@code <home>/.singularity/instances/sing/<host>/<user>} and of each
   * instance's folder, one read of each {@code <name>/<name>.json}; the entries are those {@code
   * instance list --json} would print (name, pid, image), in its order. Only when all of these
   * hold: the transport's files are this machine's ({@link LocalFileTransport}); no {@code sudo};
   * no {@link InstanceList#user()}; the directory exists; and it is the binary's own: on a {@link
   * LocalProcessTransport}, the binary found on {@code PATH} is an ELF executable (not a wrapper
   * script, which may keep its instances elsewhere), {@code SINGULARITY_USER} is unset, this JVM is
   * in no user namespace, and the home, host and user are the passwd home ({@code user.home}),
   * {@code /proc/sys/kernel/hostname} and {@code user.name} (not {@code $HOME}: the binary's Go
   * {@code user.Current()} reads the passwd entry); on another {@link LocalFileTransport} (the
   * testkit's in-JVM emulator), the {@link Builder#hostIdentity} given to the builder, else never.
   * On any doubt (no such directory, a record that cannot be read or parsed, a record whose name is
   * not its folder's, another {@code .json} file in a folder, an I/O error) the binary lists, as it
   * always does otherwise. A record deleted between the directory's listing and its read is left
   * out, as the binary leaves it out.
   *
   * @throws SingularityException when the binary fails or prints what cannot be parsed
   */
  public List<InstanceInfo> list(InstanceList command) {
    List<InstanceInfo> all;
    Optional<List<InstanceInfo>> recorded = recordedInstances(command);
    if (recorded.isPresent()) {
      all = recorded.get();
    } else {
      CommandResult result = execute(command, command.name());
      try {
        all = InstanceListParser.parse(result.stdout());
      } catch (IllegalArgumentException e) {
        throw new SingularityException("cannot read the instance list: " + e.getMessage(), e);
      }
    }
    return command
        .name()
        .map(n -> all.stream().filter(i -> i.name().equals(n)).toList())
        .orElse(all);
  }

  private Optional<List<InstanceInfo>> recordedInstances(InstanceList command) {
    if (!(transport instanceof LocalFileTransport files)
        || sudo
        || command.user().isPresent()
        || !dialect().listsInstanceRecords()) {
      return Optional.empty();
    }
    return recordOwner()
        .flatMap(id -> dialect().instanceRecordFolder(id.home(), id.hostname(), id.user()))
        .flatMap(folder -> InstanceRecordListing.read(files, folder));
  }

  /** Whose records the binary reads (see {@link #list(InstanceList)}); found once. */
  private Optional<HostIdentity> recordOwner() {
    Optional<HostIdentity> owner = recordOwner;
    if (owner == null) {
      if (transport instanceof LocalProcessTransport) {
        owner =
            InstanceRecordListing.isElfExecutable(binary.program())
                ? InstanceRecordListing.thisProcessOwner()
                : Optional.empty();
      } else {
        owner = Optional.ofNullable(givenHostIdentity);
      }
      LOG.debug("instance records of {}: {}", binary.program(), owner);
      recordOwner = owner;
    }
    return owner;
  }

  /** The instance named {@code name}, if listed. */
  public Optional<InstanceInfo> find(String name) {
    return list(InstanceList.named(name)).stream().findFirst();
  }

  /**
   * Stops an instance (or all). Returns when the binary does, which may be before the instance is
   * gone from the listing, or, for one instance named exactly on a transport whose files are this
   * machine's ({@link LocalFileTransport}), as soon as the binary's record of the instance is gone
   * ({@link Dialect#instanceRecordPath}, checked every {@value #RECORD_WATCH_MILLIS} ms): the
   * binary deletes it as the last step of the instance's cleanup, after the network and cgroups are
   * released. Its {@code instance stop} then only waits until the instance's dead monitor process
   * is reaped by the host's init, which some hosts do on a one-second tick (a real SingularityCE
   * 3.4.2 in a VM: record gone 0.25 s after the signal, {@code instance stop} returned 1.3–2 s
   * later); that process is then ended ({@link RunningCommand#cancel()}) and the result has exit
   * code 0 and no output. Whose record: the owner {@link #list(InstanceList)} reads the records of
   * (the passwd entry, an ELF binary; on the in-JVM emulator the given {@link
   * Builder#hostIdentity}). When there is no such owner, or the record is not there before the stop
   * (another layout, another user, {@code sudo}), the stop waits for the binary as before.
   *
   * @throws InstanceNotFoundException when there is no such instance
   * @throws SingularityException for the binary's other errors
   */
  public CommandResult stop(InstanceStop command) {
    Optional<String> record = watchableRecord(command);
    if (record.isEmpty()) {
      return execute(command, command.name());
    }
    return stopWatching(command, record.get());
  }

  /** How often {@link #stop} looks for the instance's record, in milliseconds: {@value}. */
  public static final long RECORD_WATCH_MILLIS = 20;

  private Optional<String> watchableRecord(InstanceStop command) {
    if (!(transport instanceof LocalFileTransport) || command.all() || command.name().isEmpty()) {
      return Optional.empty();
    }
    String name = command.name().get();
    if (name.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '/')) {
      return Optional.empty();
    }
    // whose records: the one rule of the listing ({@link #recordOwner})
    return recordOwner()
        .flatMap(id -> dialect().instanceRecordPath(id.home(), id.hostname(), id.user(), name))
        .filter(p -> transport.stat(p).isPresent());
  }

  private CommandResult stopWatching(InstanceStop command, String record) {
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    RunningCommand running =
        stream(
            command,
            new OutputListener() {
              @Override
              public void onStdout(String line) {
                synchronized (out) {
                  out.append(line).append('\n');
                }
              }

              @Override
              public void onStderr(String line) {
                synchronized (err) {
                  err.append(line).append('\n');
                }
              }
            });
    Instant begun = clock.instant();
    while (true) {
      if (running.completion().isDone()) {
        CommandResult r;
        try {
          r = running.completion().join();
        } catch (java.util.concurrent.CompletionException e) {
          if (e.getCause() instanceof CommandTimeoutException t) {
            throw new CommandTimeoutException(SecretMasker.mask(t.argv()), t.timeout());
          }
          throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        String stdout;
        String stderr;
        synchronized (out) {
          stdout = out.toString();
        }
        synchronized (err) {
          stderr = err.toString();
        }
        r = r.withStdout(stdout).withStderr(stderr);
        if (r.exitCode() != 0) {
          throw ErrorMapper.map(
              SecretMasker.mask(r.argv()), r.exitCode(), r.stderr(), command.name());
        }
        return r;
      }
      if (transport.stat(record).isEmpty()) {
        running.cancel();
        LOG.debug(
            "{}: its record {} is gone; the binary's stop no longer needed, ended",
            command.name().orElse(""),
            record);
        return CommandResult.builder()
            .argv(SecretMasker.mask(dryRun(command)))
            .exitCode(0)
            .stdout("")
            .stderr("")
            .duration(Duration.between(begun, clock.instant()))
            .build();
      }
      try {
        sleeper.sleep(Duration.ofMillis(RECORD_WATCH_MILLIS));
      } catch (InterruptedException e) {
        running.cancel();
        Thread.currentThread().interrupt();
        throw new SingularityException("interrupted while stopping an instance", e);
      }
    }
  }

  /**
   * Stops an instance and waits, polling {@code instance list} every poll interval, until it is no
   * longer listed or {@code maxWait} (after the stop returned) has passed. An instance that is
   * already gone counts as stopped. For {@link InstanceStop#all()}, waits until the list is empty.
   *
   * @return {@code true} when it is gone, {@code false} when still listed after {@code maxWait}
   * @throws SingularityException when the stop fails otherwise
   */
  public boolean stopAndWait(InstanceStop command, Duration maxWait) {
    try {
      stop(command);
    } catch (InstanceNotFoundException e) {
      LOG.debug("{} was already gone", command.name().orElse("instance"));
    }
    return waitUntilGone(command.name(), maxWait);
  }

  /**
   * Waits until no instance named {@code name} is listed, for at most {@code maxWait}.
   *
   * @return whether it is gone
   */
  public boolean waitUntilGone(String name, Duration maxWait) {
    return waitUntilGone(Optional.of(name), maxWait);
  }

  private boolean waitUntilGone(Optional<String> name, Duration maxWait) {
    Instant deadline = clock.instant().plus(maxWait);
    while (true) {
      List<InstanceInfo> listed = name.isPresent() ? list(InstanceList.named(name.get())) : list();
      if (listed.isEmpty()) {
        return true;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        return false;
      }
      try {
        sleeper.sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SingularityException("interrupted while waiting for an instance to stop", e);
      }
    }
  }

  // ---- exec / run ------------------------------------------------------------------------------

  /**
   * Runs a command in a container and returns its result, whatever the command's exit code.
   *
   * @throws SingularityException subclasses for the binary's own errors (e.g. {@link
   *     InstanceNotFoundException} for {@code instance://nosuch})
   */
  public CommandResult exec(Exec command) {
    return executePassingExit(command, instanceOf(command.target()));
  }

  /** Runs a runscript and returns its result, as {@link #exec}. */
  public CommandResult run(Run command) {
    return executePassingExit(command, instanceOf(command.target()));
  }

  /**
   * Runs a command in a container and returns its result for every exit code, also when the binary
   * itself could not run the command: a command missing from the container's {@code PATH} is a
   * result with exit code 255 and the binary's {@code FATAL:} line on stderr (recorded form in
   * SingularityCE 3.x: {@code "CMD": executable file not found in $PATH}), where {@link #exec}
   * throws a {@link io.github.scompose.core.errors.CommandFailedException}. What tests want, as
   * Testcontainers' {@code execInContainer} never throws on a non-zero exit.
   *
   * @throws InstanceNotFoundException when the target instance is not running (the binary's {@code
   *     no instance found}): there was nothing to run the command in
   * @throws io.github.scompose.core.errors.UnknownFlagException when the binary lacks a flag the
   *     command needs (a settings problem, not the command's result)
   */
  public CommandResult execAnyExit(Exec command) {
    return executeAnyExit(command, instanceOf(command.target()));
  }

  /** Runs a runscript and returns its result for every exit code, as {@link #execAnyExit}. */
  public CommandResult runAnyExit(Run command) {
    return executeAnyExit(command, instanceOf(command.target()));
  }

  /**
   * Starts {@code command} and streams its output lines to {@code listener} as they come. The
   * returned command's completion has the exit code; an env file is removed when it completes.
   */
  public RunningCommand execStreaming(Exec command, OutputListener listener) {
    return stream(command, listener);
  }

  /** As {@link #execStreaming}, for a runscript. */
  public RunningCommand runStreaming(Run command, OutputListener listener) {
    return stream(command, listener);
  }

  // ---- images ---------------------------------------------------------------------------------

  /** Pulls an image. */
  public CommandResult pull(Pull command) {
    return execute(command, Optional.empty());
  }

  /** Builds an image. */
  public CommandResult build(Build command) {
    return execute(command, Optional.empty());
  }

  /**
   * Inspects an image.
   *
   * @throws io.github.scompose.core.errors.ImageNotFoundException when it does not exist
   */
  public ImageInspection inspect(Inspect command) {
    String out = execute(command, Optional.empty()).stdout();
    try {
      return InspectParser.parse(out);
    } catch (IllegalArgumentException e) {
      throw new SingularityException("cannot read inspect output: " + e.getMessage(), e);
    }
  }

  /** Runs any command, mapping a non-zero exit to an exception. */
  public CommandResult execute(SingularityCommand command) {
    return execute(command, Optional.empty());
  }

  // ---- logs -----------------------------------------------------------------------------------

  /**
   * Reads an instance's logs: paths from the listing where it gives them (Apptainer, later
   * SingularityCE), else the dialect's default ({@link Dialect#defaultLogPath}) for this client's
   * {@link HostIdentity}. The instance need not be running (logs stay after stop). With {@code
   * sudo}, the binary runs as root and writes under root's home: give the builder root's {@link
   * HostIdentity} (the one asked of the host is the transport user's).
   */
  public InstanceLogs logs(String instanceName) {
    return logFiles.logs(instanceName);
  }

  /**
   * The logs from {@code from} on: the text after those byte offsets of each file, e.g. the lines
   * of the current run when {@code from} is what {@link #logSizes} gave before its start. A file
   * now shorter than its offset (removed or truncated since) is read from its start.
   */
  public InstanceLogs logs(String instanceName, LogOffsets from) {
    return logFiles.logs(instanceName, from);
  }

  /**
   * The sizes of an instance's log files now, in bytes (0 for a file that does not exist): taken
   * before an {@code instance start}, where that run's lines will begin. The paths are the
   * dialect's defaults for this client's {@link HostIdentity} ({@link Dialect#defaultLogPath}): an
   * instance about to start is not listed yet, and no {@code instance list} is spent on it. Sizes
   * come from {@link Transport#stat}, else from reading the file.
   */
  public LogOffsets logSizes(String instanceName) {
    return logFiles.sizes(instanceName);
  }

  /**
   * A follower of an instance's logs from {@code from} on (not yet started: {@link
   * LogFollower#start()}): it first delivers the lines after those offsets, then every line
   * appended later. A file shorter than its offset is followed from its start.
   */
  public LogFollower followLogs(String instanceName, LogOffsets from, LogListener listener) {
    return logFiles.follow(instanceName, from, listener);
  }

  /**
   * The last {@code lines} lines of each log (fewer when shorter).
   *
   * @throws IllegalArgumentException when {@code lines} is negative
   */
  public InstanceLogs tailLogs(String instanceName, int lines) {
    return logFiles.tail(instanceName, lines);
  }

  /**
   * A follower of an instance's logs, not yet started ({@link LogFollower#start()}); {@code
   * fromEnd} skips what the logs hold now.
   */
  public LogFollower followLogs(String instanceName, boolean fromEnd, LogListener listener) {
    return logFiles.follow(instanceName, fromEnd, listener);
  }

  /**
   * Who runs the binary on the transport's host: as given to the builder, else, on a {@link
   * LocalProcessTransport}, read without a process from the sources those commands read (the
   * environment's {@code HOME}, {@code /proc/sys/kernel/hostname}, the JVM's user name when the
   * real and effective uid are the same), else asked once with {@code printenv HOME}, {@code uname
   * -n}, {@code id -un}.
   */
  public HostIdentity hostIdentity() {
    HostIdentity id = hostIdentity;
    if (id == null) {
      // once for all threads: 16 parallel starts each asked the host (48 processes) before this
      synchronized (hostIdentityLock) {
        id = hostIdentity;
        if (id == null) {
          // on this machine: the same answers without three processes before the first start
          id =
              transport instanceof LocalProcessTransport
                  ? LocalHostIdentity.read().orElse(null)
                  : null;
          if (id == null) {
            id =
                HostIdentity.of(
                    probe("printenv", "HOME"), probe("uname", "-n"), probe("id", "-un"));
          }
          hostIdentity = id;
        }
      }
    }
    return id;
  }

  private String probe(String... argv) {
    CommandResult r =
        transport.run(
            CommandRequest.builder().addArgv(argv).timeout(Duration.ofSeconds(30)).build());
    String out = r.stdout().strip();
    if (r.exitCode() != 0 || out.isEmpty()) {
      throw new SingularityException(
          String.join(" ", argv) + " on " + transport.describe() + " failed: exit " + r.exitCode());
    }
    return out;
  }

  // ---- running --------------------------------------------------------------------------------

  private static Optional<String> instanceOf(String target) {
    return target.startsWith("instance://")
        ? Optional.of(target.substring("instance://".length()))
        : Optional.empty();
  }

  private CommandResult execute(SingularityCommand command, Optional<String> instance) {
    CommandResult r = runRendered(command);
    if (r.exitCode() != 0) {
      throw ErrorMapper.map(SecretMasker.mask(r.argv()), r.exitCode(), r.stderr(), instance);
    }
    return r;
  }

  private CommandResult executePassingExit(SingularityCommand command, Optional<String> instance) {
    CommandResult r = runRendered(command);
    if (r.exitCode() != 0 && ErrorMapper.isBinaryError(r.exitCode(), r.stderr())) {
      throw ErrorMapper.map(SecretMasker.mask(r.argv()), r.exitCode(), r.stderr(), instance);
    }
    return r;
  }

  private CommandResult executeAnyExit(SingularityCommand command, Optional<String> instance) {
    CommandResult r = runRendered(command);
    if (r.exitCode() != 0 && ErrorMapper.isBinaryError(r.exitCode(), r.stderr())) {
      SingularityException e =
          ErrorMapper.map(SecretMasker.mask(r.argv()), r.exitCode(), r.stderr(), instance);
      if (e instanceof InstanceNotFoundException
          || e instanceof io.github.scompose.core.errors.UnknownFlagException) {
        throw e;
      }
    }
    return r;
  }

  private CommandResult runRendered(SingularityCommand command) {
    RenderedCommand rendered = command.render(dialect());
    Optional<String> envFile = rendered.envFileContent().map(this::writeEnvFile);
    try {
      CommandRequest request = request(rendered, envFile);
      List<String> masked = SecretMasker.mask(request.argv());
      log(masked, request);
      try {
        return transport.run(request);
      } catch (CommandTimeoutException e) {
        throw new CommandTimeoutException(masked, e.timeout());
      }
    } finally {
      envFile.ifPresent(this::removeEnvFile);
    }
  }

  private RunningCommand stream(SingularityCommand command, OutputListener listener) {
    RenderedCommand rendered = command.render(dialect());
    Optional<String> envFile = rendered.envFileContent().map(this::writeEnvFile);
    try {
      CommandRequest request = request(rendered, envFile);
      log(SecretMasker.mask(request.argv()), request);
      RunningCommand running = transport.start(request, listener);
      envFile.ifPresent(f -> running.completion().whenComplete((r, e) -> removeEnvFile(f)));
      return running;
    } catch (RuntimeException e) {
      envFile.ifPresent(this::removeEnvFile);
      throw e;
    }
  }

  private CommandRequest request(RenderedCommand rendered, Optional<String> envFile) {
    List<String> args = envFile.map(rendered::argsWithEnvFile).orElseGet(rendered::args);
    return CommandRequest.builder()
        .argv(fullArgv(args, rendered.environment()))
        .environment(rendered.environment())
        .timeout(commandTimeout)
        .build();
  }

  private void log(List<String> maskedArgv, CommandRequest request) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "run on {}: {}{}",
          transport.describe(),
          String.join(" ", maskedArgv),
          request.environment().isEmpty()
              ? ""
              : " (environment: " + new TreeSet<>(request.environment().keySet()) + ")");
    }
  }

  /** Made when the first env file is: its set-up costs a command without one some 10 ms. */
  private static final class EnvFileNames {
    static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  }

  /**
   * Writes {@code content} to a new owner-only ({@code 0600}) file with a unique, unguessable name
   * ({@code scompose-env.} and 32 random hex digits) in the transport's temporary directory,
   * through {@link Transport#writeFile} (so on the transport's host, content never in argv);
   * returns its path.
   */
  private String writeEnvFile(String content) {
    byte[] random = new byte[16];
    EnvFileNames.RANDOM.nextBytes(random);
    String dir;
    String path;
    try {
      dir = transport.temporaryDirectory();
      path =
          (dir.endsWith("/") ? dir : dir + "/")
              + "scompose-env."
              + java.util.HexFormat.of().formatHex(random);
      transport.writeFile(
          path,
          content.getBytes(StandardCharsets.UTF_8),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (TransportException e) {
      throw new SingularityException(
          "cannot write an env file on " + transport.describe() + ": " + e.getMessage(), e);
    }
    LOG.debug("wrote env file {} on {}", path, transport.describe());
    return path;
  }

  private void removeEnvFile(String path) {
    try {
      transport.deleteFile(path);
    } catch (TransportException e) {
      LOG.warn("could not remove env file {}: {}", path, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "SingularityClient["
        + binary.program()
        + " "
        + binary.version()
        + " on "
        + transport.describe()
        + (sudo ? ", sudo" : "")
        + "]";
  }

  /** Settings of a {@link SingularityClient}. Not thread-safe. */
  public static final class Builder {
    private Transport transport;
    private SingularityBinary binary;
    private boolean sudo;
    private boolean quiet;
    private Duration commandTimeout = CommandRequest.DEFAULT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private HostIdentity hostIdentity;

    private Builder() {}

    /** Where commands run (required). */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The binary (required); see {@link BinaryLocator}. */
    public Builder binary(SingularityBinary binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /**
     * Prefix every binary call with {@code sudo -n} (never asks for a password; fails instead).
     * Default {@code false}: never decided silently.
     */
    public Builder sudo(boolean sudo) {
      this.sudo = sudo;
      return this;
    }

    /** Pass the global {@code --quiet} (only errors printed); default {@code false}. */
    public Builder quiet(boolean quiet) {
      this.quiet = quiet;
      return this;
    }

    /** Timeout of each binary call; default {@link CommandRequest#DEFAULT_TIMEOUT} (10 min). */
    public Builder commandTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("command timeout " + timeout + " is not positive");
      }
      this.commandTimeout = timeout;
      return this;
    }

    /** The clock for bounded waits; default the system's UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How waits wait; default {@link Sleeper#system()}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Interval of polls in waits and log following; default 250 ms, positive. */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("poll interval " + interval + " is not positive");
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Who runs the binary (for default log paths, and, on a {@link LocalFileTransport} that is not
     * a {@link LocalProcessTransport}, such as the testkit's in-JVM emulator, whose instance
     * records {@link SingularityClient#list(InstanceList)} may read); default: asked of the host
     * when needed.
     */
    public Builder hostIdentity(HostIdentity identity) {
      this.hostIdentity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /**
     * The client.
     *
     * @throws NullPointerException when transport or binary is missing
     */
    public SingularityClient build() {
      return new SingularityClient(this);
    }
  }
}
