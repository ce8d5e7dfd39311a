package io.github.scompose.core.compose;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stub runtime for the compose operations tests (after {@link RecordingTransport}): {@code
 * instance start/run/list/stop} (the listing shows each instance's {@code IP=} network arg, as
 * 3.4.2's {@code --json} list has {@code ip}), one-off {@code run IMAGE} with a chosen exit code,
 * {@code pull}/{@code build} that create their destination, {@code stat -L -c %s}, and log files.
 * Records every request (argv and environment).
 */
final class ComposeOpsRuntime implements LocalFileTransport {

  private static final Set<String> VALUE_FLAGS =
      Set.of(
          "--bind",
          "--network",
          "--network-args",
          "--hostname",
          "--env-file",
          "--home",
          "--pwd",
          "--overlay",
          "--app");

  final List<CommandRequest> requests = new ArrayList<>();
  final Map<String, Long> running = new LinkedHashMap<>();
  final Map<String, String> ips = new ConcurrentHashMap<>();
  final Map<String, List<String>> startArgv = new ConcurrentHashMap<>();
  final Map<String, Integer> startCalls = new ConcurrentHashMap<>();

  /** Instance → the start calls (1-based) after which it is dead at once. */
  final Map<String, Set<Integer>> dieOnCalls = new HashMap<>();

  final Map<String, Integer> runExit = new ConcurrentHashMap<>();

  /**
   * Exit codes of {@code exec instance://NAME …} (healthchecks), by instance, taken in order (then
   * 0); a failing one prints {@link #execOutput} on stdout. An instance not running gives 255.
   */
  final Map<String, java.util.Deque<Integer>> execExits = new ConcurrentHashMap<>();

  final Map<String, String> execOutput = new ConcurrentHashMap<>();
  final Map<String, String> files = new ConcurrentHashMap<>();
  final List<String> stopOrder = new ArrayList<>();
  private final AtomicLong pids = new AtomicLong(2000);
  volatile String failCommand;

  /**
   * Instances whose start times out on the transport after the daemon forked: listed, and the start
   * throws a {@link io.github.scompose.core.transport.TransportException}.
   */
  final Set<String> timeoutOnStart = ConcurrentHashMap.newKeySet();

  /** Instances whose {@code instance stop} fails (exit 255, not "no instance found"). */
  final Set<String> failStop = ConcurrentHashMap.newKeySet();

  /** Called with the instance name before each {@code instance start/run}. */
  volatile java.util.function.Consumer<String> beforeStart = name -> {};

  /** Called with the instance name after each successful {@code instance stop}. */
  volatile java.util.function.Consumer<String> afterStop = name -> {};

  synchronized List<List<String>> argvs() {
    return requests.stream().map(CommandRequest::argv).toList();
  }

  synchronized long count(String... words) {
    return argvs().stream().filter(a -> a.containsAll(Arrays.asList(words))).count();
  }

  /** The instances started with {@code instance start} or {@code instance run}, in order. */
  synchronized List<String> startedNames() {
    List<String> out = new ArrayList<>();
    for (List<String> a : argvs()) {
      int i = a.indexOf("start");
      if (i < 0) {
        i = a.indexOf("run");
      }
      if (i > 0 && a.get(i - 1).equals("instance")) {
        out.add(a.get(a.size() - 1));
      }
    }
    return out;
  }

  @Override
  public CommandResult run(CommandRequest request) {
    List<String> argv = request.argv();
    synchronized (this) {
      requests.add(request);
    }
    List<String> a = new ArrayList<>(argv.subList(1, argv.size()));
    a.remove("--quiet");
    if (!a.isEmpty() && a.get(0).equals(failCommand)) {
      return RecordingTransport.result(argv, 255, "", "FATAL:   While making image: failed\n");
    }
    if (a.size() >= 2 && a.get(0).equals("instance")) {
      switch (a.get(1)) {
        case "start", "run" -> {
          return start(argv, a.subList(2, a.size()));
        }
        case "list" -> {
          return RecordingTransport.result(argv, 0, listJson(), "");
        }
        case "stop" -> {
          String name = a.get(a.size() - 1);
          if (Thread.currentThread().isInterrupted()) {
            // as LocalProcessTransport: an interrupted caller's wait fails, the stop is not done
            throw new io.github.scompose.core.transport.TransportException(
                "interrupted while waiting for " + argv.get(0));
          }
          if (failStop.contains(name)) {
            return RecordingTransport.result(
                argv, 255, "", "FATAL:   could not stop " + name + ": signal refused\n");
          }
          synchronized (this) {
            stopOrder.add(name);
            if (running.remove(name) == null) {
              return RecordingTransport.result(
                  argv, 255, "", "FATAL:   no instance found with name " + name + "\n");
            }
          }
          afterStop.accept(name);
          return RecordingTransport.result(argv, 0, "", "");
        }
        default -> {}
      }
    }
    if (!a.isEmpty() && (a.get(0).equals("pull") || a.get(0).equals("build"))) {
      // pull [--force] DEST URI; build [--fakeroot] [--force] DEST SPEC
      String dest = a.get(a.size() - 2);
      files.put(dest, a.get(0) + "ed image bytes");
      return RecordingTransport.result(argv, 0, "", "");
    }
    if (!a.isEmpty() && a.get(0).equals("exec")) {
      String target = a.get(skipFlags(a, 1));
      if (target.startsWith("instance://")) {
        String name = target.substring("instance://".length());
        synchronized (this) {
          if (!running.containsKey(name)) {
            return RecordingTransport.result(
                argv, 255, "", "FATAL:   no instance found with name " + name + "\n");
          }
        }
        java.util.Deque<Integer> q = execExits.get(name);
        Integer exit = q == null ? null : q.poll();
        return exit == null || exit == 0
            ? RecordingTransport.result(argv, 0, "", "")
            : RecordingTransport.result(argv, exit, execOutput.getOrDefault(name, ""), "");
      }
    }
    if (!a.isEmpty() && a.get(0).equals("run")) {
      String target = a.get(skipFlags(a, 1));
      Integer exit = runExit.get(target);
      return RecordingTransport.result(argv, exit == null ? 0 : exit, "ran " + target + "\n", "");
    }
    return RecordingTransport.result(argv, 0, "", "");
  }

  private static int skipFlags(List<String> args, int from) {
    int i = from;
    while (i < args.size() && args.get(i).startsWith("-")) {
      i += VALUE_FLAGS.contains(args.get(i)) ? 2 : 1;
    }
    return i;
  }

  private CommandResult start(List<String> argv, List<String> args) {
    int i = skipFlags(args, 0);
    String name = args.get(i + 1);
    int call = startCalls.merge(name, 1, Integer::sum);
    beforeStart.accept(name);
    if (timeoutOnStart.contains(name)) {
      synchronized (this) {
        running.put(name, pids.incrementAndGet());
      }
      throw new io.github.scompose.core.transport.TransportException(
          "instance start " + name + " timed out after 30 s");
    }
    synchronized (this) {
      if (running.containsKey(name)) {
        return RecordingTransport.result(
            argv, 255, "", "FATAL:   instance " + name + " already exists\n");
      }
      startArgv.put(name, List.copyOf(argv));
      if (dieOnCalls.getOrDefault(name, Set.of()).contains(call)) {
        files.merge(logPath(name, ".err"), "daemon exited with status 151\n", String::concat);
        return RecordingTransport.result(argv, 0, "INFO:    instance started successfully\n", "");
      }
      for (int k = 0; k + 1 < args.size(); k++) {
        if (args.get(k).equals("--network-args") && args.get(k + 1).startsWith("IP=")) {
          ips.put(name, args.get(k + 1).substring(3));
        }
      }
      running.put(name, pids.incrementAndGet());
    }
    return RecordingTransport.result(argv, 0, "INFO:    instance started successfully\n", "");
  }

  static String logPath(String name, String ext) {
    return "/home/u/.singularity/instances/logs/host/u/" + name + ext;
  }

  private synchronized String listJson() {
    StringBuilder b = new StringBuilder("{\n\t\"instances\": [");
    boolean first = true;
    for (Map.Entry<String, Long> e : running.entrySet()) {
      b.append(first ? "\n" : ",\n");
      first = false;
      b.append("\t\t{\"instance\": \"")
          .append(e.getKey())
          .append("\", \"pid\": ")
          .append(e.getValue())
          .append(", \"ip\": \"")
          .append(ips.getOrDefault(e.getKey(), ""))
          .append("\", \"img\": \"/x.sif\"}");
    }
    return b.append("\n\t]\n}\n").toString();
  }

  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    return RecordingTransport.finished(run(request));
  }

  /** Directories made through {@link #createDirectories}: recorded only, as on a remote host. */
  final Set<String> directories = ConcurrentHashMap.newKeySet();

  @Override
  public void createDirectories(String path) {
    directories.add(path);
  }

  /** The files of {@link #files}: their size in bytes, all modified at the epoch. */
  @Override
  public Optional<FileStamp> stat(String path) {
    String s = files.get(path);
    return s == null
        ? Optional.empty()
        : Optional.of(FileStamp.of(s.getBytes(StandardCharsets.UTF_8).length, Instant.EPOCH));
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    String s = files.get(path);
    if (s == null) {
      return Optional.empty();
    }
    byte[] all = s.getBytes(StandardCharsets.UTF_8);
    int from = (int) Math.min(offset, all.length);
    return Optional.of(Arrays.copyOfRange(all, from, all.length));
  }

  @Override
  public String describe() {
    return "compose ops stub";
  }

  @Override
  public void close() {}
}
