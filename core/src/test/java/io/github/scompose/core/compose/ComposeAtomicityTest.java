package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.Sleeper;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 "Failure is atomic" and "State" on {@link ComposeOpsRuntime}: a failed repeat {@code up}
 * leaves the earlier up's instances recorded, {@code up SERVICE} keeps the other services recorded,
 * a start that throws after the daemon forked is rolled back, commands in errors are masked, the
 * records exist before the first start, {@code down} can be retried, the supervisor never holds a
 * thread of the work executor, and another state directory name works from another engine.
 */
class ComposeAtomicityTest extends EngineFixture<ComposeOpsRuntime> {

  ComposeAtomicityTest() {
    super(new ComposeOpsRuntime(), true);
  }

  static ComposeProject project(String name, Path directory, ServiceSpec... services) {
    return ComposeProject.builder()
        .name(name)
        .directory(directory)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(services)
        .build();
  }

  static Map<String, InstanceStatus.State> states(List<InstanceStatus> ps) {
    Map<String, InstanceStatus.State> out = new TreeMap<>();
    ps.forEach(i -> out.put(i.name(), i.state()));
    return out;
  }

  // ---- 1: a failed repeat up keeps the earlier up's instances recorded --------------------------

  @Test
  void aFailedRepeatUpLeavesTheRunningProjectRecordedSoDownStopsIt() {
    Compose compose = engine().build();
    compose.up(project(svc("db"), svc("app", "db")));
    assertEquals(2, runtime.running.size());
    var recordsBefore = records();

    // the app's image is now pulled, and the pull fails: before any start of this up
    runtime.failCommand = "pull";
    ServiceSpec app2 = svc("app", "db").withImage("docker://x/app:2");
    assertThrows(ComposeUpException.class, () -> compose.up(project(svc("db"), app2)));

    assertEquals(2, runtime.running.size(), "the earlier up's instances are not this up's");
    assertEquals(
        Map.of(
            "shop-app-1", InstanceStatus.State.RUNNING, "shop-db-1", InstanceStatus.State.RUNNING),
        states(compose.ps(dir)));
    assertEquals(recordsBefore, records(), "the records are those of the earlier up");
    assertEquals(List.of("shop-app-1", "shop-db-1"), compose.down(dir));
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
  }

  @Test
  void aRepeatUpThatFailsAtAStartStopsOnlyWhatItStartedAndKeepsTheRest() {
    Compose compose = engine().build();
    compose.up(project(svc("db")));
    // a new service whose start fails
    runtime.failCommand = null;
    runtime.timeoutOnStart.add("shop-app-1");
    assertThrows(ComposeUpException.class, () -> compose.up(project(svc("db"), svc("app", "db"))));
    assertEquals(List.of("shop-db-1"), List.copyOf(runtime.running.keySet()));
    assertEquals(Map.of("shop-db-1", InstanceStatus.State.RUNNING), states(compose.ps(dir)));
    compose.down(dir);
    assertTrue(runtime.running.isEmpty());
  }

  private io.github.scompose.core.internal.compose.InstanceRecords.Content records() {
    return io.github.scompose.core.internal.compose.InstanceRecords.read(dir.resolve(".scompose"))
        .orElseThrow();
  }

  // ---- 2: up SERVICE keeps the other services ---------------------------------------------------

  @Test
  void upOfOneServiceKeepsTheOtherRunningServicesRecorded() {
    Compose compose = engine().build();
    ComposeProject p = project(svc("db"), svc("app", "db"), svc("web", "app"));
    compose.up(p);
    assertEquals(3, runtime.running.size());

    ComposeStack again = compose.up(p, PlanOptions.builder().addServices("app").build());
    assertEquals(
        Map.of(
            "shop-app-1", InstanceStatus.State.RUNNING,
            "shop-db-1", InstanceStatus.State.RUNNING,
            "shop-web-1", InstanceStatus.State.RUNNING),
        states(again.ps()));
    // web's start record is kept too: stop and start it from another handle
    compose.attach(dir).stop("web");
    assertEquals(List.of("shop-web-1"), compose.attach(dir).start("web"));

    again.down();
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
  }

  // ---- 3: a start that throws after the daemon forked -------------------------------------------

