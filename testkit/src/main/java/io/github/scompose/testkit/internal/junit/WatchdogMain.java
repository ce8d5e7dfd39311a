package io.github.scompose.testkit.internal.junit;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.internal.AttachedFakeRuntime;
import io.github.scompose.testkit.internal.UnboundHostPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watchdog process ({@link Watchdog}): {@code WatchdogMain}, no arguments. Reads lines {@code
 * <session directory> TAB <session file name>} from stdin until end-of-file, then reaps each such
 * session as the session of a dead JVM ({@link SessionRegistry#reapDead}) and exits 0; appends a
 * line per session where it stopped something, or failed to, to {@code watchdog.log} in that
 * session's directory. Ignores SIGINT and SIGHUP (a Ctrl-C or a closed terminal reaches the whole
 * process group, and the test JVM's shutdown hook may not finish: the watchdog outlives it to clean
 * up after it).
 */
public final class WatchdogMain {

  /** The watchdog process's wall clock (its own main: the clock seam of this process). */
  private static final java.time.Clock CLOCK = java.time.Clock.systemUTC();

  private WatchdogMain() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    ignore("INT");
    ignore("HUP");
    Set<List<String>> sessions = new LinkedHashSet<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split("\t", -1);
        if (f.length == 2 && sessions.add(List.of(f[0], f[1]))) {
          SessionRegistry.in(Path.of(f[0])); // its set-up (the host name) now, not after the end
        }
      }
    } catch (IOException e) {
      // a broken pipe is end-of-file too: the JVM is gone
    }
    long eof = System.nanoTime();
    Instant ended = CLOCK.instant();
    Map<String, SessionRegistry.Reaper> reapers = new HashMap<>();
    for (List<String> session : sessions) {
      Path directory = Path.of(session.get(0));
      SessionRegistry.in(directory)
          .reapDead(
              session.get(1), runtime -> reapers.computeIfAbsent(runtime, WatchdogMain::reaper))
          .filter(r -> !r.entries().isEmpty() || !r.failures().isEmpty())
          .ifPresent(r -> log(directory, r, ended, (System.nanoTime() - eof) / 1_000_000));
    }
    System.exit(0);
  }

  private static void log(Path directory, SessionRegistry.Reaped r, Instant ended, long millis) {
    String line =
        ended
            + " the JVM of session "
            + r.session()
            + " ended; the watchdog stopped "
            + r.entries().size()
            + " leftover(s) in "
            + millis
            + " ms"
            + (r.failures().isEmpty()
                ? ""
                : "; could not stop (left for the next run): " + r.failures())
            + "\n";
    try {
      Files.writeString(
          directory.resolve(Watchdog.LOG),
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the directory is gone: nobody to tell
    }
  }

  /**
   * The reaper of a runtime named as session files name it; {@code null} for an in-memory fake
   * (which died with its JVM). A runtime this process cannot reach (a binary gone, an unreadable
   * fake state directory) gets a reaper that fails with the reason: its entries stay for the next
   * run, and the log says why.
   */
  static SessionRegistry.Reaper reaper(String runtime) {
    try {
      if (runtime.startsWith(SessionRegistry.REAL_RUNTIME_PREFIX)) {
        String program = runtime.substring(SessionRegistry.REAL_RUNTIME_PREFIX.length());
        Transport transport = LocalProcessTransport.create();
        SingularityClient client =
            SingularityClient.builder()
                .transport(transport)
                .binary(BinaryLocator.builder().explicitPath(program).build().locate(transport))
                .build();
        return SessionReaper.stopper(client, ComposeWiring.system().engine(client).build());
      }
      if (runtime.startsWith(SessionRegistry.FAKE_DIRECTORY_RUNTIME_PREFIX)) {
        Path state =
            Path.of(runtime.substring(SessionRegistry.FAKE_DIRECTORY_RUNTIME_PREFIX.length()));
        SingularityClient client = AttachedFakeRuntime.client(state);
        return SessionReaper.stopper(
            client, ComposeWiring.system().engine(client, new UnboundHostPorts()).build());
      }
      return null;
    } catch (IOException | RuntimeException e) {
      String reason = "cannot reach the runtime " + runtime + ": " + e.getMessage();
      return entry -> {
        throw new IllegalStateException(reason);
      };
    }
  }

  /** Ignores {@code signal} where the JDK lets a program do so; else keeps its default. */
  @SuppressWarnings("removal")
  private static void ignore(String signal) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), sun.misc.SignalHandler.SIG_IGN);
    } catch (IllegalArgumentException | LinkageError e) {
      // not on this platform: the default handler stays
    }
  }
}
