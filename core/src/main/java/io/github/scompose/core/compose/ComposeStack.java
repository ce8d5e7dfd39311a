package io.github.scompose.core.compose;

import io.github.scompose.core.client.InstanceLogs;
import io.github.scompose.core.client.LogFollower;
import io.github.scompose.core.client.LogOffsets;
import io.github.scompose.core.client.LogStream;
import io.github.scompose.core.internal.compose.ProjectState;
import io.github.scompose.core.internal.compose.RunLogStarts;
import io.github.scompose.core.internal.compose.Supervision;
import io.github.scompose.core.internal.compose.Teardown;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.network.Protocol;
import io.github.scompose.network.PublishedPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A project brought up by {@link Compose#up} or {@link Compose#create} (or found with {@link
 * Compose#attach}). {@link #close()} is {@link #down()}, so try-with-resources leaves nothing
 * running. Every method reads the state file, so a handle stays right when another process changes
 * the project (a handle from {@code attach} can {@link #stop}, {@link #start}, {@link #restart},
 * {@link #run} and read logs just as the one from {@code up}). Thread-safe.
 *
 * <pre>{@code
 * try (ComposeStack stack = compose.up(project)) {
 *   stack.stop("web");              // dependents first; ps shows it EXITED
 *   stack.start();                  // what is not running, dependencies first, same addresses
 *   stack.run("app", "migrate");    // one-off runscript on the app image
 *   System.out.print(stack.logs(LogOptions.tail(20)));
 * }
 * }</pre>
 */
public final class ComposeStack implements AutoCloseable {

  private final Compose compose;
  private final String project;
  private final Path stateDirectory;
  private final List<RunningCommand> background =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean down = new AtomicBoolean();
  private final Supervision supervisor;

  /**
   * How {@link #down} finds the project's instances when both its state and records files are
   * damaged: the plan's naming and services (or the state's, for {@link Compose#attach}).
   */
  private final io.github.scompose.core.internal.compose.ProjectInstanceNames names;

  ComposeStack(
      Compose compose,
      io.github.scompose.core.internal.compose.ProjectInstanceNames names,
      Path stateDirectory,
      List<RunningCommand> background,
      Supervision supervisor) {
    this.supervisor = supervisor;
    this.compose = compose;
    this.names = names;
    this.project = names.project();
    this.stateDirectory = stateDirectory;
    this.background.addAll(background);
  }

  /** The project name. */
  public String project() {
    return project;
  }

  /** The state directory ({@code <project>/.scompose}). */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** Every instance of the project, from the state file and one {@code instance list}. */
  public List<InstanceStatus> ps() {
    return compose.engine().ps(stateDirectory);
  }

  /**
   * Every instance name the state file records, in its order (level, then service and replica),
   * without asking the binary (unlike {@link #ps()}).
   */
  public List<String> instances() {
    return compose.engine().entries(stateDirectory).stream().map(ProjectState.Entry::name).toList();
  }

  /** The instance names of {@code service}, in replica order (empty for an unknown service). */
  public List<String> instances(String service) {
    return compose.engine().entries(stateDirectory).stream()
        .filter(e -> e.service().equals(service))
        .map(ProjectState.Entry::name)
        .toList();
  }

  /**
   * The host port on which TCP port {@code containerPort} of the first replica of {@code service}
   * is reachable from this host, as Testcontainers' {@code getMappedPort}: {@link
   * #mappedPort(String, int, Protocol)} with {@link Protocol#TCP}.
   *
   * @throws IllegalArgumentException as {@link #mappedPort(String, int, Protocol)}
   */
  public int mappedPort(String service, int containerPort) {
    return mappedPort(service, containerPort, Protocol.TCP);
  }

  /**
   * The host port on which {@code containerPort} of the first replica of {@code service} is
   * reachable from this host, read from the start command {@code up} recorded for it ({@code
   * .scompose/instances.json}):
   *
   * <ul>
   *   <li>bridge network ({@code --net}): the host port of its {@code portmap=HOST:CONTAINER/PROTO}
   *       network argument. A port published without a host port ({@code ports: ["80"]}) got an
   *       ephemeral one when {@code up} planned the network, taken under the per-user lease store's
   *       lock so that concurrent projects never share it (see {@link
   *       io.github.scompose.network.NetworkPlanner}); a later {@code up} keeps it.
   *   <li>host networking (no {@code --net}: not root and no fakeroot, {@code network.enable:
   *       false}, or {@code network_mode: host}): the instance shares the host's ports, so the host
   *       port <em>is</em> {@code containerPort}, whether or not {@code ports:} lists it.
   * </ul>
   *
   * @param containerPort 1..65535
   * @throws IllegalArgumentException when the project has no such service, the port is outside
   *     1..65535, the service's instance is on a bridge and does not publish {@code containerPort},
   *     or it has no network ({@code --network none})
   * @throws IllegalStateException when the project records no start command for the instance (after
   *     {@link #down()}, or a state written by an older version)
   */
  public int mappedPort(String service, int containerPort, Protocol protocol) {
    return instanceMappedPort(first(service), containerPort, protocol);
  }

  /**
   * {@link #mappedPort(String, int, Protocol)} of one instance of the project (any replica), by
   * instance name.
   *
   * @throws IllegalArgumentException as there, naming the instance
   * @throws IllegalStateException when the project records no start command for {@code instance}
   */
  public int instanceMappedPort(String instance, int containerPort, Protocol protocol) {
    Objects.requireNonNull(protocol, "protocol");
    if (containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("port " + containerPort + " is outside 1..65535");
    }
    io.github.scompose.core.internal.compose.InstanceRecords.Record record =
        io.github.scompose.core.internal.compose.InstanceRecords.read(stateDirectory)
            .flatMap(c -> c.record(instance))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "project "
                            + project
                            + " records no start command for "
                            + instance
                            + " in "
                            + stateDirectory));
    String service = record.service();
    io.github.scompose.core.client.InstanceStart start = record.start();
    return io.github.scompose.core.client.PublishedPorts.hostPort(start, containerPort, protocol)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    start.net() && start.network().filter("none"::equals).isPresent()
                        ? "service '" + service + "' has no network (--network none)"
                        : "service '"
                            + service
                            + "' does not publish container port "
                            + containerPort
                            + "/"
                            + protocol.text()
                            + " (its ports: "
                            + io.github.scompose.core.client.PublishedPorts.of(start).stream()
                                .map(PublishedPort::text)
                                .toList()
                            + ")"));
  }

  /**
   * Runs {@code command} in the first replica of {@code service} ({@code exec instance://NAME
   * command…}) with the service's environment as the instance got it at start (see {@link
   * Compose#exec(Path, InstanceCommand)}) and returns its result, whatever its exit code (unlike
   * singularity-compose 0.1.19, the exit code is the command's). Never throws for an exit code,
   * like Testcontainers' {@code execInContainer}: a command missing from the container is a result
   * with exit code 255 and the binary's {@code FATAL:} line on stderr.
   *
   * @throws IllegalArgumentException when the project has no such service
   * @throws io.github.scompose.core.errors.InstanceNotFoundException when its instance is not
   *     running
   */
  public CommandResult exec(String service, String... command) {
    return exec(service, Map.of(), command);
  }

  /**
   * {@link #exec(String, String...)} with {@code environment} added to, or overriding, the
   * service's ({@code docker compose exec -e K=V}). Values never appear in argv. Returns the result
   * whatever its exit code, as {@link #exec(String, String...)}.
   *
   * @throws IllegalArgumentException when the project has no such service
   * @throws io.github.scompose.core.errors.InstanceNotFoundException when its instance is not
   *     running
   */
  public CommandResult exec(String service, Map<String, String> environment, String... command) {
    return compose
        .engine()
        .exec(
            stateDirectory,
            InstanceCommand.builder()
                .instance(first(service))
                .addArgs(command)
                .environment(environment)
                .build());
  }

  /**
   * {@link Compose#exec(Path, InstanceCommand)} on this project: the result whatever its exit code.
   */
  public CommandResult exec(InstanceCommand command) {
    return compose.engine().exec(stateDirectory, command);
  }

  /**
   * {@code run instance://NAME args…} in the first replica of {@code service}, with the service's
   * environment as the instance got it (see {@link Compose#runInInstance(Path, InstanceCommand)}).
   *
   * @return the result, whatever its exit code
   * @throws IllegalArgumentException when the project has no such service
   */
  public CommandResult runInInstance(String service, String... args) {
    return compose.engine().runInInstance(stateDirectory, InstanceCommand.of(first(service), args));
  }

  /** {@link Compose#runInInstance(Path, InstanceCommand)} on this project. */
  public CommandResult runInInstance(InstanceCommand command) {
    return compose.engine().runInInstance(stateDirectory, command);
  }

  private String first(String service) {
    List<String> names = instances(service);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no service '" + service + "' in project " + project);
    }
    return names.get(0);
  }

  /**
   * The last {@code lines} lines of the logs of every instance of {@code service}, each line
   * prefixed with {@code "<instance> | "}, {@code .err} lines after {@code .out} lines of the same
   * instance. The binary appends to log files across runs, so earlier runs' lines can appear.
   */
  public String logs(String service, int lines) {
    StringBuilder b = new StringBuilder();
    for (String name : instances(service)) {
      InstanceLogs logs = compose.client().tailLogs(name, lines);
      prefix(b, name, logs.out());
      prefix(b, name, logs.err());
    }
    return b.toString();
  }

  private static void prefix(StringBuilder b, String name, String text) {
    if (text.isEmpty()) {
      return;
    }
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        b.append(name).append(" | ").append(line).append('\n');
      }
    }
  }

  // ---- stop / start / restart / run

  /**
   * Stops the running instances of {@code services} (all when none are given); see {@link
   * Compose#stop}. They stay in the project ({@code ps}: EXITED) and restart policies leave them
   * alone until {@link #start}.
   *
   * @return the instances stopped, highest dependency level first
   * @throws IllegalStateException after {@link #down()} (no state file)
   * @throws IllegalArgumentException naming an unknown service
   */
  public List<String> stop(String... services) {
    return compose.engine().stop(stateDirectory, null, services);
  }

  /**
   * {@link #stop(String...)} with {@code instance stop --timeout} (whole seconds; default: the
   * engine's {@link Compose.Builder#stopTimeout}).
   */
  public List<String> stop(Duration timeout, String... services) {
    return compose.engine().stop(stateDirectory, Objects.requireNonNull(timeout), services);
  }

  /**
   * Starts the recorded instances of {@code services} (all when none are given) that are not
   * running, dependencies first, with the start commands {@code up}/{@code create} recorded (same
   * addresses); see {@link Compose#start}. Like {@code up}, an instance whose {@code depends_on}
   * says {@code condition: service_healthy} starts only once that dependency's healthcheck passed.
   *
   * @return the instances started
   * @throws IllegalStateException after {@link #down()}
   * @throws IllegalArgumentException naming an unknown service
   * @throws ComposeOperationException when a start fails or a required dependency never becomes
   *     healthy; what this start started is stopped first
   */
  public List<String> start(String... services) {
    return compose.engine().start(stateDirectory, background::add, services);
  }

  /**
   * {@link #stop(String...)} then {@link #start(String...)} (which waits for {@code
   * service_healthy} dependencies).
   *
   * @return the instances started
   */
  public List<String> restart(String... services) {
    compose.engine().stop(stateDirectory, null, services);
    return compose.engine().start(stateDirectory, background::add, services);
  }

  /** {@link #restart(String...)} with a stop timeout (whole seconds). */
  public List<String> restart(Duration timeout, String... services) {
    compose.engine().stop(stateDirectory, Objects.requireNonNull(timeout), services);
    return compose.engine().start(stateDirectory, background::add, services);
  }

  /**
   * One-off {@code run} of {@code service}'s image (not in an instance) with the binds, environment
   * and options recorded for its first replica; see {@link Compose#run}. Environment values never
   * appear in argv.
   *
   * @return the result, whatever its exit code (the runscript's is passed through)
   * @throws IllegalArgumentException when the project records no such service
   * @throws io.github.scompose.core.errors.SingularityException for the binary's own errors
   */
  public CommandResult run(String service, String... args) {
    return compose.engine().runState(stateDirectory, service, args);
  }

  // ---- logs

  /**
   * The logs of the instances of {@link LogOptions#services()} (every service when empty), merged:
   * per instance its {@code .out} lines then its {@code .err} lines, each prefixed {@code
   * "<service>-<n> | "} with the labels padded to one width ({@code docker compose logs} style),
   * instances in the state file's order. Only the instance's current run: the binary appends to its
   * log files across runs of the same name, so {@code up} records where each file ended before it
   * started the instance ({@code .scompose/logs.json}) and this reads from there; an instance
   * without such a record (started by {@code create}/{@code start}, or by an older version) shows
   * its whole files. With {@link LogOptions#tail()}, the last N lines of each file's run; with
   * {@link LogOptions#since()}, see there. Stopped instances have logs too (the files stay).
   *
   * @throws IllegalArgumentException naming a service the project does not record
   */
  public String logs(LogOptions options) {
    StringBuilder b = new StringBuilder();
    logLines(options).forEach(l -> b.append(l.line()).append('\n'));
    return b.toString();
  }

  /**
   * The lines of {@link #logs(LogOptions)}, one value per line ({@link ComposeLogLine#time()}
   * empty: the files carry no times).
   */
  public List<ComposeLogLine> logLines(LogOptions options) {
    List<ProjectState.Entry> entries = selected(options);
    Map<String, RunLogStarts.Start> starts = RunLogStarts.read(stateDirectory);
    int width = width(entries);
    List<ComposeLogLine> out = new ArrayList<>();
    for (ProjectState.Entry e : entries) {
      RunLogStarts.Start run = starts.get(e.name());
      InstanceLogs logs = compose.client().logs(e.name(), offsets(run));
      if (!changedSince(logs, run, options)) {
        continue;
      }
      addLines(out, e, width, LogStream.OUT, tail(logs.out(), options));
      addLines(out, e, width, LogStream.ERR, tail(logs.err(), options));
    }
    return out;
  }

  /**
   * A follower of the merged logs (not yet started: call {@link ComposeLogFollower#start()}, and
   * close it when done). It first delivers what {@link #logs(LogOptions)} would show (the current
   * runs' lines, the last {@link LogOptions#tail()} of each file, or all), with no {@link
   * ComposeLogLine#time()}, then every line appended later, with the time it was read (on the
   * engine's clock, within the client's poll interval of its writing), each with the same prefix.
   * Follows the instances recorded now.
   *
   * @throws IllegalArgumentException naming a service the project does not record
   */
  public ComposeLogFollower followLogs(LogOptions options, ComposeLogListener listener) {
    Objects.requireNonNull(listener, "listener");
    List<ProjectState.Entry> entries = selected(options);
    Map<String, RunLogStarts.Start> starts = RunLogStarts.read(stateDirectory);
    int width = width(entries);
    List<LogFollower> followers = new ArrayList<>();
    for (ProjectState.Entry e : entries) {
      RunLogStarts.Start run = starts.get(e.name());
      InstanceLogs now = compose.client().logs(e.name(), offsets(run));
      boolean shown = changedSince(now, run, options);
      Map<LogStream, Integer> existing = new EnumMap<>(LogStream.class);
      Map<LogStream, Integer> skip = new EnumMap<>(LogStream.class);
      for (LogStream st : LogStream.values()) {
        int lines = completeLines(st == LogStream.OUT ? now.out() : now.err());
        existing.put(st, lines);
        skip.put(
            st,
            !shown
                ? lines
                : options.tail().isPresent() ? Math.max(0, lines - options.tail().getAsInt()) : 0);
      }
      String prefix = prefix(e, width);
      Map<LogStream, AtomicInteger> seen = new EnumMap<>(LogStream.class);
      for (LogStream st : LogStream.values()) {
        seen.put(st, new AtomicInteger());
      }
      followers.add(
          compose
              .client()
              .followLogs(
                  e.name(),
                  offsets(run),
                  (stream, text) -> {
                    int n = seen.get(stream).incrementAndGet();
                    if (n <= skip.get(stream)) {
                      return;
                    }
                    listener.onLine(
                        ComposeLogLine.builder().service(e.service()).instance(e.name()).stream(
                                stream)
                            .prefix(prefix)
                            .text(text)
                            .time(
                                n > existing.get(stream)
                                    ? Optional.of(compose.engine().now())
                                    : Optional.empty())
                            .build());
                  }));
    }
    return new ComposeLogFollower(followers);
  }

  private static LogOffsets offsets(RunLogStarts.Start run) {
    return run == null ? LogOffsets.start() : run.offsets();
  }

  /**
   * Whether an instance's logs may hold lines written at or after {@link LogOptions#since()}: its
   * run began then or later, or one of its log files was modified then or later (or cannot be
   * looked at); always without {@code since}.
   */
  private boolean changedSince(InstanceLogs logs, RunLogStarts.Start run, LogOptions options) {
    if (options.since().isEmpty()) {
      return true;
    }
    java.time.Instant since = options.since().get();
    if (run != null && !run.startedAt().isBefore(since)) {
      return true;
    }
    for (String path : List.of(logs.outPath(), logs.errPath())) {
      Optional<io.github.scompose.core.transport.FileStamp> stamp =
          compose.client().transport().stat(path);
      if (stamp.isEmpty() || !stamp.get().modified().isBefore(since)) {
        return true;
      }
    }
    return false;
  }

  /** The last {@link LogOptions#tail()} lines of {@code text} (all without a tail). */
  private static String tail(String text, LogOptions options) {
    if (options.tail().isEmpty() || text.isEmpty()) {
      return text;
    }
    int n = options.tail().getAsInt();
    if (n == 0) {
      return "";
    }
    int end = text.endsWith("\n") ? text.length() - 1 : text.length();
    int pos = end;
    for (int i = 0; i < n; i++) {
      int nl = text.lastIndexOf('\n', pos - 1);
      if (nl < 0) {
        return text;
      }
      pos = nl;
    }
    return text.substring(pos + 1);
  }

  /** The lines of {@code text} that end in a newline (a follower delivers only those). */
  private static int completeLines(String text) {
    return (int) text.chars().filter(c -> c == '\n').count();
  }

  private List<ProjectState.Entry> selected(LogOptions options) {
    List<ProjectState.Entry> all = compose.engine().entries(stateDirectory);
    List<ProjectState.Entry> out = new ArrayList<>();
    if (options.services().isEmpty()) {
      return all;
    }
    for (String svc : options.services()) {
      List<ProjectState.Entry> mine = all.stream().filter(e -> e.service().equals(svc)).toList();
      if (mine.isEmpty()) {
        throw new IllegalArgumentException("no service '" + svc + "' in project " + project);
      }
      out.addAll(mine);
    }
    return out;
  }

  private static String label(ProjectState.Entry e) {
    return e.service() + "-" + e.replica();
  }

  private static int width(List<ProjectState.Entry> entries) {
    return entries.stream().mapToInt(e -> label(e).length()).max().orElse(0);
  }

  private static String prefix(ProjectState.Entry e, int width) {
    String l = label(e);
    return l + " ".repeat(Math.max(0, width - l.length())) + " | ";
  }

  private static void addLines(
      List<ComposeLogLine> out, ProjectState.Entry e, int width, LogStream stream, String text) {
    if (text.isEmpty()) {
      return;
    }
    String p = prefix(e, width);
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    for (String line : t.split("\n", -1)) {
      out.add(
          ComposeLogLine.builder().service(e.service()).instance(e.name()).stream(stream)
              .prefix(p)
              .text(line)
              .build());
    }
  }

  /**
   * Runs one restart-policy round now: one {@code instance list}, then every gone instance whose
   * policy asks for it is started again. Does nothing for a handle from {@link Compose#attach}, a
   * project without restart policies, or after {@link #down()}.
   *
   * @return the instances started again
   */
  public List<String> superviseOnce() {
    return supervisor == null ? List.of() : supervisor.pollOnce();
  }

  /**
   * Stops the project (see {@link Compose#down}); once it succeeded, later calls do nothing. When
   * it fails (a stop failed, the state file could not be removed), the project stays recorded and a
   * later {@code down()} or {@code close()} tries again.
   *
   * @return the instances stopped; empty on calls after a successful one
   */
  public List<String> down() {
    return down(null);
  }

  /**
   * {@link #down()} with {@code timeout} as {@code instance stop --timeout} for this call (see
   * {@link Compose#down(Path, Duration)}).
   *
   * @param timeout whole seconds, at least 1 s; {@code null} for the engine's stop timeout
   * @return the instances stopped; empty on calls after a successful down
   * @throws IllegalArgumentException when {@code timeout} is under one second
   */
  public synchronized List<String> down(Duration timeout) {
    Teardown.requireStopTimeout(timeout);
    if (down.get()) {
      return List.of();
    }
    if (supervisor != null) {
      supervisor.stop();
    }
    synchronized (background) {
      background.forEach(RunningCommand::cancel);
    }
    List<String> stopped = compose.engine().down(stateDirectory, timeout, names, false);
    down.set(true);
    return stopped;
  }

  /** {@link #down()}. */
  @Override
  public void close() {
    down();
  }

  @Override
  public String toString() {
    return "ComposeStack[" + project + " at " + stateDirectory + "]";
  }
}
