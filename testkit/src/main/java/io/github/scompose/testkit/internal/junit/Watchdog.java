package io.github.scompose.testkit.internal.junit;

import io.github.scompose.core.transport.Transport;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cleanup that survives {@code kill -9} of the test JVM (Testcontainers' Ryuk, without a daemon): a
 * second, small JVM ({@link WatchdogMain}), started once per JVM, whose stdin is a pipe from this
 * JVM that this JVM never closes. This JVM writes to it the session files to watch, one line each
 * ({@code <session directory> TAB <file name>}). However this JVM ends — normal exit, {@code
 * System.exit}, SIGKILL, the out-of-memory killer — the kernel closes the pipe, the watchdog reads
 * end-of-file and stops what those session files still name ({@link SessionRegistry#reapDead}):
 * instances by {@code instance stop}, stacks by {@code down}, each through a client of the same
 * runtime (the real binary over core's local transport, or the directory-backed fake's state
 * directory). After a clean exit the shutdown hook has emptied the sessions, so the watchdog finds
 * nothing and ends at once.
 *
 * <p>Started lazily, by the first test class whose runtime's instances outlive the JVM (never for
 * the default in-memory fake, whose instances die with the JVM). Starting costs this JVM one
 * process spawn (about 20 ms); the watchdog's own JVM start (about 40 ms of CPU, then idle on a
 * blocking read, about 35 MB resident) runs beside the tests. Its output is discarded; it appends a
 * line per session it reaped to {@code watchdog.log} in that session's directory (written only when
 * it stopped something). Off with the system property {@value #PROPERTY}{@code =false}.
 *
 * <p>Limits: the kernel closes the pipe only when every process holding its write end ended; the
 * JDK gives no child of this JVM that end, so this JVM's own end suffices. A power loss or a kill
 * of both processes leaves the leftovers to the next run's reaping. If the watchdog died early, the
 * next session to watch reports it on stderr and the reaping stays the only defence.
 */
public final class Watchdog {

  /** System property: {@code false} starts no watchdog; default on. */
  public static final String PROPERTY = "scompose.testkit.watchdog";

  /** The name of the log the watchdog appends to in a session directory. */
  public static final String LOG = "watchdog.log";

  private static final Set<Path> WATCHED = new HashSet<>();
  private static Process process;
  private static boolean broken;

  private Watchdog() {}

  /**
   * Has this JVM's watchdog (started on the first call) watch {@code registry}'s session file,
   * unless it does already or {@value #PROPERTY} is {@code false}. Never throws: when the watchdog
   * cannot be started or reached, says so on stderr (once) and returns empty.
   *
   * @return the watchdog process, empty when off or broken
   */
  public static synchronized Optional<Process> watch(SessionRegistry registry) {
    if (broken || System.getProperty(PROPERTY, "true").strip().equalsIgnoreCase("false")) {
      return Optional.empty();
    }
    Path session = registry.sessionFile();
    if (WATCHED.contains(session)) {
      return Optional.of(process);
    }
    String line = registry.directory() + "\t" + session.getFileName() + "\n";
    try {
      if (process == null) {
        process = start();
      }
      OutputStream pipe = process.getOutputStream();
      pipe.write(line.getBytes(StandardCharsets.UTF_8));
      pipe.flush();
    } catch (IOException e) {
      broken = true;
      System.err.println(
          "scompose testkit: the watchdog JVM cannot be "
              + (process == null ? "started" : "reached (it ended early)")
              + " ("
              + e.getMessage()
              + "): what a killed test JVM leaves running is stopped only by the next run");
      return Optional.empty();
    }
    WATCHED.add(session);
    return Optional.of(process);
  }

  private static Process start() throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Xshare:auto",
            "-Xmx64m",
            "-cp",
            classpath(),
            WatchdogMain.class.getName()));
    return new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** This JVM's classpath, the testkit's and core's own locations first. */
  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type : List.of(Watchdog.class, Transport.class)) {
      try {
        entries.add(
            Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException | RuntimeException e) {
        // java.class.path below
      }
    }
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
