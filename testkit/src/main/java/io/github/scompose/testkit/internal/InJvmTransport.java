package io.github.scompose.testkit.internal;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.CommandTimeoutException;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The emulator behind the {@link Transport} SPI, in the calling JVM: no process, no file I/O in the
 * in-memory form. Only the emulated programs run; anything else fails like a missing executable
 * ({@link TransportException}). The child environment is the configured host environment with the
 * request's changes (the JVM's own environment is not consulted, so tests are deterministic).
 */
public final class InJvmTransport implements LocalFileTransport {
  private static final ExecutorService ASYNC =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "scompose-fake-runtime");
            thread.setDaemon(true);
            return thread;
          });

  private final Emulator emulator;
  private final Set<String> programs;
  private volatile boolean closed;

  /** A transport running {@code programs} (base names) on {@code emulator}. */
  public InJvmTransport(Emulator emulator, Set<String> programs) {
    this.emulator = emulator;
    this.programs = Set.copyOf(programs);
  }

  @Override
  public CommandResult run(CommandRequest request) {
    return execute(request, null);
  }

  private CommandResult execute(CommandRequest request, CountDownLatch cancelled) {
    String program = request.argv().get(0);
    String base = Path.of(program).getFileName().toString();
    if (closed) {
      throw new TransportException("transport " + describe() + " is closed");
    }
    if (!programs.contains(base)) {
      throw new TransportException(
          "cannot run " + program + ": the fake runtime emulates only " + programs);
    }
    Map<String, String> env = new HashMap<>(emulator.config().hostEnvironment());
    env.keySet().removeAll(request.removeEnvironment());
    env.putAll(request.environment());
    Instant virtualStart = emulator.time().now();
    long start = System.nanoTime();
    Emulator.Outcome outcome;
    try {
      outcome =
          emulator.execute(
              new Emulator.Invocation(
                  request.argv(),
                  env,
                  request.workingDirectory().orElse(System.getProperty("user.dir"))));
      if (outcome.hangs()) {
        if (emulator.time().isVirtual() || cancelled == null) {
          emulator.time().sleep(request.timeout());
        } else if (cancelled.await(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          return result(request, 143, "", "", Duration.ofNanos(System.nanoTime() - start));
        }
        throw new CommandTimeoutException(request.argv(), request.timeout());
      }
    } catch (InterruptedException e) {
      if (cancelled != null && cancelled.getCount() == 0) {
        // ended by cancel(), as a process ended by SIGTERM
        return result(request, 143, "", "", Duration.ofNanos(System.nanoTime() - start));
      }
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while running " + request.argv(), e);
    }
    Duration duration =
        emulator.time().isVirtual()
            ? Duration.between(virtualStart, emulator.time().now())
            : Duration.ofNanos(System.nanoTime() - start);
    return result(request, outcome.exitCode(), outcome.stdout(), outcome.stderr(), duration);
  }

  private static CommandResult result(
      CommandRequest request, int exit, String stdout, String stderr, Duration duration) {
    return CommandResult.builder()
        .argv(request.argv())
        .exitCode(exit)
        .stdout(stdout)
        .stderr(stderr)
        .duration(duration)
        .build();
  }

  /**
   * The thread running one started command, so that a cancel interrupts what it waits on (as ending
   * a real process ends its waits); the interrupt never reaches the thread's next task.
   */
  private static final class Worker {
    private Thread thread;
    private boolean cancelled;

    /** Takes the current thread; false when cancelled before it began. */
    synchronized boolean begin() {
      thread = Thread.currentThread();
      return !cancelled;
    }

    synchronized void end() {
      thread = null;
      Thread.interrupted();
    }

    synchronized void cancel() {
      cancelled = true;
      if (thread != null) {
        thread.interrupt();
      }
    }
  }

  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    CountDownLatch cancelled = new CountDownLatch(1);
    Worker worker = new Worker();
    CompletableFuture<CommandResult> completion;
    if (emulator.time().isVirtual()) {
      completion = new CompletableFuture<>();
      deliver(request, listener, cancelled, completion);
    } else {
      completion = new CompletableFuture<>();
      CompletableFuture<CommandResult> target = completion;
      ASYNC.execute(
          () -> {
            if (worker.begin()) {
              try {
                deliver(request, listener, cancelled, target);
              } finally {
                worker.end();
              }
            } else {
              target.complete(result(request, 143, "", "", Duration.ZERO));
            }
          });
    }
    return new RunningCommand() {
      @Override
      public CompletableFuture<CommandResult> completion() {
        return completion;
      }

      @Override
      public void cancel() {
        cancelled.countDown();
        worker.cancel();
      }

      @Override
      public boolean isAlive() {
        return !completion.isDone();
      }
    };
  }

  private void deliver(
      CommandRequest request,
      OutputListener listener,
      CountDownLatch cancelled,
      CompletableFuture<CommandResult> completion) {
    try {
      CommandResult result = execute(request, cancelled);
      lines(result.stdout()).forEach(listener::onStdout);
      lines(result.stderr()).forEach(listener::onStderr);
      completion.complete(result.withStdout("").withStderr(""));
    } catch (RuntimeException e) {
      completion.completeExceptionally(e);
    }
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(body.split("\n", -1));
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " is negative");
    }
    if (java.nio.file.Files.isDirectory(Path.of(path))) {
      // as LocalFileTransport's readFile: a directory exists but cannot be read (the emulator's
      // own reads
      // take it as no file)
      throw new TransportException("cannot read " + path + ": it is a directory");
    }
    return emulator.readFile(path, offset);
  }

  /**
   * {@link LocalFileTransport#stat} of the host's file system, else of the emulator's own files
   * (instance records and logs the in-memory store keeps), with the emulator's time as the
   * modification time.
   */
  @Override
  public Optional<io.github.scompose.core.transport.FileStamp> stat(String path) {
    Optional<io.github.scompose.core.transport.FileStamp> host =
        LocalFileTransport.super.stat(path);
    if (host.isPresent() || !emulator.ownsFile(path)) {
      return host;
    }
    return emulator
        .readFile(path, 0)
        .map(b -> io.github.scompose.core.transport.FileStamp.of(b.length, emulator.time().now()));
  }

  /**
   * The emulator's own record folders ({@link Emulator#ownsDirectory}) as its {@code instance list}
   * sees them, else {@link LocalFileTransport#listDirectory} of the host.
   */
  @Override
  public Optional<List<String>> listDirectory(String path) {
    if (emulator.ownsDirectory(path)) {
      return emulator.listDirectory(path);
    }
    return LocalFileTransport.super.listDirectory(path);
  }

  @Override
  public String describe() {
    return "fake "
        + emulator.config().dialect().program()
        + " "
        + emulator.config().version()
        + " (in-JVM)";
  }

  @Override
  public void close() {
    closed = true;
  }
}
