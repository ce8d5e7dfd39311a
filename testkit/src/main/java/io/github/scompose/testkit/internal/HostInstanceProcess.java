package io.github.scompose.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The harmless host process behind an instance of the directory-backed emulator: a {@code sleep}
 * (no shell, no container, nothing of the image runs), detached from the emulator's streams, so
 * that liveness checks by PID work and {@code instance stop} ends a real process. The only testkit
 * class that starts processes (ArchUnit allows exactly this one).
 */
final class HostInstanceProcess {
  private static final File DEV_NULL = new File("/dev/null");

  private HostInstanceProcess() {}

  /**
   * Starts {@code sleep} for {@code lifetime} (positive; the emulator passes a scripted crash time
   * or its configured maximum instance lifetime, so that a process whose state directory is lost
   * still ends by itself).
   */
  static InstanceStore.ProcessSlot start(Duration lifetime) {
    if (lifetime == null || lifetime.isNegative()) {
      throw new IllegalArgumentException("an instance's host process needs a lifetime >= 0");
    }
    String seconds = String.format(java.util.Locale.ROOT, "%.3f", lifetime.toMillis() / 1000.0);
    ProcessBuilder builder =
        new ProcessBuilder("sleep", seconds)
            .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process process = builder.start();
      ProcessHandle handle = process.toHandle();
      Instant started = handle.info().startInstant().orElse(null);
      return new InstanceStore.ProcessSlot(handle.pid(), started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the instance's host process (sleep)", e);
    }
  }

  /** Whether {@code pid} is the same live process (not a zombie, not a reused PID). */
  static boolean alive(long pid, Instant processStart) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    if (processStart != null) {
      Optional<Instant> start = handle.get().info().startInstant();
      if (start.isPresent() && !start.get().equals(processStart)) {
        return false;
      }
    }
    return !zombie(pid);
  }

  private static boolean zombie(long pid) {
    Path stat = Path.of("/proc/" + pid + "/stat");
    try {
      String text = Files.readString(stat);
      int close = text.lastIndexOf(')');
      return close > 0 && close + 2 < text.length() && text.charAt(close + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Ends the process: TERM, then KILL when it has not ended after 2 s. Polls every 10 ms instead of
   * awaiting {@code ProcessHandle.onExit()}, which for a process that is not this JVM's child only
   * notices the end after about 2 s. Returns once the process is gone from the process table, or —
   * when it is not this JVM's child (an instance started by an earlier emulator process, now
   * orphaned) — once it has ended and only awaits its reaper (init, which may take a second or
   * two). A child of this JVM is reaped by the JVM at once, so it is awaited until gone: callers
   * checking {@code ProcessHandle.isAlive} right after a stop see it ended.
   */
  static void kill(long pid, Instant processStart) {
    if (!alive(pid, processStart)) {
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return;
    }
    long self = ProcessHandle.current().pid();
    boolean child = handle.get().parent().map(p -> p.pid() == self).orElse(false);
    handle.get().destroy();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    try {
      while (child ? handle.get().isAlive() : alive(pid, processStart)) {
        if (System.nanoTime() - deadline > 0) {
          handle.get().destroyForcibly();
          return;
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handle.get().destroyForcibly();
    }
  }
}