  @Test
  void anUpWhoseStartTimesOutAfterTheInstanceWasForkedStopsIt() {
    runtime.timeoutOnStart.add("shop-app-1");
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () -> engine().build().up(project(svc("db"), svc("app", "db"))));
    assertEquals("shop-app-1", e.instance());
    assertTrue(runtime.running.isEmpty(), "left running: " + runtime.running);
    assertTrue(runtime.stopOrder.contains("shop-app-1"));
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
  }

  @Test
  void aStartWhoseStartTimesOutAfterTheInstanceWasForkedStopsIt() {
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(project(svc("db"), svc("app", "db")))) {
      stack.stop("app");
      runtime.timeoutOnStart.add("shop-app-1");
      ComposeOperationException e =
          assertThrows(ComposeOperationException.class, () -> stack.start("app"));
      assertEquals("shop-app-1", e.instance());
      assertFalse(runtime.running.containsKey("shop-app-1"), "left running");
      assertTrue(runtime.running.containsKey("shop-db-1"), "ran before: keeps running");
    }
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void anInterruptedUpStillStopsWhatItStartedAndKeepsTheInterruptStatus() {
    Thread upThread = Thread.currentThread();
    runtime.beforeStart =
        name -> {
          if (name.equals("shop-app-1")) {
            upThread.interrupt(); // a CLI's Ctrl-C while app starts
          }
        };
    try {
      assertThrows(
          ComposeUpException.class,
          () -> engine().build().up(project(svc("db"), svc("app", "db"))));
      assertTrue(upThread.isInterrupted(), "the interrupt status is set again");
    } finally {
      Thread.interrupted();
    }
    assertTrue(runtime.running.isEmpty(), "left running: " + runtime.running);
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
    assertFalse(Files.exists(dir.resolve(".scompose/instances.json")));
  }

  @Test
  void instancesTheRollbackCannotStopStayRecordedSoDownCanRetry() {
    runtime.failStop.add("shop-db-1");
    runtime.timeoutOnStart.add("shop-app-1");
    Compose compose = engine().build();
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class, () -> compose.up(project(svc("db"), svc("app", "db"))));
    assertEquals(List.of("shop-db-1"), e.unstopped());
    assertTrue(e.getMessage().contains("could not stop shop-db-1"), e.getMessage());
    assertEquals("shop-app-1", e.instance(), "still names the failed step");
    assertEquals(List.of("shop-db-1"), List.copyOf(runtime.running.keySet()));
    assertEquals(Map.of("shop-db-1", InstanceStatus.State.RUNNING), states(compose.ps(dir)));
    assertEquals(List.of("shop-db-1"), records().instances().stream().map(r -> r.name()).toList());

    runtime.failStop.clear();
    assertEquals(List.of("shop-db-1"), compose.down(dir));
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
  }

  @Test
  void aRepeatUpWhoseRollbackCannotStopANewInstanceKeepsTheEarlierStateAndTheUnstoppedOne() {
    Compose compose = engine().build();
    compose.up(project(svc("db")));
    runtime.failStop.add("shop-cache-1");
    runtime.timeoutOnStart.add("shop-app-1");
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () -> compose.up(project(svc("db"), svc("cache", "db"), svc("app", "cache"))));
    assertEquals(List.of("shop-cache-1"), e.unstopped());
    assertEquals(
        Map.of(
            "shop-cache-1", InstanceStatus.State.RUNNING,
            "shop-db-1", InstanceStatus.State.RUNNING),
        states(compose.ps(dir)));
    runtime.failStop.clear();
    assertEquals(List.of("shop-cache-1", "shop-db-1"), compose.down(dir));
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
  }

  // ---- depends_on required: false for service_started -----------------------------------------

  /** {@code dependent} depends on {@code dependency} with {@code required: false}. */
  static ServiceSpec optionallyOn(String dependent, String dependency) {
    return svc(dependent)
        .withDependsOn(
            io.github.scompose.spec.DependsOn.builder()
                .service(dependency)
                .condition(io.github.scompose.spec.DependsOn.Condition.SERVICE_STARTED)
                .required(false)
                .build());
  }

  @Test
  void aFailedStartOfANotRequiredDependencyWarnsAndTheDependentStarts() {
    runtime.timeoutOnStart.add("shop-db-1"); // forked, then the start threw: must not stay up
    Compose compose = engine().build();
    ComposeStack stack = compose.up(project(svc("db"), optionallyOn("app", "db")));
    assertEquals(List.of("shop-app-1"), List.copyOf(runtime.running.keySet()));
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.type() == ComposeEvent.Type.FAILED
                        && "shop-db-1".equals(e.instance().orElse(null))
                        && e.message().contains("required: false")),
        events.toString());
    assertEquals(
        Map.of(
            "shop-app-1", InstanceStatus.State.RUNNING, "shop-db-1", InstanceStatus.State.EXITED),
        states(stack.ps()));
    // start can try it again later
    runtime.timeoutOnStart.clear();
    assertEquals(List.of("shop-db-1"), stack.start("db"));
    stack.down();
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
  }

  @Test
  void aNotRequiredDependencyThatIsDeadAfterEveryAttemptIsSkippedToo() {
    runtime.dieOnCalls.put("shop-db-1", java.util.Set.of(1, 2, 3));
    ComposeStack stack = engine().build().up(project(svc("db"), optionallyOn("app", "db")));
    assertEquals(List.of("shop-app-1"), List.copyOf(runtime.running.keySet()));
    assertEquals(3, runtime.startCalls.get("shop-db-1"));
    stack.down();
  }

  @Test
  void aDependencyThatAnotherServiceRequiresStillFailsUp() {
    runtime.timeoutOnStart.add("shop-db-1");
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () ->
                engine()
                    .build()
                    .up(project(svc("db"), optionallyOn("app", "db"), svc("web", "db"))));
    assertEquals("shop-db-1", e.instance());
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
  }

  @Test
  void aFailedStartOfAServiceNothingDependsOnStillFailsUp() {
    runtime.timeoutOnStart.add("shop-app-1");
    assertThrows(
        ComposeUpException.class,
        () -> engine().build().up(project(svc("db"), optionallyOn("app", "db"))));
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
  }

  // ---- bind host paths (bind.create_host_path) ------------------------------------------------

  static io.github.scompose.spec.VolumeMount bind(Path source, String target, boolean create) {
    return io.github.scompose.spec.VolumeMount.builder()
        .type(io.github.scompose.spec.VolumeMount.Type.BIND)
        .source(source.toString())
        .target(target)
        .createHostPath(create)
        .build();
  }

  @Test
  void missingBindSourcesAreCreatedWhereTheComposeRulesSaySoAndOthersAreLeftAlone() {
    Path data = dir.resolve("data");
    Path strict = dir.resolve("strict");
    Path conf = dir.resolve("app.conf");
    runtime.files.put(conf.toString(), "listen 80\n"); // a file is there already
    ServiceSpec app =
        svc("app")
            .withVolumes(
                bind(data, "/data", true), // short syntax, or create_host_path: true
                bind(strict, "/strict", false), // long syntax with create_host_path: false
                bind(conf, "/etc/app.conf", true));
    try (ComposeStack stack = engine().build().up(project(app))) {
      assertTrue(runtime.directories.contains(data.toString()), runtime.directories.toString());
      assertFalse(runtime.directories.contains(strict.toString()), "left to the binary's error");
      assertFalse(runtime.directories.contains(conf.toString()), "something is there: left");
      assertTrue(
          runtime.startArgv.get("shop-app-1").contains(strict + ":/strict"),
          runtime.startArgv.toString());
    }
    // create (up --no-start) too
    runtime.directories.clear();
    engine().build().create(project(app)).down();
    assertTrue(runtime.directories.contains(data.toString()), runtime.directories.toString());
  }

  @Test
  void startCreatesTheMissingBindSourcesOfWhatItStartsAsUpDoesAndReadsOldRecords()
      throws Exception {
    Path data = dir.resolve("data");
    Path strict = dir.resolve("strict");
    Path webData = dir.resolve("web-data");
    Path conf = dir.resolve("app.conf");
    runtime.files.put(conf.toString(), "listen 80\n"); // a file is there already
    ComposeProject p =
        project(
            svc("app")
                .withVolumes(
                    bind(data, "/data", true),
                    bind(strict, "/strict", false),
                    bind(conf, "/etc/app.conf", true)),
            svc("web").withVolumes(bind(webData, "/srv", true)));
    Compose compose = engine().build();
    compose.up(p);
    assertTrue(
        Files.readString(dir.resolve(".scompose/instances.json")).contains("hostPathDirectories"));
    compose.stop(dir, null);
    runtime.directories.clear(); // e.g. the user removed them meanwhile

    assertEquals(List.of("shop-app-1"), compose.start(dir, "app"));
    assertTrue(runtime.directories.contains(data.toString()), runtime.directories.toString());
    assertFalse(runtime.directories.contains(strict.toString()), "left to the binary's error");
    assertFalse(runtime.directories.contains(conf.toString()), "something is there: left");
    assertFalse(runtime.directories.contains(webData.toString()), "web is not started");

    assertEquals(List.of("shop-web-1"), compose.start(dir, "web"));
    assertTrue(runtime.directories.contains(webData.toString()), runtime.directories.toString());

    // create, then start: the same
    compose.down(dir);
    compose.create(p);
    runtime.directories.clear();
    compose.start(dir);
    assertTrue(
        runtime.directories.containsAll(List.of(data.toString(), webData.toString())),
        runtime.directories.toString());

    // records written before the host paths were recorded still start (creating none of them)
    compose.stop(dir, null);
    Path records = dir.resolve(".scompose/instances.json");
    String old =
        Files.readString(records).replaceAll(",\\s*\"hostPathDirectories\":\\s*\\[[^\\]]*\\]", "");
    assertFalse(old.contains("hostPathDirectories"), old);
    Files.writeString(records, old);
    runtime.directories.clear();
    assertEquals(2, compose.start(dir).size());
    assertFalse(runtime.directories.contains(data.toString()), runtime.directories.toString());
    compose.down(dir);
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void onThisMachineOnlyAMissingBindSourceIsMadeAndNothingIsDeleted() throws Exception {
    Path missing = dir.resolve("host/missing");
    Path existing = Files.createDirectories(dir.resolve("host/existing"));
    Files.writeString(existing.resolve("keep.txt"), "user data");
    Path file = Files.writeString(dir.resolve("host/file.txt"), "user file");
    UpPlan plan =
        engine()
            .build()
            .plan(
                project(
                    svc("app")
                        .withVolumes(
                            bind(missing, "/a", true),
                            bind(existing, "/b", true),
                            bind(file, "/c", true))));
    assertEquals(List.of(missing, existing, file), plan.hostPathDirectories());
    io.github.scompose.core.internal.compose.StatePreparation.createHostPaths(
        io.github.scompose.core.transport.LocalProcessTransport.create(), plan);
    assertTrue(Files.isDirectory(missing));
    assertEquals("user data", Files.readString(existing.resolve("keep.txt")));
    assertEquals("user file", Files.readString(file));
    engine().build().down(dir);
    assertTrue(Files.isDirectory(missing), "down never deletes a bind source");
  }

  // ---- 4: masked commands in every error
  // ----------------------------------------------------------

  /** app with a spec 2.0 exec step carrying a password option, which exits 1. */
  ServiceSpec appWithSecretStep() {
    return ServiceSpec.builder()
        .from(svc("app"))
        .exec(Invocation.builder().addArg("migrate").addArg("--db-password=hunter2").build())
        .build();
  }

  @Test
  void aFailedStepOfUpNamesItsCommandWithThePasswordMasked() {
    runtime.execExits.put("shop-app-1", new ArrayDeque<>(List.of(1)));
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class, () -> engine().build().up(project(appWithSecretStep())));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(String.join(" ", e.maskedArgv()).contains("hunter2"), e.maskedArgv().toString());
    assertTrue(e.getMessage().contains("--db-password=***"), e.getMessage());
  }

  @Test
  void aFailedStepOfStartNamesItsCommandWithThePasswordMasked() {
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(project(appWithSecretStep()))) {
      stack.stop();
      runtime.execExits.put("shop-app-1", new ArrayDeque<>(List.of(3)));
      ComposeOperationException e =
          assertThrows(ComposeOperationException.class, () -> stack.start());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
      assertTrue(e.maskedArgv().contains("--db-password=***"), e.maskedArgv().toString());
    }
  }

  @Test
  void theExceptionMasksWhatACallerPassesUnmasked() {
    ComposeOperationException e =
        new ComposeOperationException(
            "start",
            "x",
            "failed",
            List.of("singularity", "exec", "--token", "abc", "--db-password=hunter2", "x"),
            java.util.OptionalInt.of(1),
            "",
            null);
    assertEquals(
        List.of("singularity", "exec", "--token", "***", "--db-password=***", "x"), e.maskedArgv());
    assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("abc"));
  }

  @Test
  void theReasonAndTheArgvOfAnyOperationExceptionAreMasked() {
    ComposeOperationException e =
        new ComposeOperationException(
            "run",
            "x",
            "one-off failed: migrate PASSWORD=hunter2 --db-password=hunter2 API_TOKEN=abc",
            List.of("singularity", "run", "x.sif", "PASSWORD=hunter2", "API_TOKEN=abc"),
            java.util.OptionalInt.of(1),
            "",
            null);
    assertEquals(
        List.of("singularity", "run", "x.sif", "PASSWORD=***", "API_TOKEN=***"), e.maskedArgv());
    assertEquals(
        "one-off failed: migrate PASSWORD=*** --db-password=*** API_TOKEN=***", e.reason());
    assertFalse(
        e.getMessage().contains("hunter2") || e.getMessage().contains("abc"), e.getMessage());
  }

  // ---- 5: the supervisor holds no thread of the work executor ----------------------------------

  @Test
  void aBoundedOneThreadExecutorServesTwoOpenSupervisedStacksAndTheirClose() throws Exception {
    ExecutorService one = Executors.newFixedThreadPool(1);
    try {
      Compose compose =
          engine()
              .executor(one)
              .sleeper(Sleeper.system())
              .supervisionInterval(Duration.ofMillis(5))
              .build();
      ServiceSpec worker =
          svc("worker")
              .withReplicas(2)
              .withRestart(
                  RestartPolicy.builder().condition(RestartPolicy.Condition.ALWAYS).build());
      Path other = Files.createDirectories(dir.resolve("other"));
      // a hang here would be the defect: a guard, not a speed goal
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            ComposeStack a = compose.up(project("shop", dir.resolve("a"), worker));
            ComposeStack b = compose.up(project("mall", other, worker));
            assertEquals(4, runtime.running.size());
            b.close();
            a.close();
          });
      assertTrue(runtime.running.isEmpty(), runtime.running.toString());
    } finally {
      one.shutdownNow();
    }
  }

  // ---- 6: records before the first start; written atomically ------------------------------------

  @Test
  void theRecordsExistBeforeTheFirstStart() {
    Path records = dir.resolve(".scompose/instances.json");
    List<Boolean> seen = Collections.synchronizedList(new ArrayList<>());
    runtime.beforeStart = name -> seen.add(Files.exists(records));
    engine().build().up(project(svc("db"), svc("app", "db")));
    assertEquals(List.of(true, true), seen);
  }

  /**
   * A fresh up writes the state once before the first level's starts (the write-ahead, not also an
   * empty state just before it): at each start the state file names the instance as starting and
   * its records exist, on every level.
   */
  @Test
  void atEachStartTheStateNamesTheInstanceAsStartingAndItsRecordsExist() {
    Path state = dir.resolve(".scompose/state.json");
    Path records = dir.resolve(".scompose/instances.json");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    runtime.beforeStart =
        name -> {
          try {
            var st = io.github.scompose.core.internal.compose.StateFile.read(state).orElseThrow();
            boolean starting =
                st.instances().stream().anyMatch(e -> e.name().equals(name) && e.starting());
            seen.add(name + " starting=" + starting + " records=" + Files.exists(records));
          } catch (RuntimeException e) {
            seen.add(name + ": " + e.getMessage());
          }
        };
    engine().build().up(project(svc("db"), svc("cache"), svc("app", "db", "cache")));
    assertEquals(
        List.of(
            "shop-app-1 starting=true records=true",
            "shop-cache-1 starting=true records=true",
            "shop-db-1 starting=true records=true"),
        seen.stream().sorted().toList());
  }

  @Test
  void recordsThatCannotBeWrittenFailUpBeforeAnyStart() throws Exception {
    // a non-empty directory where the records file goes: the rename over it fails
    Files.createDirectories(dir.resolve(".scompose/instances.json/blocked"));
    assertThrows(ComposeUpException.class, () -> engine().build().up(project(svc("db"))));
    assertEquals(List.of(), runtime.startedNames());
    assertTrue(runtime.running.isEmpty());
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
  }

  @Test
  void theRecordsAreWrittenOwnerOnlyThroughAUniqueTemporaryFileInAnOwnerOnlyFolder()
      throws Exception {
    Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "needs a POSIX file system for modes");
    // a leftover of another writer under the old fixed temporary name is neither reused nor in
    // the way
    Files.createDirectories(dir.resolve(".scompose/instances.json.tmp/other-writer"));
    Files.setPosixFilePermissions(
        dir.resolve(".scompose"), PosixFilePermissions.fromString("rwx------"));
    engine().build().up(project(svc("db")));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(".scompose/instances.json"))));
    assertTrue(Files.exists(dir.resolve(".scompose/instances.json.tmp/other-writer")));
    try (var names = Files.list(dir.resolve(".scompose"))) {
      assertEquals(
          List.of(),
          names
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".tmp") && !n.equals("instances.json.tmp"))
              .toList(),
          "no temporary file left");
    }
  }

  @Test
  void everyOperationCreatesTheStateFolderOwnerOnly() throws Exception {
    Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "needs a POSIX file system for modes");
    Path folder = dir.resolve(".scompose");
    Compose compose = engine().build();
    compose.up(project(svc("db")));
    assertEquals("rwx------", mode(folder));
    compose.stop(dir, null);
    // the folder goes (as another tool might remove it) but the records stay readable elsewhere:
    // start, create and up make it again, owner-only
    compose.down(dir);
    deleteTree(folder);
    compose.create(project(svc("db")));
    assertEquals("rwx------", mode(folder));
    compose.down(dir);
    deleteTree(folder);
    compose.up(project(svc("db")), PlanOptions.builder().build());
    assertEquals("rwx------", mode(folder));
  }

  static String mode(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static void deleteTree(Path root) throws java.io.IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  // ---- 7: down can be retried
  // ---------------------------------------------------------------------

  @Test
  void aDownThatFailedCanBeRetriedThroughClose() {
    ComposeStack stack = engine().build().up(project(svc("db"), svc("app", "db")));
    runtime.failStop.add("shop-app-1");
    assertThrows(RuntimeException.class, stack::down);
    assertTrue(runtime.running.containsKey("shop-app-1"));
    assertTrue(Files.exists(dir.resolve(".scompose/state.json")), "still recorded");

    runtime.failStop.clear();
    stack.close();
    assertTrue(runtime.running.isEmpty(), runtime.running.toString());
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
    assertEquals(List.of(), stack.down(), "done: later calls do nothing");
  }

  @Test
  void aSupervisorRoundBetweenTheStopsOfDownAndTheStateDeletionRestartsNothing() {
    Compose compose = engine().build();
    ServiceSpec worker =
        svc("worker")
            .withRestart(RestartPolicy.builder().condition(RestartPolicy.Condition.ALWAYS).build());
    try (ComposeStack stack = compose.up(project(worker, svc("web", "worker")))) {
      List<List<String>> restarted = Collections.synchronizedList(new ArrayList<>());
      // the open stack's supervisor runs a round right after down (another engine) stopped worker
      runtime.afterStop =
          name -> {
            if (name.equals("shop-worker-1")) {
              restarted.add(stack.superviseOnce());
            }
          };
      assertEquals(List.of("shop-web-1", "shop-worker-1"), engine().build().down(dir));
      assertEquals(List.of(List.of()), restarted, "the round saw the stopped marks");
      assertTrue(runtime.running.isEmpty(), "left running: " + runtime.running);
      assertEquals(1, runtime.startCalls.get("shop-worker-1"));
    }
  }

  // ---- 8: another state directory name ---------------------------------------------------------

  @Test
  void anEngineWithTheSameStateDirectoryNameFindsTheProjectFromAnotherProcess() {
    PlanOptions elsewhere = PlanOptions.builder().stateDirectoryName("state-x").build();
    engine().build().up(project(svc("db"), svc("app", "db")), elsewhere);
    assertTrue(Files.exists(dir.resolve("state-x/state.json")));

    Compose second = engine().stateDirectoryName("state-x").build();
    assertEquals(2, second.ps(dir).size());
    assertEquals(List.of("shop-app-1"), second.stop(dir, null, "app"));
    assertEquals(List.of("shop-app-1"), second.start(dir, "app"));
    assertEquals(2, second.attach(dir).ps().size());
    assertEquals(List.of("shop-app-1", "shop-db-1"), second.down(dir));
    assertTrue(runtime.running.isEmpty());
    assertEquals(List.of(), engine().build().ps(dir), "the default name finds nothing");
    assertThrows(IllegalArgumentException.class, () -> Compose.builder().stateDirectoryName(".."));
    assertThrows(IllegalArgumentException.class, () -> Compose.builder().stateDirectoryName("/x"));
  }
}
