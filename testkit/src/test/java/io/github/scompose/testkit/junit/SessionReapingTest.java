package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Teardown when a JVM dies: the session file, the shutdown hook's work ({@link
 * SessionRegistry#stopEverything()}), liveness by PID and start time, and the reaping of a dead
 * session's instance and stack by the next run of the extension (a directory-backed fake runtime
 * plays the host that outlived the dead JVM; the dead JVM is a session file naming a PID no process
 * can have).
 */
class SessionReapingTest {

  /** Above Linux's largest pid_max (2^22): no process has it. */
  static final long DEAD_PID = 999_999_999L;

  @TempDir Path sessions;

  @Test
  void theSessionFileListsWhatRunsAndIsGoneWhenEverythingWasReleased() throws IOException {
    SessionRegistry registry = SessionRegistry.in(sessions);
    var a =
        registry.register(new SessionRegistry.Entry("instance", "real:/bin/x", "web"), () -> {});
    var b =
        registry.register(new SessionRegistry.Entry("stack", "real:/bin/x", "/tmp/s"), () -> {});
    String text = Files.readString(registry.sessionFile(), StandardCharsets.UTF_8);
    assertTrue(text.contains("pid=" + ProcessHandle.current().pid() + "\n"), text);
    assertTrue(text.contains("host=" + registry.host() + "\n"), text);
    assertTrue(text.contains("entry=instance\treal:/bin/x\tweb\n"), text);
    assertTrue(text.contains("entry=stack\treal:/bin/x\t/tmp/s\n"), text);
    a.release();
    assertFalse(Files.readString(registry.sessionFile()).contains("web"));
    b.release();
    b.release();
    assertFalse(Files.exists(registry.sessionFile()));
  }

  @Test
  void theShutdownHookStopsWhatIsStillRegisteredNewestFirst() throws IOException {
    SessionRegistry registry = SessionRegistry.in(sessions);
    List<String> stopped = new ArrayList<>();
    registry.register(new SessionRegistry.Entry("instance", "r", "one"), () -> stopped.add("one"));
    var two =
        registry.register(
            new SessionRegistry.Entry("instance", "r", "two"), () -> stopped.add("two"));
    var three =
        registry.register(
            new SessionRegistry.Entry("instance", "r", "three"),
            () -> {
              stopped.add("three");
              throw new IllegalStateException("stop failed"); // does not keep the others running
            });
    registry.register(
        new SessionRegistry.Entry("instance", "r", "four"), () -> stopped.add("four"));
    two.release();

    assertEquals(2, registry.stopEverything(), "one of three stops failed");

    assertEquals(List.of("four", "three", "one"), stopped);
    // the failed stop stays recorded, in memory and in the file, for the next run to reap
    assertEquals(List.of(new SessionRegistry.Entry("instance", "r", "three")), registry.entries());
    String left = Files.readString(registry.sessionFile(), StandardCharsets.UTF_8);
    assertTrue(left.contains("entry=instance\tr\tthree\n"), left);
    assertFalse(left.contains("\tone\n") || left.contains("\tfour\n"), left);
    three.release(); // else this JVM's own shutdown hook would try it again
  }

  @Test
  void theShutdownHookDeletesTheSessionFileWhenEveryStopSucceeded() {
    SessionRegistry registry = SessionRegistry.in(sessions);
    List<String> stopped = new ArrayList<>();
    registry.register(new SessionRegistry.Entry("instance", "r", "one"), () -> stopped.add("one"));
    assertTrue(Files.exists(registry.sessionFile()));

    assertEquals(1, registry.stopEverything());

    assertEquals(List.of("one"), stopped);
    assertEquals(List.of(), registry.entries());
    assertFalse(Files.exists(registry.sessionFile()));
  }

  @Test
  void aSessionIsAliveOnlyWhileItsPidRunsWithItsStartTime() {
    ProcessHandle self = ProcessHandle.current();
    Optional<java.time.Instant> start = self.info().startInstant();
    assertTrue(SessionRegistry.alive(self.pid(), start));
    assertFalse(SessionRegistry.alive(DEAD_PID, Optional.empty()));
    start.ifPresent(
        s ->
            assertFalse(
                SessionRegistry.alive(self.pid(), Optional.of(s.minus(Duration.ofHours(1)))),
                "same PID, other start: a reused PID"));
  }

