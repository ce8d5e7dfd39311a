package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end tests' one way to run the shaded {@code scompose.jar} (system property {@code
 * scompose.jar}, set by failsafe after {@code package}) — and any other program — as a process to
 * completion: output collected through files (no pipe can fill up), a time limit of 5 minutes.
 * Processes that must be watched while they run are {@link LiveProcess}es.
 */
final class JarProcesses {
  private JarProcesses() {}

  /** A finished process: its exit code and what it printed (UTF-8). */
  record Result(int exitCode, String stdout, String stderr) {
    /** Everything printed, for assertion messages. */
    String output() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  /** The built jar; skips the calling test (with a notice) when it was not built. */
  static Path jar() {
    String jar = System.getProperty("scompose.jar");
    assumeTrue(
        jar != null && Files.isRegularFile(Path.of(jar)),
        "scompose.jar not built (system property scompose.jar: " + jar + ")");
    return Path.of(jar);
  }

  /**
   * Options for short-lived CLI processes that only shorten start-up (C1 only, serial GC, the
   * default class-data archive); they change nothing a user sees.
   */
  static final List<String> QUICK_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  /** {@code <this JVM's java> -jar <scompose.jar> ARGS...}. */
  static List<String> javaJar(String... args) {
    return javaJar(List.of(), args);
  }

  /** {@code <this JVM's java> JVM-OPTIONS... -jar <scompose.jar> ARGS...}. */
  static List<String> javaJar(List<String> jvmOptions, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvmOptions);
    argv.add("-jar");
    argv.add(jar().toString());
    argv.addAll(List.of(args));
    return argv;
  }

  /**
   * Runs {@code pb} to its end, its output collected in temporary files of {@code scratch}.
   *
   * @throws AssertionError when it runs longer than 5 minutes (it is then killed)
   */
  static Result finish(ProcessBuilder pb, Path scratch) throws IOException, InterruptedException {
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", pb.command()) + " hung");
    }
    try {
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Whether {@code pid} is a live process. */
  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Whether {@code pid} is a live process that has not ended: unlike {@link #alive}, a process that
   * ended and awaits its reaper (a zombie, state {@code Z} in {@code /proc/PID/stat}) counts as
   * ended — an orphaned instance process is reaped by init whenever init gets to it.
   */
  static boolean running(long pid) {
    if (!alive(pid)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return alive(pid); // no procfs (or it just ended): ask again
    }
  }
}
