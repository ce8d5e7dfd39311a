package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM shutdown hook in a real child JVM ({@link Child}) that starts an instance on a
 * directory-backed fake runtime, records it like the extension does, and exits: by {@code
 * System.exit} the hook stops the instance; by {@code Runtime.halt} (what SIGKILL does to a JVM) no
 * hook runs, the instance outlives the JVM, and only reaping by a later run stops it.
 */
class ShutdownHookTest {

  @TempDir Path dir;

  /** The child JVM: {@code Child <sessions> <fake state> exit|halt}. */
  public static final class Child {
    public static void main(String[] args) {
      FakeRuntime fake =
          FakeRuntime.builder().stateDirectory(Path.of(args[1])).anyImageExists().build();
      fake.execute("instance", "start", "/images/x.sif", "hooked-1");
      SessionRegistry.in(Path.of(args[0]))
          .register(
              new SessionRegistry.Entry(
                  "instance", "fake-dir:" + fake.stateDirectory().orElseThrow(), "hooked-1"),
              () -> fake.execute("instance", "stop", "hooked-1"));
      System.out.println("started");
      if (args[2].equals("halt")) {
        Runtime.getRuntime().halt(0);
      }
      System.exit(0);
    }
  }

  CommandResult child(Path sessions, Path state, String how) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (Transport local = LocalProcessTransport.create()) {
      return local.run(
          CommandRequest.of(
              java,
              "-cp",
              System.getProperty("java.class.path"),
              Child.class.getName(),
              sessions.toString(),
              state.toString(),
              how));
    }
  }

  static List<String> names(FakeRuntime fake) {
    return fake.instances().stream().map(FakeInstance::name).toList();
  }

  @Test
  void onExitTheHookStopsWhatTheJvmStarted() {
    Path sessions = dir.resolve("sessions");
    Path state = dir.resolve("fake");
    CommandResult r = child(sessions, state, "exit");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("started\n", r.stdout());
    try (FakeRuntime fake = FakeRuntime.builder().stateDirectory(state).build()) {
      assertEquals(List.of(), names(fake), "the hook stopped hooked-1");
    }
    assertTrue(!Files.exists(sessions) || sessions.toFile().list().length == 0, "no session file");
  }

  @Test
  void afterAHaltOnlyReapingStopsTheLeftover() throws Exception {
    Path sessions = dir.resolve("sessions");
    Path state = dir.resolve("fake");
    CommandResult r = child(sessions, state, "halt");
    assertEquals(0, r.exitCode(), r.stderr());
    try (FakeRuntime fake = FakeRuntime.builder().stateDirectory(state).build()) {
      assertEquals(List.of("hooked-1"), names(fake), "no hook ran: the instance outlived its JVM");
      var reaped =
          SessionRegistry.in(sessions)
              .reap(
                  "fake-dir:" + fake.stateDirectory().orElseThrow(),
                  e -> fake.execute("instance", "stop", e.value()));
      assertEquals(1, reaped.size());
      assertEquals(List.of(), names(fake));
      try (var files = Files.list(sessions)) {
        assertEquals(List.of(), files.toList());
      }
    }
  }
}
