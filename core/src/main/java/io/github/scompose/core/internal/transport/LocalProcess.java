package io.github.scompose.core.internal.transport;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandTimeoutException;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.TransportException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started local process: its output drained concurrently from the moment it starts (so a chatty
 * child never blocks on a full pipe), its stdin fed from a pool thread, and its whole process tree
 * killed on timeout, interrupt or cancel.
 *
 * <p>Output is either collected as bytes (listener {@code null}) or delivered line by line to an
 * {@link OutputListener}.
 */
public final class LocalProcess {

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcess.class);
  private static final byte[] NONE = new byte[0];

  private final List<String> argv;
  private final Process process;
  private final long startNanos;
  private final Duration timeout;
  private final Duration killGrace;
  private final Duration drainTimeout;
  private final ByteArrayOutputStream stdout;
  private final ByteArrayOutputStream stderr;
  private final Future<?> stdoutPump;
  private final Future<?> stderrPump;
  private final boolean wholeTree;
  private final ProcessHooks hooks;
  private final AtomicBoolean killing = new AtomicBoolean();

  private LocalProcess(
      CommandRequest request,
      List<String> reportedArgv,
      Process process,
      long startNanos,
      OutputListener listener,
      Duration killGrace,
      Duration drainTimeout,
      boolean wholeTree,
      ProcessHooks hooks) {
    this.wholeTree = wholeTree;
    this.hooks = hooks;
    this.argv = List.copyOf(reportedArgv);
    this.process = process;
    this.startNanos = startNanos;
    this.timeout = request.timeout();
    this.killGrace = killGrace;
    this.drainTimeout = drainTimeout;
    if (listener == null) {
      this.stdout = new ByteArrayOutputStream();
      this.stderr = new ByteArrayOutputStream();
      this.stdoutPump =
          TransportThreads.pool().submit(() -> copy(process.getInputStream(), stdout));
      this.stderrPump =
          TransportThreads.pool()
              .submit(() -> copy(hooks.stderr(process.getErrorStream()), stderr));
    } else {
      this.stdout = null;
      this.stderr = null;
      this.stdoutPump =
          TransportThreads.pool().submit(() -> lines(process.getInputStream(), listener, true));
      this.stderrPump =
          TransportThreads.pool()
              .submit(() -> lines(hooks.stderr(process.getErrorStream()), listener, false));
    }
    feedStdin(request);
  }

  /**
   * Starts {@code request}'s argv (no shell).
   *
   * @param listener receives lines as they come, or {@code null} to collect the output as bytes
   * @param killGrace time between SIGTERM and SIGKILL when the tree is killed
   * @param drainTimeout how long to wait, after the process exited, for its output pipes to reach
   *     end-of-file (a background child that inherited them can hold them open)
   * @throws TransportException when the process cannot be started; names the program and PATH
   */
  public static LocalProcess start(
      CommandRequest request,
      OutputListener listener,
      Duration killGrace,
      Duration drainTimeout,
      boolean wholeTree) {
    return start(
        request, request.argv(), listener, killGrace, drainTimeout, wholeTree, ProcessHooks.NONE);
  }

  /**
   * As {@link #start(CommandRequest, OutputListener, Duration, Duration, boolean)}, but results and
   * timeouts report {@code reportedArgv} (the command the caller asked for) instead of the argv
   * that actually ran (e.g. the {@code ssh} line carrying it), and {@code hooks} adapt it.
   */
  public static LocalProcess start(
      CommandRequest request,
      List<String> reportedArgv,
      OutputListener listener,
      Duration killGrace,
      Duration drainTimeout,
      boolean wholeTree,
      ProcessHooks hooks) {
    ProcessBuilder builder = new ProcessBuilder(request.argv());
    Map<String, String> env = builder.environment();
    request.removeEnvironment().forEach(env::remove);
    env.putAll(request.environment());
    if (request.workingDirectory().isPresent()) {
      File dir = new File(request.workingDirectory().get());
      if (!dir.isDirectory()) {
        throw new TransportException(
            "cannot run "
                + request.argv().get(0)
                + ": working directory "
                + dir
                + " does not exist");
      }
      builder.directory(dir);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "local: {} (environment names {}, removed {})",
          request.argv(),
          request.environment().keySet(),
          request.removeEnvironment());
    }
    long startNanos = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw startFailure(request.argv().get(0), e);
    }
    return new LocalProcess(
        request,
        reportedArgv,
        process,
        startNanos,
        listener,
        killGrace,
        drainTimeout,
        wholeTree,
        hooks);
  }

  private static TransportException notOnPath(String program, String path, IOException cause) {
    String message = "cannot run " + program + ": program not found on PATH=" + path;
    return cause == null ? new TransportException(message) : new TransportException(message, cause);
  }

  /**
   * The failure that starting {@code program} (a bare name) would end in, found without starting a
   * process: present when no directory of this JVM's {@code PATH} (an empty entry is the working
   * directory) holds anything of that name, the case where the JDK's search of {@code PATH} fails
   * with "no such file" ({@code error=2}); the message is the one {@link #start} would throw. Empty
   * for a name with a slash, an unset {@code PATH}, or any entry holding that name (even one that
   * is not executable: starting it reports what is wrong).
   */
  public static java.util.Optional<TransportException> absentFromPath(String program) {
    String path = System.getenv("PATH");
    if (program.isEmpty() || program.contains("/") || path == null) {
      return java.util.Optional.empty();
    }
    for (String entry : path.split(":", -1)) {
      File candidate = new File(entry.isEmpty() ? "." : entry, program);
      // exists() follows links, like execve: a dangling link is "no such file" too
      if (candidate.exists()) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(notOnPath(program, path, null));
  }

  private static TransportException startFailure(String program, IOException e) {
    String message = String.valueOf(e.getMessage());
    String path = System.getenv().getOrDefault("PATH", "");
    if (message.contains("error=2,")) {
      if (program.contains("/")) {
        return new TransportException("cannot run " + program + ": no such file", e);
      }
      return notOnPath(program, path, e);
    }
    if (message.contains("error=13,")) {
      return new TransportException(
          "cannot run " + program + ": permission denied (not executable?); PATH=" + path, e);
    }
    return new TransportException("cannot run " + program + ": " + message, e);
  }

  private void feedStdin(CommandRequest request) {
    OutputStream in = process.getOutputStream();
    if (request.stdin().isEmpty()) {
      closeQuietly(in);
      return;
    }
    byte[] bytes = request.stdin().get();
    TransportThreads.pool()
        .execute(
            () -> {
              try (in) {
                in.write(bytes);
              } catch (IOException e) {
                // the child exited or closed its stdin without reading everything: not an error
                LOG.trace("stdin of {} closed early: {}", argv.get(0), e.toString());
              }
            });
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process (the root of the tree) still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for exit and for the output, within the request's timeout.
   *
   * @throws CommandTimeoutException when the timeout passes; the tree is killed by then
   * @throws TransportException when the calling thread is interrupted: the tree is being killed
   *     (SIGTERM sent at once, SIGKILL after the grace period) and the interrupt flag is set again
   */
  public RawResult await() {
    long deadline = startNanos + timeout.toNanos();
    try {
      boolean exited = process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (!exited) {
        killing.set(true);
        runBeforeKill();
        ProcessTree.escalate(members(), killGrace);
        process.waitFor(killGrace.toMillis() + 5000, TimeUnit.MILLISECONDS);
        drain();
        throw new CommandTimeoutException(argv, timeout);
      }
      int exitCode = process.exitValue();
      Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
      drain();
      return new RawResult(argv, exitCode, bytes(stdout), bytes(stderr), duration);
    } catch (InterruptedException e) {
      killInBackground();
      Thread.currentThread().interrupt();
      throw new TransportException(
          "interrupted while waiting for " + argv.get(0) + "; its process tree is being killed", e);
    }
  }

  /**
   * Kills the whole tree from a pool thread (SIGTERM now, SIGKILL after the grace period) and
   * returns at once. Idempotent.
   */
  public void killInBackground() {
    if (!killing.compareAndSet(false, true)) {
      return;
    }
    if (hooks == ProcessHooks.NONE) {
      // snapshot and SIGTERM right here, so the caller's "prompt" means prompt
      List<ProcessHandle> tree = members();
      TransportThreads.pool().execute(() -> escalateQuietly(tree));
    } else {
      TransportThreads.pool()
          .execute(
              () -> {
                runBeforeKill();
                escalateQuietly(members());
              });
    }
  }

  private void escalateQuietly(List<ProcessHandle> tree) {
    try {
      ProcessTree.escalate(tree, killGrace);
    } catch (InterruptedException e) {
      tree.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
  }

  private void runBeforeKill() {
    try {
      hooks.beforeKill();
    } catch (RuntimeException e) {
      LOG.debug("before-kill hook of {} failed", argv.get(0), e);
    }
  }

  /** SIGTERM to the members to kill (the tree, or the process alone), returned for escalation. */
  private List<ProcessHandle> members() {
    if (wholeTree) {
      return ProcessTree.terminate(process.toHandle());
    }
    process.destroy();
    return List.of(process.toHandle());
  }

  private void drain() throws InterruptedException {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    for (Future<?> pump : List.of(stdoutPump, stderrPump)) {
      try {
        pump.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        LOG.debug(
            "{} exited but its output is still open after {} ms (a background child holds it);"
                + " returning what was read",
            argv.get(0),
            drainTimeout.toMillis());
      } catch (ExecutionException e) {
        LOG.debug("reading the output of {} failed", argv.get(0), e.getCause());
      }
    }
  }

  private static byte[] bytes(ByteArrayOutputStream sink) {
    return sink == null ? NONE : sink.toByteArray();
  }

  private static Void copy(InputStream in, ByteArrayOutputStream sink) throws IOException {
    try (in) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sink.write(buffer, 0, n);
      }
    }
    return null;
  }

  private Void lines(InputStream in, OutputListener listener, boolean isStdout) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        try {
          if (isStdout) {
            listener.onStdout(line);
          } else {
            listener.onStderr(line);
          }
        } catch (RuntimeException e) {
          // keep draining, or the child blocks on a full pipe
          LOG.debug("output listener of {} failed; line dropped", argv.get(0), e);
        }
      }
    }
    return null;
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      // nothing to do: the child is gone
    }
  }
}
