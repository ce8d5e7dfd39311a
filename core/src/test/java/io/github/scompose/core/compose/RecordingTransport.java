package io.github.scompose.core.compose;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stub runtime behind the {@link Transport} SPI for engine tests: understands {@code instance
 * start/list/stop}, {@code exec}, {@code run}, {@code pull}, {@code build} of SingularityCE 3.4.2
 * closely enough for the engine, records every argv, and can be told to fail a start, to let a
 * start "succeed" while the instance dies at once (never listed), or to hold starts at a latch so
 * that concurrency can be measured without sleeps. The testkit's emulator replaces it for the final
 * engine tests.
 */
final class RecordingTransport implements LocalFileTransport {

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
          "--app",
          "--apply-cgroups",
          "--cpus",
          "--memory",
          "--pids-limit",
          "--scratch");

  final List<List<String>> argvs = new ArrayList<>();
  final Map<String, Long> running = new LinkedHashMap<>();
  final Map<String, Integer> startCalls = new ConcurrentHashMap<>();
  final List<String> stopped = new ArrayList<>();
  final Map<String, Integer> failStart = new HashMap<>();
  final Map<String, Integer> dieAtStart = new HashMap<>();
  final Map<String, java.util.Deque<Integer>> execExits = new ConcurrentHashMap<>();
  final Map<String, String> files = new ConcurrentHashMap<>();
  final AtomicInteger inStart = new AtomicInteger();
  final AtomicInteger maxInStart = new AtomicInteger();
  private final AtomicLong pids = new AtomicLong(1000);
  volatile CountDownLatch startGate;
  volatile String failCommand;

  /** Exit codes of one-off runs of an image ({@code run IMAGE}/{@code exec IMAGE}), by image. */
  final Map<String, Integer> imageExits = new ConcurrentHashMap<>();

  /** Exit codes of host commands (argv[0] not the binary), by argv[0]. */
  final Map<String, Integer> hostExits = new ConcurrentHashMap<>();

  /** Standard output of host commands, by argv[0] (default "host said hi"). */
  final Map<String, String> hostStdout = new ConcurrentHashMap<>();

  /** Working directories host commands ran in, by argv[0]. */
  final Map<String, String> hostDirs = new ConcurrentHashMap<>();

  synchronized List<String> startedNames() {
    List<String> out = new ArrayList<>();
    for (List<String> a : argvs) {
      int i = a.indexOf("start");
      if (i > 0 && a.get(i - 1).equals("instance")) {
        out.add(a.get(a.size() - 1));
      }
    }
    return out;
  }

  synchronized List<List<String>> argvs() {
    return List.copyOf(argvs);
  }

  synchronized long count(String... words) {
    return argvs.stream().filter(a -> a.containsAll(Arrays.asList(words))).count();
  }

  @Override
  public CommandResult run(CommandRequest request) {
    List<String> argv = request.argv();
    synchronized (this) {
      argvs.add(argv);
    }
    if (!argv.get(0).equals("singularity")) {
      hostDirs.put(argv.get(0), request.workingDirectory().orElse(""));
      int exit = hostExits.getOrDefault(argv.get(0), 0);
      return result(
          argv,
          exit,
          hostStdout.getOrDefault(argv.get(0), "host said hi\n"),
          exit == 0 ? "" : "host step broke\n");
    }
    List<String> a = new ArrayList<>(argv.subList(1, argv.size()));
    a.remove("--quiet");
    if (!a.isEmpty() && a.get(0).equals(failCommand)) {
      return result(argv, 255, "", "FATAL:   While making image from oci registry: failed\n");
    }
    if (a.size() >= 2 && a.get(0).equals("instance")) {
      switch (a.get(1)) {
        case "start" -> {
          return start(argv, a.subList(2, a.size()));
        }
        case "list" -> {
          return ok(argv, listJson());
        }
        case "stop" -> {
          String name = a.get(a.size() - 1);
          synchronized (this) {
            stopped.add(name);
            if (running.remove(name) == null) {
              return result(argv, 255, "", "FATAL:   no instance found with name " + name + "\n");
            }
          }
          return ok(argv, "");
        }
        default -> {}
      }
    }
    if (!a.isEmpty() && (a.get(0).equals("exec") || a.get(0).equals("run"))) {
      for (String w : a) {
        Integer imageExit = imageExits.get(w);
        if (imageExit != null) {
          return result(
              argv,
              imageExit,
              "migrating 1 of 2\n",
              imageExit == 0 ? "" : "relation users already exists\n");
        }
        if (w.startsWith("instance://")) {
          java.util.Deque<Integer> q = execExits.get(w.substring(11));
          Integer exit = q == null ? null : q.poll();
          return result(
              argv, exit == null ? 0 : exit, "", exit == null || exit == 0 ? "" : "not ready\n");
        }
      }
    }
    return ok(argv, "");
  }

  private CommandResult start(List<String> argv, List<String> args) {
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      i += VALUE_FLAGS.contains(args.get(i)) ? 2 : 1;
    }
    String name = args.get(i + 1);
    int call = startCalls.merge(name, 1, Integer::sum);
    int now = inStart.incrementAndGet();
    maxInStart.accumulateAndGet(now, Math::max);
    try {
      CountDownLatch gate = startGate;
      if (gate != null) {
        gate.countDown();
        gate.await(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inStart.decrementAndGet();
    }
    synchronized (this) {
      Integer failAt = failStart.get(name);
      if (failAt != null && failAt == call) {
        files.merge(logPath(name, ".err"), "boom: cannot bind port\n", String::concat);
        return result(argv, 255, "", "FATAL:   container creation failed for " + name + "\n");
      }
      if (running.containsKey(name)) {
        return result(argv, 255, "", "FATAL:   instance " + name + " already exists\n");
      }
      int dies = dieAtStart.getOrDefault(name, 0);
      if (dies >= call) {
        files.merge(logPath(name, ".err"), "daemon exited with status 151\n", String::concat);
        return ok(argv, "INFO:    instance started successfully\n");
      }
      running.put(name, pids.incrementAndGet());
    }
    return ok(argv, "INFO:    instance started successfully\n");
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
          .append(", \"img\": \"/x.sif\"}");
    }
    return b.append("\n\t]\n}\n").toString();
  }

  static CommandResult ok(List<String> argv, String stdout) {
    return result(argv, 0, stdout, "");
  }

  static CommandResult result(List<String> argv, int exit, String stdout, String stderr) {
    return CommandResult.builder()
        .argv(argv)
        .exitCode(exit)
        .stdout(stdout)
        .stderr(stderr)
        .duration(Duration.ofMillis(1))
        .build();
  }

  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    return finished(run(request));
  }

  /** A command that has already finished with {@code r} (this stub runs every command at once). */
  static RunningCommand finished(CommandResult r) {
    return new RunningCommand() {
      @Override
      public CompletableFuture<CommandResult> completion() {
        return CompletableFuture.completedFuture(r);
      }

      @Override
      public void cancel() {}

      @Override
      public boolean isAlive() {
        return false;
      }
    };
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

  /** Paths asked with {@link #stat}, in order. */
  final List<String> stats = java.util.Collections.synchronizedList(new ArrayList<>());

  /** This machine's files (the default), each call recorded. */
  @Override
  public Optional<io.github.scompose.core.transport.FileStamp> stat(String path) {
    stats.add(path);
    return LocalFileTransport.super.stat(path);
  }

  long stats(String path) {
    synchronized (stats) {
      return stats.stream().filter(path::equals).count();
    }
  }

  @Override
  public String describe() {
    return "recording stub";
  }

  @Override
  public void close() {}
}
