package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.internal.AttachedFakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.internal.junit.Watchdog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The watchdog (issue 14: cleanup that survives {@code kill -9}): a child JVM runs a compose stack
 * and an instance through the extension on a directory-backed fake runtime (the emulator: real
 * {@code sleep} host processes, state shared through a folder), and is killed with SIGKILL ({@link
 * Process#destroyForcibly()} on Linux) in the middle of its test; no shutdown hook runs, yet within
 * 5 s the watchdog the child started has stopped every instance, ended their host processes, and
 * removed the child's session file.
 */
@EnabledOnOs(OS.LINUX)
class WatchdogTest {

  static final String CHILD = "scompose.testkit.watchdog-child";
  static final String STATE = CHILD + ".state";

  @EnabledIfSystemProperty(named = CHILD, matches = "true")
  @SingularityTest(runtime = "fake")
  static class StackUntilKilled {
    static FakeRuntime.Builder fakeRuntime() {
      return FakeRuntime.builder().stateDirectory(Path.of(System.getProperty(STATE)));
    }

    @ComposeStackUnderTest(file = "compose.yaml", project = "shop")
    static TestComposeStack shop;

    @InstanceUnderTest(image = "/images/single.sif")
    static TestInstanceHandle single;

    @Test
    void runsUntilKilled() throws InterruptedException {
      System.out.println("running " + shop.ps().size() + " " + single.name());
      System.out.flush();
      new CountDownLatch(1).await(); // until SIGKILL
    }
  }

  /** The child JVM: runs {@link StackUntilKilled} through the JUnit Platform. */
  public static final class Child {
    public static void main(String[] args) {
      EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(StackUntilKilled.class))
          .execute();
      System.exit(3); // never reached: the test blocks until killed
    }
  }

  @TempDir Path dir;

  @Test
  void aStackOfAJvmKilledWithSigkillIsStoppedWithinFiveSeconds() throws Exception {
    Path state = dir.resolve("fake");
    Path sessions = dir.resolve("sessions");
    Files.writeString(
        dir.resolve("compose.yaml"),
        "services:\n  db: {image: /images/db.sif}\n"
            + "  app: {image: /images/app.sif, depends_on: [db]}\n");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + CHILD + "=true",
                "-D" + STATE + "=" + state,
                "-D" + SessionRegistry.DIRECTORY_PROPERTY + "=" + sessions,
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName())
            .directory(dir.toFile())
            .redirectError(dir.resolve("child.err").toFile())
            .start();
    try {
      String line;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        do {
          line = out.readLine();
        } while (line != null && !line.startsWith("running "));
      }
      assertNotNull(line, () -> "the child ended early: " + read(dir.resolve("child.err")));
      assertEquals("running 2 single", line);
      SingularityClient fake = AttachedFakeRuntime.client(state);
      List<InstanceInfo> running = fake.list();
      assertEquals(
          List.of("shop-app-1", "shop-db-1", "single"),
          running.stream().map(InstanceInfo::name).sorted().toList());
      List<ProcessHandle> hosts =
          running.stream().map(i -> ProcessHandle.of(i.pid()).orElseThrow()).toList();
      List<ProcessHandle> watchdogs =
          child
              .descendants()
              .filter(
                  p ->
                      p.info().arguments().map(List::of).orElse(List.of()).stream()
                          .anyMatch(a -> a.endsWith("WatchdogMain")))
              .toList();
      assertEquals(1, watchdogs.size(), "one watchdog per JVM");
      Path sessionFile;
      try (var files = Files.list(sessions)) {
        sessionFile =
            files.filter(f -> f.toString().endsWith(".session")).findFirst().orElseThrow();
      }

      long killed = System.nanoTime();
      java.time.Instant killedAt = java.time.Instant.now();
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
      assertTrue(child.waitFor(5, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue(), "killed by SIGKILL");

      // wait until the watchdog has done its work and ended (at most 5 s after the kill)
      watchdogs.get(0).onExit().get(5, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - killed);
      assertEquals(List.of(), fake.list(), "no instance left");
      for (ProcessHandle host : hosts) {
        assertTrue(host.onExit().get(5, TimeUnit.SECONDS) != null, "host process ended");
      }
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
      assertFalse(Files.exists(sessionFile), "the watchdog claimed and removed the session file");
      String log = read(sessions.resolve(Watchdog.LOG));
      assertTrue(log.contains("the watchdog stopped 2 leftover(s)"), log);
      System.out.println(
          "watchdog: instances gone "
              + took.toMillis()
              + " ms after SIGKILL at "
              + killedAt
              + "; its log: "
              + log);
    } finally {
      child.destroyForcibly();
      try (FakeRuntime cleanup = FakeRuntime.builder().stateDirectory(state).build()) {
        // ends whatever a failed run left
      }
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "(no " + file + ")";
    }
  }
}
