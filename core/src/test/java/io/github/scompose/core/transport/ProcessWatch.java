package io.github.scompose.core.transport;

import io.github.scompose.core.internal.transport.ProcStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Test helpers that look at processes by PID and wait until a condition holds. */
final class ProcessWatch {

  private ProcessWatch() {}

  /** Whether {@code pid} exists and is not a zombie. */
  static boolean running(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    return handle.isPresent() && handle.get().isAlive() && !ProcStat.isZombie(pid);
  }

  /** Whether {@code pid} has no /proc entry at all (exited and reaped). */
  static boolean gone(long pid) {
    return ProcStat.state(pid) == '?';
  }

  /** Polls {@code condition} every 10 ms; false if it did not hold within {@code max}. */
  static boolean waitUntil(BooleanSupplier condition, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** The PIDs written one per line to {@code file} once it has {@code count} of them. */
  static List<Long> pids(Path file, int count) throws InterruptedException {
    if (!waitUntil(() -> readPids(file).size() >= count, Duration.ofSeconds(20))) {
      throw new AssertionError("expected " + count + " pids in " + file + ": " + readPids(file));
    }
    return readPids(file);
  }

  private static List<Long> readPids(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .map(Long::parseLong)
          .collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }
}
