package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process whose stdout and stderr lines are collected as they come, so a test can wait until a
 * line appears (no sleeps) and then stop it.
 */
final class LiveProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();

  LiveProcess(ProcessBuilder pb) throws IOException {
    this.process = pb.start();
    readers.add(reader(process.getInputStream(), "out| "));
    readers.add(reader(process.getErrorStream(), "err| "));
  }

  private Thread reader(java.io.InputStream in, String prefix) {
    Thread t =
        new Thread(
            () -> {
              try (java.io.BufferedReader r =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (lines) {
                    lines.add(prefix + line);
                    lines.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits until a line (prefixed {@code out| } or {@code err| }) matches; returns its match. */
  Matcher awaitLine(String regex) throws InterruptedException {
    Pattern p = Pattern.compile(regex);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = p.matcher(lines.get(seen));
          if (m.find()) {
            return m;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && readersDone())) {
          throw new AssertionError("no line matching " + regex + " in:\n" + output());
        }
        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500)));
      }
    }
  }

  private boolean readersDone() {
    return readers.stream().noneMatch(Thread::isAlive);
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /**
   * Sends SIGTERM (the JVM runs its shutdown hooks as on Ctrl-C) and waits for the exit. Through
   * the process handle: {@code Process.destroy()} would also close the pipes the output comes
   * through.
   */
  int terminate() throws Exception {
    process.toHandle().destroy();
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "did not end on SIGTERM:\n" + output());
    for (Thread t : readers) {
      t.join();
    }
    return process.exitValue();
  }

  /** The process's PID. */
  long pid() {
    return process.pid();
  }

  /** Whether the process still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends SIGKILL (no shutdown hooks run: a crash, {@code kill -9}) and waits until the process and
   * its child processes that were still running then (e.g. a binary call in flight) have ended.
   * Grandchildren are not awaited: an instance's process outlives the call that started it.
   *
   * @return the exit value (137 after SIGKILL)
   */
  int kill() throws Exception {
    List<ProcessHandle> children = process.toHandle().children().toList();
    process.toHandle().destroyForcibly();
    assertTrue(process.waitFor(1, TimeUnit.MINUTES), "did not end on SIGKILL");
    for (ProcessHandle child : children) {
      assertTrue(
          child.onExit().thenApply(h -> true).completeOnTimeout(false, 2, TimeUnit.MINUTES).get(),
          "a process the killed one started (PID " + child.pid() + ") did not end");
    }
    for (Thread t : readers) {
      t.join();
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
