package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, crash-safe state, on the in-JVM fake runtime: {@code up} writes each level's instances
 * ahead as {@code starting} before their starts, so an {@code up} whose JVM dies right after a
 * start leaves them recorded and {@code down} stops them; the next {@code up} adopts or recreates
 * an instance of its own name instead of failing with "already exists"; a damaged {@code
 * state.json} or {@code instances.json} stops neither {@code down} (instances found by name, file
 * kept as {@code .bak}) nor {@code up}, and {@code ps} names the file and what is wrong.
 */
class CrashSafeStateTest {

  @TempDir Path dir;
  FakeRuntime fake;
  WatchingTransport transport;
  final List<ComposeEvent> events = Collections.synchronizedList(new ArrayList<>());

  /** Threads of the "killed" up: daemons, they stay parked when the test ends. */
  final ExecutorService killedPool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "killed-up");
            t.setDaemon(true);
            return t;
          });

  @BeforeEach
  void fake() {
    fake = FakeRuntime.builder().anyImageExists().build();
    transport = new WatchingTransport(fake.transport());
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  Compose.Builder engine() {
    SingularityClient client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                BinaryLocator.builder().explicitPath("apptainer").build().locate(fake.transport()))
            .hostIdentity(HostIdentity.of(fake.homeDirectory(), "fakehost", "tester"))
            .build();
    return Compose.builder()
        .client(client)
        .listener(events::add)
        .supervisionInterval(java.time.Duration.ZERO)
        .networkPlanner(
            NetworkPlanner.create().withHostPorts(new ComposeOnFakeRuntimeTest.AnyPort()));
  }

  /** db ← app ← web: one instance per level. */
  ComposeProject chain() {
    return ComposeOnFakeRuntimeTest.project(
        "shop",
        dir,
        ComposeOnFakeRuntimeTest.svc("db"),
        ComposeOnFakeRuntimeTest.svc("app", "db"),
        ComposeOnFakeRuntimeTest.svc("web", "app"));
  }

  Set<String> listed() {
    return fake.instances().stream().map(FakeInstance::name).collect(Collectors.toSet());
  }

  Path state() {
    return dir.resolve(".scompose/state.json");
  }

  List<String> recovered() {
    synchronized (events) {
      return events.stream()
          .filter(e -> e.type() == ComposeEvent.Type.RECOVERED)
          .map(e -> e.instance().map(i -> i + ": ").orElse("") + e.message())
          .map(m -> m.replace(dir.toString(), "DIR"))
          .toList();
    }
  }

  /**
   * Runs {@code up} of {@link #chain()} on an engine of its own whose JVM "dies" right after the
   * binary started {@code instance}: the thread halts for good, so nothing after that start runs
   * (no startup check, no state write, no rollback).
   */
  void upKilledAfterStartOf(String instance) throws InterruptedException {
    transport.haltAfterStartOf = instance;
    Compose doomed = engine().executor(killedPool).build();
    Thread up = new Thread(() -> doomed.up(chain()), "killed-up-main");
    up.setDaemon(true);
    up.start();
    assertTrue(transport.halted.await(30, TimeUnit.SECONDS), "the start was not reached");
    transport.haltAfterStartOf = null;
  }

  // ---- write-ahead
  // -------------------------------------------------------------------------------

  @Test
  void anInstanceStartedByAnUpThatDiedIsRecordedAsStartingAndDownStopsIt() throws Exception {
    upKilledAfterStartOf("shop-app-1");
    assertEquals(Set.of("shop-db-1", "shop-app-1"), listed());

    String text = Files.readString(state());
    String app =
        text.lines().filter(l -> l.contains("\"name\": \"shop-app-1\"")).findFirst().orElseThrow();
    assertTrue(app.contains("\"starting\": true"), text);
    // db's start returned too, but starts are confirmed by one listing at the end (issue 11): it is
    // recorded as starting as well, and down stops it all the same
    String db =
        text.lines().filter(l -> l.contains("\"name\": \"shop-db-1\"")).findFirst().orElseThrow();
    assertTrue(db.contains("\"starting\": true"), text);
    assertFalse(text.contains("shop-web-1"), "web's level was not reached: " + text);

    // another process: only the state file
    List<String> stopped = engine().build().down(dir);
    assertEquals(List.of("shop-app-1", "shop-db-1"), stopped);
    assertEquals(Set.of(), listed());
    assertFalse(Files.exists(state()));
  }

  /**
   * Runs {@code up} of {@link #chain()} whose JVM "dies" while the {@code instance start} of {@code
   * instance} is under way: the start's child goes on and registers the instance when {@link
   * WatchingTransport#releaseStart} is counted down.
   */
  void upKilledDuringStartOf(String instance) throws Exception {
    transport.holdStartOf = instance;
    Compose doomed = engine().executor(killedPool).build();
    Thread up = new Thread(() -> doomed.up(chain()), "killed-up-main");
    up.setDaemon(true);
    up.start();
    assertTrue(transport.startHeld.await(30, TimeUnit.SECONDS), "the start was not reached");
    assertTrue(Files.readString(state()).contains("\"startingSince\": "), "recorded at");
  }

  @Test
  void downWaitsForAStartThatCompletesAfterDownBeganAndStopsIt() throws Exception {
    upKilledDuringStartOf("shop-app-1");
    assertEquals(Set.of("shop-db-1"), listed(), "app's start is still under way");
    List<java.time.Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    List<String> stopped =
        engine()
            .sleeper(
                d -> {
                  sleeps.add(d);
                  transport.releaseStart.countDown(); // the start completes while down polls
                  assertTrue(transport.startDone.await(30, TimeUnit.SECONDS));
                })
            .build()
            .down(dir);
    transport.releaseStart.countDown(); // a down that did not wait: the start completes now
    assertTrue(transport.startDone.await(30, TimeUnit.SECONDS));

    assertEquals(Set.of(), listed(), "the late instance was stopped");
    assertEquals(List.of("shop-app-1", "shop-db-1"), stopped);
    assertFalse(sleeps.isEmpty());
  }

  @Test
  void downCountsAStartingInstanceThatNeverAppearsGoneAfterTheGrace() throws Exception {
    upKilledDuringStartOf("shop-app-1");
    java.time.Instant t0 = java.time.Instant.now();
    AdvancingClock clock = new AdvancingClock(t0);

    List<String> stopped =
        engine()
            .clock(clock)
            .sleeper(clock::advance)
            .startingGrace(java.time.Duration.ofSeconds(10))
            .build()
            .down(dir);

    assertEquals(List.of("shop-app-1", "shop-db-1"), stopped);
    assertFalse(Files.exists(state()));
    assertTrue(
        java.time.Duration.between(t0, clock.instant()).compareTo(java.time.Duration.ofSeconds(10))
            <= 0,
        "waited at most the grace since the entry was recorded: " + clock.instant());
    assertTrue(clock.instant().isAfter(t0.plusSeconds(9)), "polled until the grace passed");
    assertEquals(1, transport.startDone.getCount(), "the start never completed");
  }

  /** A clock that moves only when {@link #advance} is called (the down's sleeper). */
  static final class AdvancingClock extends java.time.Clock {
    private volatile java.time.Instant now;

    AdvancingClock(java.time.Instant start) {
      now = start;
    }

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void upAfterAnUpThatDiedAdoptsTheUnconfirmedInstanceWithTheSameCommand() throws Exception {
    upKilledAfterStartOf("shop-app-1");
    int appStarts = transport.starts("shop-app-1");

    try (ComposeStack stack = engine().build().up(chain())) {
      assertEquals(Set.of("shop-db-1", "shop-app-1", "shop-web-1"), listed());
      assertEquals(appStarts, transport.starts("shop-app-1"), "adopted, not started again");
      assertEquals(
          List.of(
              "shop-db-1: recorded as starting by an up that did not finish, running with the"
                  + " same start command: adopted",
              "shop-app-1: recorded as starting by an up that did not finish, running with the"
                  + " same start command: adopted"),
          recovered());
      assertTrue(
          stack.ps().stream().allMatch(i -> i.state() == InstanceStatus.State.RUNNING),
          () -> stack.ps().toString());
      assertFalse(Files.readString(state()).contains("starting"));
    }
    assertEquals(Set.of(), listed());
  }

  @Test
  void upMeetingAnInstanceOfItsNameThatNoRecordNamesFailsAndLeavesItRunning() throws Exception {
    // another project's instance of the same name (project shop in another directory, or project
    // shop with service app next to project "shop-app"...): no state or records of this one name it
    fake.execute("instance", "start", "/images/other.sif", "shop-app-1");
    long pid = fake.instance("shop-app-1").orElseThrow().pid();

    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> engine().build().up(chain()));

    assertEquals("shop-app-1", e.instance());
    assertTrue(
        e.getMessage()
            .contains(
                "shop-app-1 is running, but this project does not record it (a project of the same"
                    + " name in another folder, or a removed .scompose folder?): it is left alone"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("already exists"), "the binary's words too: " + e.getMessage());
    assertEquals(Set.of("shop-app-1"), listed(), "the other project's instance keeps running");
    assertEquals(pid, fake.instance("shop-app-1").orElseThrow().pid());
    assertEquals("/images/other.sif", fake.instance("shop-app-1").orElseThrow().image());
    assertEquals(List.of(), recovered());
  }

  @Test
  void upAfterSettingADamagedStateAsideRecreatesAnInstanceOfItsNameThatNoRecordNames()
      throws Exception {
    upThenDamageState("[".getBytes(StandardCharsets.UTF_8));
    Files.delete(dir.resolve(".scompose/instances.json"));
    fake.execute("instance", "stop", "shop-app-1");
    fake.execute("instance", "start", "/images/other.sif", "shop-app-1");

    try (ComposeStack stack = engine().build().up(chain())) {
      assertEquals(Set.of("shop-db-1", "shop-app-1", "shop-web-1"), listed());
      assertEquals(
          "/images/app.sif", fake.instance("shop-app-1").orElseThrow().image(), "recreated");
      assertTrue(
          recovered()
              .contains(
                  "shop-app-1: already running, not recorded as running (this project has no"
                      + " record of it): stopping it to start it again"),
          recovered()::toString);
    }
    assertEquals(Set.of(), listed());
  }

  @Test
  void aDryRunKeepsTheLeasesOfAProjectWhoseStateIsDamaged() throws Exception {
    LeaseStore leases = LeaseStore.open(dir.resolve("leases.json"));
    RuntimeFacts root =
        RuntimeFacts.builder().dialect(engine().build().client().dialect()).root(true).build();
    Compose compose = engine().facts(root).leases(leases).build();
    compose.up(chain());
    int taken = leases.leases().size();
    assertEquals(3, taken, leases.leases()::toString);
    Files.write(state(), "{".getBytes(StandardCharsets.UTF_8));

    UpPlan dryRun = compose.plan(chain());
    assertEquals(0, compose.discard(dryRun));

    assertEquals(taken, leases.leases().size(), "the running project keeps its leases");
    compose.down(dir, "shop", null, false);
    assertEquals(Set.of(), listed());
    assertTrue(leases.leases().isEmpty());
  }

  @Test
  void anInstanceOfTheRecordsWithTheSameCommandIsAdoptedWhenTheStateLacksIt() throws Exception {
    Compose compose = engine().build();
    compose.up(chain());
    Files.delete(state()); // instances.json stays: what would have been started is recorded there
    long dbPid = fake.instance("shop-db-1").orElseThrow().pid();

    try (ComposeStack stack = compose.up(chain())) {
      assertEquals(dbPid, fake.instance("shop-db-1").orElseThrow().pid(), "the same instance");
      assertEquals(3, stack.ps().size());
      assertTrue(
          recovered().stream().allMatch(m -> m.endsWith(": adopted")), recovered()::toString);
      assertEquals(3, recovered().size(), recovered()::toString);
    }
    assertEquals(Set.of(), listed());
  }

  // ---- damaged files
  // -----------------------------------------------------------------------------

  void upThenDamageState(byte[] damage) throws Exception {
    engine().build().up(chain());
    assertEquals(3, listed().size());
    Files.write(state(), damage);
    events.clear();
  }

  void assertDownRecovers(byte[] damage, String problem) throws Exception {
    upThenDamageState(damage);

    List<String> stopped = engine().build().down(dir, "shop", null, false);

    assertEquals(Set.of("shop-web-1", "shop-app-1", "shop-db-1"), Set.copyOf(stopped));
    assertEquals(Set.of(), listed());
    assertFalse(Files.exists(state()));
    assertArrayEquals(damage, Files.readAllBytes(dir.resolve(".scompose/state.json.bak")));
    assertFalse(Files.exists(dir.resolve(".scompose/instances.json")), "readable: removed");
    assertEquals(
        List.of(
            "DIR/.scompose/state.json is damaged: "
                + problem
                + "; stopping the listed instances that instances.json records: "
                + String.join(", ", stopped),
            "kept the damaged state.json as state.json.bak in DIR/.scompose"),
        recovered());
  }

  @Test
  void downWithRandomBytesInTheStateFileStopsTheInstancesByNameAndKeepsTheFile() throws Exception {
    byte[] random = new byte[64];
    new Random(17).nextBytes(random);
    random[0] = (byte) 0xf0; // a 4-byte sequence cut short: MalformedInputException "length = 4"
    random[1] = (byte) 0x9f;
    random[2] = (byte) 0x41;
    assertDownRecovers(random, "not UTF-8 (byte 0xf0 at offset 0)");
  }

  @Test
  void downWithTruncatedJsonStopsTheInstancesByNameAndKeepsTheFile() throws Exception {
    assertDownRecovers(
        "{\n  \"format\": 1,\n  \"project\": \"sh".getBytes(StandardCharsets.UTF_8),
        "not JSON at line 3, column 17");
  }

  @Test
  void downWithAStateFileOfTheWrongShapeStopsTheInstancesByNameAndKeepsTheFile() throws Exception {
    assertDownRecovers(
        "{\"format\": 1, \"directory\": \"/x\"}".getBytes(StandardCharsets.UTF_8),
        "not a state file (missing key \"project\")");
  }

  @Test
  void anEarlierBackupIsKeptAndTheNewOneGetsANewName() throws Exception {
    Files.createDirectories(dir.resolve(".scompose"));
    Files.writeString(dir.resolve(".scompose/state.json.bak"), "an earlier backup");
    upThenDamageState(new byte[] {(byte) 0xff});

    engine().build().down(dir, "shop", null, false);

    assertEquals(Set.of(), listed());
    assertEquals("an earlier backup", Files.readString(dir.resolve(".scompose/state.json.bak")));
    assertArrayEquals(
        new byte[] {(byte) 0xff}, Files.readAllBytes(dir.resolve(".scompose/state.json.bak.2")));
  }

  @Test
  void downByNameLeavesOtherProjectsAlone() throws Exception {
    upThenDamageState("]".getBytes(StandardCharsets.UTF_8));
    fake.execute("instance", "start", "/images/x.sif", "shop2-db-1");
    fake.execute("instance", "start", "/images/x.sif", "shop-db-x");
    fake.execute("instance", "start", "/images/x.sif", "other-shop-db-1");

    engine().build().down(dir, "shop", null, false);

    assertEquals(Set.of("shop2-db-1", "shop-db-x", "other-shop-db-1"), listed());
  }

  @Test
  void downWithReadableRecordsStopsOnlyTheInstancesTheyName() throws Exception {
    upThenDamageState("]".getBytes(StandardCharsets.UTF_8));
    // project shop of another directory, with a service this one does not have
    fake.execute("instance", "start", "/images/x.sif", "shop-cache-1");

    List<String> stopped = engine().build().down(dir, "shop", null, false);

    assertEquals(List.of("shop-web-1", "shop-app-1", "shop-db-1"), stopped);
    assertEquals(Set.of("shop-cache-1"), listed());
  }

  void damageBoth() throws Exception {
    Files.write(state(), "]".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve(".scompose/instances.json"), "[".getBytes(StandardCharsets.UTF_8));
    events.clear();
  }

  @Test
  void downWithBothFilesDamagedLeavesWhatAnotherProjectRecordsAndSaysWhatItStops()
      throws Exception {
    LeaseStore leases = LeaseStore.open(dir.resolve("leases.json"));
    Compose compose = engine().leases(leases).build(); // host networking: no address leases
    compose.up(chain());
    // project "shop-b" with service web: its instance shop-b-web-1 is named like shop's "b-web"
    Path other = Files.createDirectory(dir.resolve("b"));
    compose.up(
        ComposeOnFakeRuntimeTest.project("shop-b", other, ComposeOnFakeRuntimeTest.svc("web")));
    damageBoth();

    List<String> stopped = engine().leases(leases).build().down(dir, "shop", null, false);

    assertEquals(Set.of("shop-web-1", "shop-app-1", "shop-db-1"), Set.copyOf(stopped));
    assertEquals(Set.of("shop-b-web-1"), listed());
    assertEquals(
        "DIR/.scompose/state.json is damaged: not JSON at line 1, column 1; stopping the listed"
            + " instances named as project shop's: "
            + String.join(", ", stopped),
        recovered().get(0));
    compose.down(other);
    assertEquals(Set.of(), listed());
  }

  @Test
  void downOfACompatStackWithBothFilesDamagedStopsItsInstances() throws Exception {
    ComposeStack stack =
        engine()
            .build()
            .up(chain(), PlanOptions.builder().naming(InstanceNaming.REFERENCE).build());
    assertEquals(Set.of("db1", "app1", "web1"), listed());
    damageBoth();

    assertEquals(Set.of("db1", "app1", "web1"), Set.copyOf(stack.down()));

    assertEquals(Set.of(), listed());
  }

  @Test
  void downWithADamagedRecordsFileStopsWhatTheStateRecordsAndKeepsIt() throws Exception {
    engine().build().up(chain());
    Path records = dir.resolve(".scompose/instances.json");
    byte[] damage = "{\"format\": 1, \"instances\": [".getBytes(StandardCharsets.UTF_8);
    Files.write(records, damage);
    events.clear();

    List<String> stopped = engine().build().down(dir);

    assertEquals(List.of("shop-web-1", "shop-app-1", "shop-db-1"), stopped);
    assertEquals(Set.of(), listed());
    assertArrayEquals(damage, Files.readAllBytes(dir.resolve(".scompose/instances.json.bak")));
    assertEquals(
        List.of(
            "DIR/.scompose/instances.json is damaged: not JSON at line 1, column 29; kept it as"
                + " instances.json.bak"),
        recovered());
  }

  @Test
  void psWithADamagedStateFileNamesItAndWhatIsWrong() throws Exception {
    upThenDamageState(new byte[] {'{', (byte) 0xc3, '}'});

    DamagedStateException e =
        assertThrows(DamagedStateException.class, () -> engine().build().ps(dir));

    assertEquals(
        "DIR/.scompose/state.json is damaged: not UTF-8 (byte 0xc3 at offset 1)",
        e.getMessage().replace(dir.toString(), "DIR"));
    assertEquals(3, listed().size(), "ps stops nothing");
    engine().build().down(dir, "shop", null, false);
    assertEquals(Set.of(), listed());
  }

  @Test
  void upWithADamagedStateFileKeepsItAndReconcilesFromTheListing() throws Exception {
    upThenDamageState("not json at all: [".getBytes(StandardCharsets.UTF_8));

    try (ComposeStack stack = engine().build().up(chain())) {
      assertEquals(3, stack.ps().size());
      assertEquals(Set.of("shop-db-1", "shop-app-1", "shop-web-1"), listed());
      assertTrue(Files.exists(dir.resolve(".scompose/state.json.bak")));
      List<String> r = recovered();
      assertTrue(
          r.get(0)
              .startsWith(
                  "DIR/.scompose/state.json is damaged: not JSON at line 1, column 19; kept it"
                      + " as state.json.bak and reconciling from the instance listing"),
          r::toString);
      // the records were readable and hold the same start commands: adopted
      assertEquals(3, r.stream().filter(m -> m.endsWith(": adopted")).count(), () -> r.toString());
    }
    assertEquals(Set.of(), listed());
  }
}