  @Test
  void reapingStopsADeadSessionsEntriesOfThisRuntimeAndKeepsTheRest() throws IOException {
    SessionRegistry registry = SessionRegistry.in(sessions);
    Path dead = sessions.resolve(DEAD_PID + "-1.session");
    Files.writeString(
        dead,
        "pid="
            + DEAD_PID
            + "\nhost="
            + registry.host()
            + "\nentry=instance\treal:/usr/bin/apptainer\tweb\n"
            + "entry=instance\tmemory:1a2b\tgone-with-its-jvm\n"
            + "entry=instance\treal:/opt/other/singularity\tkept\n"
            + "entry=stack\treal:/usr/bin/apptainer\t/tmp/stacks/shop\n");
    Path otherHost = sessions.resolve(DEAD_PID + "-2.session");
    Files.writeString(
        otherHost,
        "pid=" + DEAD_PID + "\nhost=another-node\nentry=instance\treal:/usr/bin/apptainer\tx\n");
    Path alive = sessions.resolve(ProcessHandle.current().pid() + "-3.session");
    Files.writeString(
        alive,
        "pid="
            + ProcessHandle.current().pid()
            + "\nhost="
            + registry.host()
            + "\nentry=instance\treal:/usr/bin/apptainer\tmine\n");
    List<String> reaped = new ArrayList<>();

    var result =
        registry.reap("real:/usr/bin/apptainer", e -> reaped.add(e.kind() + " " + e.value()));

    assertEquals(List.of("instance web", "stack /tmp/stacks/shop"), reaped);
    assertEquals(1, result.size());
    String left = Files.readString(dead);
    assertFalse(
        left.contains("web") || left.contains("gone-with-its-jvm") || left.contains("shop"), left);
    assertTrue(left.contains("entry=instance\treal:/opt/other/singularity\tkept\n"), left);
    assertTrue(Files.readString(otherHost).contains("\tx\n"), "another host's session is not ours");
    assertTrue(Files.readString(alive).contains("mine"), "a live session is left alone");
    try (var files = Files.list(sessions)) {
      assertEquals(3, files.count(), "no .reaping file left");
    }
  }

  static List<String> names(FakeRuntime fake) {
    return fake.instances().stream().map(FakeInstance::name).toList();
  }

  // ---- the next run of the extension reaps a dead session's instance and stack

  static final String ENGINE_KIT = SingularityExtensionTest.ENGINE_KIT;
  static volatile Path fakeState;
  static final List<String> seenByTheNextRun = new CopyOnWriteArrayList<>();

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class NextRun {
    static FakeRuntime.Builder fakeRuntime() {
      return FakeRuntime.builder().stateDirectory(fakeState).anyImageExists();
    }

    @org.junit.jupiter.api.Test
    void findsNothingLeftOver(FakeRuntime fake) {
      seenByTheNextRun.addAll(fake.instances().stream().map(FakeInstance::name).toList());
    }
  }

  @Test
  void theNextRunOfTheExtensionReapsADeadSessionsInstanceAndStack(@TempDir Path state)
      throws IOException {
    fakeState = state.resolve("fake");
    seenByTheNextRun.clear();
    try (FakeRuntime host =
        FakeRuntime.builder().stateDirectory(fakeState).anyImageExists().build()) {
      // what the dead JVM left running: one instance and a two-service stack
      assertEquals(0, host.execute("instance", "start", "/images/x.sif", "orphan-1").exitCode());
      // a name the dead session used, now another run's instance (another PID): must survive
      assertEquals(0, host.execute("instance", "start", "/images/x.sif", "reused-1").exitCode());
      long reusedPid = host.instance("reused-1").orElseThrow().pid();
      SingularityClient client =
          SingularityClient.builder()
              .transport(host.transport())
              .binary(
                  BinaryLocator.builder()
                      .explicitPath("apptainer")
                      .build()
                      .locate(host.transport()))
              .hostIdentity(HostIdentity.of(host.homeDirectory(), "fakehost", "tester"))
              .build();
      Path stackDir = state.resolve("dead-session/stacks/shop");
      var project =
          ComposeLoader.defaults()
              .loadString(
                  "compose.yaml",
                  "name: shop\nservices:\n  db: {image: /images/db.sif}\n"
                      + "  app: {image: /images/app.sif, depends_on: [db]}\n");
      Compose.builder()
          .client(client)
          .networkPlanner(
              io.github.scompose.network.NetworkPlanner.create().withHostPorts(host.hostPorts()))
          .build()
          .up(
              project,
              PlanOptions.builder()
                  .stateDirectoryName(stackDir.resolve(".scompose").toString())
                  .build());
      assertEquals(
          List.of("orphan-1", "reused-1", "shop-app-1", "shop-db-1"),
          host.instances().stream().map(FakeInstance::name).toList());
      String runtime = "fake-dir:" + host.stateDirectory().orElseThrow();
      Files.createDirectories(sessions);
      Files.writeString(
          sessions.resolve(DEAD_PID + "-1.session"),
          "pid="
              + DEAD_PID
              + "\nhost="
              + SessionRegistry.in(sessions).host()
              + "\nentry=instance\t"
              + runtime
              + "\torphan-1\nentry=instance\t"
              + runtime
              + "\treused-1\t"
              + (reusedPid + 1)
              + "\nentry=stack\t"
              + runtime
              + "\t"
              + stackDir
              + "\n");

      System.setProperty(ENGINE_KIT, "true");
      System.setProperty(SessionRegistry.DIRECTORY_PROPERTY, sessions.toString());
      try {
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(NextRun.class))
            .execute()
            .testEvents()
            .assertStatistics(s -> s.succeeded(1).failed(0));
      } finally {
        System.clearProperty(ENGINE_KIT);
        System.clearProperty(SessionRegistry.DIRECTORY_PROPERTY);
      }

      // what the next run's first test saw: the dead session's instance and stack were stopped,
      // the instance that only shares a name (another PID) was left alone. (Afterwards the next
      // run's fake closes, which ends every instance of the shared state directory.)
      assertEquals(List.of("reused-1"), seenByTheNextRun);
      try (var files = Files.list(sessions)) {
        assertEquals(List.of(), files.toList(), "the dead session's file is gone");
      }
    }
  }
}
