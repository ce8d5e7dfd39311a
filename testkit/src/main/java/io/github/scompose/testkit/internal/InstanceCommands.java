package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.internal.Emulator.Outcome;
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
 * {@code instance start} (and Apptainer's {@code instance run}), {@code instance list} and {@code
 * instance stop} of the emulator, and the programmatic access to its instances (snapshots, crash,
 * logs, stop all). Thread-safe (state changes go through the {@link InstanceStore}).
 */
final class InstanceCommands extends EmulatorCommands {

  /** Instance names the real binary accepts (SingularityCE 3.4 source, {@code CheckName}). */
  static final Pattern NAME_RULE = Pattern.compile("^[a-zA-Z0-9._-]+$");

  private final Latencies latencies;

  InstanceCommands(RuntimeConfig config, InstanceStore store, FakeTimeSource time) {
    super(config, store, time);
    this.latencies = new Latencies(java.util.Optional.ofNullable(config.latencyModel()));
  }

  Outcome instanceStart(Out out, Request r) throws InterruptedException {
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

  private String stateJson(InstanceRecord record) {
    StringBuilder json = new StringBuilder("{\"pid\":").append(record.pid());
    json.append(",\"ppid\":").append(Math.max(1, record.pid() - 1)).append(",\"name\":");
    GoJson.string(json, record.name());
    json.append(",\"user\":");
    GoJson.string(json, config.userName());
    json.append(",\"image\":");
    GoJson.string(json, record.image());
    // 3.4.2's shape (recorded: pid, ppid, name, user, image, config; its source adds userns):
    // config is the engine's configuration as base64 (Go's []byte in JSON), here a short stand-in
    StringBuilder engine = new StringBuilder("{\"engineName\":\"singularity\",\"containerID\":");
    GoJson.string(engine, record.name());
    engine.append('}');
    json.append(",\"config\":\"")
        .append(
            java.util.Base64.getEncoder()
                .encodeToString(
                    engine.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .append("\",\"userns\":false}");
    return json.toString();
  }

  /**
   * The names in {@code path}, a folder of the record tree ({@link
   * RuntimeConfig#stateFileDirectory} or below), as the real binary's records would have them now:
   * instances that left the listing (died, lingered long enough after a stop) are purged first, so
   * the records are exactly what {@code instance list} prints. Empty when there is no such folder.
   */
  Optional<List<String>> recordDirectory(String path) {
    return store.transact(
        state -> {
          purge(state);
          return store.listDirectory(path);
        });
  }

  Outcome instanceList(Out out, Request r) {
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

  Outcome instanceStop(Out out, Request r) throws InterruptedException {
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
    List<Pattern> globs = r.positionals().stream().map(InstanceCommands::glob).toList();
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
    int cleanStops = 0;
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
              // the record goes when the instance leaves the listing: the binary lists records
              store.removeFile(stateFile(target.name()));
            } else {
              state.instances.put(target.name(), current.stoppedUntil(time.now().plus(keep)));
              state.deadline(time.now().plus(keep));
            }
            return null;
          });
      cleanStops += killed ? 0 : 1;
    }
    if (cleanStops > 0) {
      // the binary then waits for the host's init to reap the instances' monitor processes
      latencies.reap(time);
    }
    return out.outcome();
  }

  // ---- programmatic access --------------------------------------------------------------------

  /** Snapshots of the listed instances, sorted by name. */
  List<FakeInstance> instances() {
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
  boolean crash(String name) {
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
  void appendLog(String name, String stdout, String stderr) {
    store.appendFile(logPath(name, "out"), stdout);
    store.appendFile(logPath(name, "err"), stderr);
  }

  /** The log file path of instance {@code name}; {@code suffix} {@code out} or {@code err}. */
  String logFile(String name, String suffix) {
    return logPath(name, suffix);
  }

  /** {@code lifetime} (null: until stopped) capped at {@code bound}. */
  static Duration bounded(Duration lifetime, Duration bound) {
    return lifetime == null || lifetime.compareTo(bound) > 0 ? bound : lifetime;
  }

  /** Ends every instance's process and forgets all instances (logs stay). */
  void stopAll() {
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
