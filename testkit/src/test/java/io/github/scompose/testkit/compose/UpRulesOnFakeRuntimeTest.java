package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.spec.VolumeMount;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 6's newer {@code up} rules, end to end on the in-JVM fake runtime (which rejects unknown
 * flags like the real binary) with the engine on the fake's virtual clock, per dialect where the
 * behaviour differs: one-off {@code service_completed_successfully} dependencies, images converted
 * from Docker ({@code instance run} or {@code instance start} + a background {@code run}), {@code
 * working_dir} only where the subcommand has {@code --pwd}, tmpfs as {@code --scratch}, spec 2.0
 * {@code post} on the host, the hosts file through {@link Transport#writeFile}, the restart
 * policy's {@code window}, and the binary's FATAL line in {@code up}'s error.
 */
class UpRulesOnFakeRuntimeTest {

  @TempDir Path dir;
  final VirtualTimeSource time = VirtualTimeSource.create();
  final List<ComposeEvent> events = Collections.synchronizedList(new ArrayList<>());
  final ExecutorService pool = Executors.newCachedThreadPool();
  FakeRuntime fake;
  WatchingTransport watching;
  HostAndFake transport;

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (fake != null) {
      fake.close();
    }
  }

  /** A fake of {@code dialect} on the virtual clock, where every image path exists. */
  FakeRuntime fake(FakeDialect dialect, UnaryOperator<FakeRuntime.Builder> programme) {
    if (fake != null) {
      fake.close();
    }
    fake =
        programme
            .apply(FakeRuntime.builder().dialect(dialect).anyImageExists().timeSource(time))
            .build();
    watching = new WatchingTransport(fake.transport());
    transport = new HostAndFake(watching);
    return fake;
  }

  FakeRuntime fake(FakeDialect dialect) {
    return fake(dialect, b -> b);
  }

  final Clock clock = new TimeSourceClock(time);

  SingularityClient client() {
    return SingularityClient.builder()
        .transport(transport)
        .binary(
            SingularityBinary.of(
                fake.dialect().program(),
                BinaryVersion.parse(fake.dialect().program() + " version " + fake.version())))
        .hostIdentity(
            HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name")))
        .clock(clock)
        .sleeper(time::sleep)
        .build();
  }

  Compose.Builder engine() {
    return Compose.builder()
        .client(client())
        .executor(pool)
        .parallelism(4)
        .listener(events::add)
        .clock(clock)
        .sleeper(time::sleep)
        .supervisionInterval(Duration.ZERO)
        .networkPlanner(
            NetworkPlanner.create().withHostPorts(new ComposeOnFakeRuntimeTest.AnyPort()));
  }

  ComposeProject project(SourceFormat format, ServiceSpec... services) {
    return ComposeProject.builder()
        .name("shop")
        .directory(dir)
        .format(format)
        .addServices(services)
        .build();
  }

  /** A Compose Specification project (docker-compose.yml). */
  ComposeProject compose(ServiceSpec... services) {
    return project(SourceFormat.COMPOSE_SPEC, services);
  }

  static ServiceSpec svc(String name) {
    return ServiceSpec.builder().name(name).image("/images/" + name + ".sif").build();
  }

  static ServiceSpec migrate() {
    return svc("migrate").withCommand(List.of("migrate", "--all"));
  }

  static ServiceSpec afterMigrate(String name) {
    return svc(name)
        .withDependsOn(
            DependsOn.builder()
                .service("migrate")
                .condition(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY)
                .build());
  }

  Set<String> listed() {
    return fake.instances().stream().map(FakeInstance::name).collect(Collectors.toSet());
  }

  /**
   * Index of the first command the fake saw that contains {@code words} in this order (not
   * necessarily adjacent), or -1.
   */
  int indexOf(String... words) {
    synchronized (watching.commands) {
      for (int i = 0; i < watching.commands.size(); i++) {
        int at = 0;
        for (String w : watching.commands.get(i)) {
          if (at < words.length && words[at].equals(w)) {
            at++;
          }
        }
        if (at == words.length) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The first command the fake saw that contains {@code words} in this order. */
  List<String> command(String... words) {
    int i = indexOf(words);
    assertTrue(i >= 0, "no command with " + List.of(words) + " in " + watching.commands);
    return watching.commands.get(i);
  }

  /** The instance start (or 2.x instance.start) of {@code instance}. */
  List<String> startOf(String instance) {
    synchronized (watching.commands) {
      return watching.commands.stream()
          .filter(c -> c.contains(instance) && isStart(c))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no start of " + instance));
    }
  }

  static boolean isStart(List<String> argv) {
    return Collections.indexOfSubList(argv, List.of("instance", "start")) >= 0
        || argv.contains("instance.start");
  }

  // ---- service_completed_successfully: a one-off run -------------------------------------------

  @ParameterizedTest
  @EnumSource(FakeDialect.class)
  void aOneOffThatExitsZeroGatesItsDependentAndIsNeverAnInstance(FakeDialect dialect) {
    fake(
        dialect,
        b ->
            b.respondToRun(
                "/images/migrate.sif",
                List.of("migrate", "--all"),
                ScriptedResponse.builder().stdout("migrated 2 of 2\n").build()));
    try (ComposeStack stack =
        engine().build().up(compose(svc("db"), migrate(), afterMigrate("app")))) {
      int run = indexOf("run", "/images/migrate.sif", "migrate", "--all");
      assertTrue(run >= 0, "the one-off ran on the image: " + watching.commands);
      assertTrue(run < watching.commands.indexOf(startOf("shop-app-1")), "app waited for it");
      assertEquals(Set.of("shop-db-1", "shop-app-1"), listed());
      assertFalse(
          watching.commands.stream().anyMatch(c -> isStart(c) && c.contains("shop-migrate-1")),
          "the one-off is not started as an instance");
      assertTrue(stack.ps().stream().noneMatch(s -> s.service().equals("migrate")));
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e.type() == ComposeEvent.Type.STOPPED
                          && e.instance().orElse("").equals("shop-migrate-1")
                          && e.message().contains("completed successfully")),
          events.toString());
    }
    assertEquals(Set.of(), listed());
  }

  @ParameterizedTest
  @EnumSource(FakeDialect.class)
  void aOneOffThatExitsNonZeroRollsBackEverythingNamingServiceAndExitCode(FakeDialect dialect) {
    fake(
        dialect,
        b ->
            b.respondToRun(
                "/images/migrate.sif",
                List.of("migrate", "--all"),
                ScriptedResponse.builder()
                    .exitCode(3)
                    .stdout("migrating 1 of 2\n")
                    .stderr("relation users already exists\n")
                    .build()));
    ServiceSpec migrateAfterDb = migrate().withDependsOn(DependsOn.on("db"));
    Compose compose = engine().build();
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () -> compose.up(compose(svc("db"), migrateAfterDb, afterMigrate("app"))));
    assertEquals(Set.of(), listed(), "zero instances left");
    assertEquals("migrate", e.instance());
    assertEquals(3, e.exitCode().orElseThrow());
    assertTrue(e.getMessage().contains("service 'migrate'"), e.getMessage());
    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
    assertTrue(e.logTail().contains("relation users already exists"), e.logTail());
    assertTrue(watching.count("instance", "stop") + watching.count("instance.stop") >= 1);
    assertFalse(watching.commands.stream().anyMatch(c -> c.contains("shop-app-1")));
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
  }

  // ---- images converted from Docker ------------------------------------------------------------

  /** A Docker image whose runscript (the image's ENTRYPOINT/CMD) echoes its arguments. */
  static FakeRuntime.Builder dockerImage(FakeRuntime.Builder b) {
    return b.image(
        FakeImage.builder()
            .path("docker://busybox:1.36")
            .runscript("exec /bin/sh \"$@\"")
            .addRunscriptStdout("runscript args: $@")
            .build());
  }

  static ServiceSpec dockerWeb() {
    return ServiceSpec.builder()
        .name("web")
        .image("docker://busybox:1.36")
        .command(List.of("httpd", "-f", "-p", "8080"))
        .build();
  }

  @Test
  void aDockerImageOnApptainerStartsWithInstanceRun() {
    fake(FakeDialect.APPTAINER_1, UpRulesOnFakeRuntimeTest::dockerImage);
    try (ComposeStack stack = engine().build().up(compose(dockerWeb()))) {
      List<String> run = command("instance", "run");
      assertTrue(run.contains("shop-web-1"), run.toString());
      assertEquals(
          List.of("shop-web-1", "httpd", "-f", "-p", "8080"),
          run.subList(run.size() - 5, run.size()));
      assertEquals(-1, indexOf("instance", "start"), "no instance start");
      assertEquals(-1, indexOf("instance://shop-web-1"), "no background run");
      FakeInstance web = fake.instance("shop-web-1").orElseThrow();
      assertEquals(List.of("httpd", "-f", "-p", "8080"), web.arguments());
      // the runscript ran with the command as its arguments (its output is the instance's log)
      assertEquals(
          Optional.of("runscript args: httpd -f -p 8080\n"),
          fake.readFile(fake.logOutPath("shop-web-1")));
    }
    assertEquals(Set.of(), listed());
  }

  @ParameterizedTest
  @EnumSource(
      value = FakeDialect.class,
      names = {"SINGULARITY_CE_3_4", "SINGULARITY_2"})
  void aDockerImageWithoutInstanceRunStartsThenRunsTheCommandInTheBackground(FakeDialect d) {
    fake(d, UpRulesOnFakeRuntimeTest::dockerImage);
    try (ComposeStack stack = engine().build().up(compose(dockerWeb()))) {
      List<String> start = startOf("shop-web-1");
      assertEquals("shop-web-1", start.get(start.size() - 1), "no startscript args: " + start);
      assertEquals(-1, indexOf("instance", "run"));
      int background = indexOf("run", "instance://shop-web-1", "httpd", "-f", "-p", "8080");
      assertTrue(background > watching.commands.indexOf(start), watching.commands.toString());
      assertEquals(List.of(), fake.instance("shop-web-1").orElseThrow().arguments());
      assertEquals(Set.of("shop-web-1"), listed());
    }
    assertEquals(Set.of(), listed());
  }

  @Test
  void aDockerImageOnSingularityCe34GetsWorkingDirOnItsBackgroundRun() {
    fake(FakeDialect.SINGULARITY_CE_3_4, UpRulesOnFakeRuntimeTest::dockerImage);
    ServiceSpec web = dockerWeb().withWorkingDir("/srv/www");
    try (ComposeStack stack = engine().build().up(compose(web))) {
      assertFalse(startOf("shop-web-1").contains("--pwd"), startOf("shop-web-1").toString());
      List<String> run = command("run", "--pwd", "/srv/www", "instance://shop-web-1", "httpd");
      assertEquals(List.of("httpd", "-f", "-p", "8080"), run.subList(run.size() - 4, run.size()));
    }
  }

  static ServiceSpec restarting(ServiceSpec s) {
    return s.withRestart(RestartPolicy.of(RestartPolicy.Condition.ALWAYS));
  }

  @Test
  void aRestartByPolicyOfADockerImageOnApptainerUsesInstanceRunAgain() {
    fake(
        FakeDialect.APPTAINER_1,
        b -> dockerImage(b).crashAfter("shop-web-1", Duration.ofSeconds(30)));
    try (ComposeStack stack = engine().build().up(compose(restarting(dockerWeb())))) {
      time.advance(Duration.ofSeconds(31));
      assertEquals(List.of("shop-web-1"), stack.superviseOnce());
      assertEquals(2, watching.count("instance", "run"));
      assertEquals(0, watching.count("instance", "start"));
      assertEquals(
          List.of("httpd", "-f", "-p", "8080"),
          fake.instance("shop-web-1").orElseThrow().arguments());
    }
  }

  /**
   * The supervisor restarts with {@code instance start} only ({@code RestartSupervisor}: {@code
   * s.client().start(i.start())}), while {@code up} (and since ab80c6a the {@code start}/{@code
   * restart} operations) launch a Docker image's command with a background {@code run
   * instance://NAME} after it: after a policy restart the instance runs nothing.
   */
  @ParameterizedTest
  @EnumSource(
      value = FakeDialect.class,
      names = {"SINGULARITY_CE_3_4", "SINGULARITY_2"})
  void aRestartByPolicyOfADockerImageLaunchesItsCommandAgain(FakeDialect d) {
    fake(d, b -> dockerImage(b).crashAfter("shop-web-1", Duration.ofSeconds(30)));
    try (ComposeStack stack = engine().build().up(compose(restarting(dockerWeb())))) {
      assertEquals(1, watching.count("run", "instance://shop-web-1", "httpd"));
      time.advance(Duration.ofSeconds(31));
      assertEquals(List.of("shop-web-1"), stack.superviseOnce());
      assertEquals(
          2,
          watching.count("run", "instance://shop-web-1", "httpd"),
          "the command runs again in the restarted instance: " + watching.commands);
    }
  }

  // ---- working_dir: --pwd only where the subcommand has it -------------------------------------

  static ServiceSpec webInSrv() {
    return svc("web")
        .withWorkingDir("/srv/app")
        .withExec(Invocation.builder().addArgs("true").build());
  }

  @Test
  void workingDirOnSingularityCe34IsNotOnInstanceStartButOnExecAndTheFakeAcceptsBoth() {
    fake(FakeDialect.SINGULARITY_CE_3_4);
    try (ComposeStack stack =
        engine().build().up(project(SourceFormat.SINGULARITY_COMPOSE_2_0, webInSrv()))) {
      assertFalse(startOf("shop-web-1").contains("--pwd"), startOf("shop-web-1").toString());
      assertFalse(fake.instance("shop-web-1").orElseThrow().options().contains("--pwd"));
      List<String> exec = command("exec", "--pwd", "/srv/app");
      assertTrue(exec.contains("instance://shop-web-1"), exec.toString());
      assertEquals(Set.of("shop-web-1"), listed());
    }
  }

  @Test
  void aOneOffWithWorkingDirOnSingularityCe34RunsWithPwdWhichItsRunHas() {
    fake(FakeDialect.SINGULARITY_CE_3_4);
    ServiceSpec m = migrate().withWorkingDir("/srv");
    try (ComposeStack stack = engine().build().up(compose(m, afterMigrate("app")))) {
      List<String> run = command("run", "--pwd", "/srv");
      assertTrue(run.contains("/images/migrate.sif"), run.toString());
      assertEquals(Set.of("shop-app-1"), listed());
    }
  }

  /**
   * Apptainer registers {@code --pwd}/{@code --cwd} for {@code exec}, {@code run}, {@code shell}
   * and {@code test} only, not for {@code instance start}/{@code instance run} (its
   * cmd/internal/cli/action_flags.go; the fake's Apptainer tables follow it), and Singularity 2.x's
   * {@code instance.start} help lists no {@code --pwd}. Core's ApptainerDialect and
   * Singularity2Dialect answer {@code supportsOption("instance start", "--pwd")} from {@code
   * mayHaveOption} (true), so the start gets {@code --pwd} and the binary refuses it.
   */
  @ParameterizedTest
  @EnumSource(
      value = FakeDialect.class,
      names = {"APPTAINER_1", "SINGULARITY_2"})
  void workingDirIsNeverOnInstanceStartWhereTheSubcommandLacksPwd(FakeDialect d) {
    fake(d);
    try (ComposeStack stack =
        engine().build().up(project(SourceFormat.SINGULARITY_COMPOSE_2_0, webInSrv()))) {
      assertFalse(startOf("shop-web-1").contains("--pwd"), startOf("shop-web-1").toString());
      assertTrue(command("exec", "--pwd", "/srv/app").contains("instance://shop-web-1"));
      assertEquals(Set.of("shop-web-1"), listed());
    }
  }

  // ---- tmpfs → --scratch -----------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(FakeDialect.class)
  void aTmpfsMountBecomesScratchWhichTheFakeAccepts(FakeDialect d) {
    fake(d);
    ServiceSpec web =
        svc("web")
            .withVolumes(
                VolumeMount.builder()
                    .type(VolumeMount.Type.TMPFS)
                    .target("/var/cache/web")
                    .build());
    try (ComposeStack stack = engine().build().up(compose(web))) {
      List<String> options = fake.instance("shop-web-1").orElseThrow().options();
      int at = options.indexOf("--scratch");
      assertTrue(at >= 0, options.toString());
      assertEquals("/var/cache/web", options.get(at + 1));
    }
    assertEquals(Set.of(), listed());
  }

  // ---- spec 2.0 post, on the host --------------------------------------------------------------

  @Test
  void postRunsOnTheHostInTheProjectDirectoryAfterTheStart() throws Exception {
    fake(FakeDialect.SINGULARITY_CE_3_4);
    ServiceSpec web =
        svc("web").withPost(Invocation.builder().addArgs("touch", "post-ran").build());
    try (ComposeStack stack =
        engine().build().up(project(SourceFormat.SINGULARITY_COMPOSE_2_0, web))) {
      assertTrue(Files.exists(dir.resolve("post-ran")), "ran in the project directory");
      assertEquals(List.of(List.of("touch", "post-ran")), transport.hostCommands);
      assertEquals(Set.of("shop-web-1"), listed());
    }
  }

  @Test
  void aFailingPostRollsBackTheStartedInstances() {
    fake(FakeDialect.SINGULARITY_CE_3_4);
    ServiceSpec web = svc("web").withPost(Invocation.builder().addArgs("false").build());
    Compose compose = engine().build();
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () -> compose.up(project(SourceFormat.SINGULARITY_COMPOSE_2_0, svc("db"), web)));
    assertEquals("shop-web-1", e.instance());
    assertEquals(1, e.exitCode().orElseThrow());
    assertEquals(List.of("false"), e.maskedArgv());
    assertEquals(Set.of(), listed(), "db and web stopped again");
  }

  // ---- the hosts file, written through the transport -------------------------------------------

  @ParameterizedTest
  @EnumSource(FakeDialect.class)
  void theHostsFileIsWrittenThroughTheTransportAndSeenInTheInstance(FakeDialect d)
      throws Exception {
    fake(d);
    try (ComposeStack stack = engine().build().up(compose(svc("db"), svc("web")))) {
      Path hosts = dir.resolve(".scompose/etc.hosts");
      assertTrue(transport.written.contains(hosts.toString()), transport.written.toString());
      assertEquals(
          "rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts)));
      CommandResult cat = stack.exec("web", "cat", "/etc/hosts");
      assertEquals(0, cat.exitCode(), cat.stderr());
      assertTrue(cat.stdout().contains("shop-db-1"), cat.stdout());
      assertEquals(Files.readString(hosts), cat.stdout());
    }
  }

  // ---- restart window on the virtual clock -----------------------------------------------------

  static ServiceSpec worker(int maxAttempts, Duration window) {
    return svc("worker")
        .withRestart(
            RestartPolicy.builder()
                .condition(RestartPolicy.Condition.ALWAYS)
                .maxAttempts(maxAttempts)
                .window(window)
                .build());
  }

  @Test
  void restartsThatDieWithinTheWindowCountAndThePolicyGivesUp() {
    // every start of the worker lives 10 s on the virtual clock; the window is 30 s
    fake(
        FakeDialect.SINGULARITY_CE_3_4, b -> b.crashAfter("shop-worker-1", Duration.ofSeconds(10)));
    try (ComposeStack stack = engine().build().up(compose(worker(2, Duration.ofSeconds(30))))) {
      time.advance(Duration.ofSeconds(11)); // the first run dies: up's start, not a restart
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      time.advance(Duration.ofSeconds(11)); // restart 1 died within its window: failed attempt 1
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      time.advance(Duration.ofSeconds(11)); // restart 2 too: failed attempt 2 = max_attempts
      assertEquals(List.of(), stack.superviseOnce());
      time.advance(Duration.ofMinutes(5));
      assertEquals(List.of(), stack.superviseOnce(), "gave up");
      assertEquals(3, watching.starts("shop-worker-1"));
      assertFalse(listed().contains("shop-worker-1"));
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e.type() == ComposeEvent.Type.FAILED
                          && e.message().contains("within the window")),
          events.toString());
    }
  }

  @Test
  void restartsThatOutliveTheWindowSucceedSoMaxAttemptsIsNeverReached() {
    // every start lives 40 s, longer than the 30 s window: each restart was a success
    fake(
        FakeDialect.SINGULARITY_CE_3_4, b -> b.crashAfter("shop-worker-1", Duration.ofSeconds(40)));
    try (ComposeStack stack = engine().build().up(compose(worker(1, Duration.ofSeconds(30))))) {
      for (int round = 1; round <= 4; round++) {
        time.advance(Duration.ofSeconds(41));
        assertFalse(listed().contains("shop-worker-1"), "crashed in round " + round);
        assertEquals(List.of("shop-worker-1"), stack.superviseOnce(), "round " + round);
        assertTrue(listed().contains("shop-worker-1"));
      }
      assertEquals(5, watching.starts("shop-worker-1"), "max_attempts 1 never reached");
      assertEquals(4, stack.ps().get(0).restarts());
    }
    assertEquals(Set.of(), listed());
  }

  // ---- the binary's FATAL line in up's error ---------------------------------------------------

  @ParameterizedTest
  @EnumSource(FakeDialect.class)
  void anUpFailureQuotesTheFatalLineTheBinaryPrinted(FakeDialect d) {
    String reason = "container creation failed: mount /srv/data->/data error: no such file";
    fake(d, b -> b.failStart("shop-web-1", 255, reason));
    // what the fake itself prints for that start, colour codes removed, blanks collapsed
    CommandResult direct =
        fake.execute(startWords(d, "/images/web.sif", "shop-web-1").toArray(String[]::new));
    String fatal =
        direct
            .stderr()
            .replaceAll("\u001b\\[[0-9;]*m", "")
            .lines()
            .map(l -> l.strip().replaceAll(" +", " "))
            .filter(l -> l.startsWith("FATAL") || l.startsWith("ERROR"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("fake printed no error line: " + direct));
    assertTrue(fatal.contains(reason), fatal);

    Compose compose = engine().build();
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> compose.up(compose(svc("db"), svc("web"))));
    assertEquals("shop-web-1", e.instance());
    assertEquals(255, e.exitCode().orElseThrow());
    assertTrue(e.getMessage().contains(fatal), "message: " + e.getMessage() + "\nfatal: " + fatal);
    assertEquals(Set.of(), listed());
  }

  static List<String> startWords(FakeDialect d, String image, String name) {
    return d == FakeDialect.SINGULARITY_2
        ? List.of("instance.start", image, name)
        : List.of("instance", "start", image, name);
  }

  // ---- what the fake was extended with for these rules -----------------------------------------

  @ParameterizedTest
  @EnumSource(FakeDialect.class)
  void aScriptedRunAnswersOnlyAfterTheFlagsAndTheImageChecked(FakeDialect d) {
    fake(
        d,
        b ->
            b.respondToRun(
                "/images/migrate.sif",
                List.of("migrate"),
                ScriptedResponse.builder().exitCode(3).stderr("boom\n").build()));
    assertEquals(3, fake.execute("run", "/images/migrate.sif", "migrate").exitCode());
    assertEquals(0, fake.execute("run", "/images/migrate.sif", "other").exitCode());
    CommandResult unknown = fake.execute("run", "--bogus", "/images/migrate.sif", "migrate");
    assertEquals(1, unknown.exitCode(), "an unknown flag fails before the runscript runs");
    assertTrue(unknown.stderr().contains("unknown flag: --bogus"), unknown.stderr());
  }

  @Test
  void singularity2HasPwdOnExecAndRunButNotOnInstanceStart() {
    fake(FakeDialect.SINGULARITY_2);
    assertEquals(0, fake.execute("exec", "--pwd", "/srv", "/images/a.sif", "true").exitCode());
    assertEquals(0, fake.execute("run", "--pwd", "/srv", "/images/a.sif").exitCode());
    CommandResult start = fake.execute("instance.start", "--pwd", "/srv", "/images/a.sif", "a");
    assertEquals(1, start.exitCode());
    assertTrue(start.stderr().contains("unknown flag: --pwd"), start.stderr());
  }

  // ---- transport -------------------------------------------------------------------------------

  /**
   * The fake for the binary, the real host for anything else (spec 2.0 {@code post} commands run on
   * the host, as argv, never through a shell); records host commands and {@link #writeFile}s.
   */
  static final class HostAndFake implements Transport {
    private final Transport fake;
    private final Transport host = LocalProcessTransport.create();
    final List<List<String>> hostCommands = Collections.synchronizedList(new ArrayList<>());
    final List<String> written = Collections.synchronizedList(new ArrayList<>());

    HostAndFake(Transport fake) {
      this.fake = fake;
    }

    private static boolean binary(CommandRequest request) {
      String program = Path.of(request.argv().get(0)).getFileName().toString();
      return program.equals("singularity") || program.equals("apptainer");
    }

    @Override
    public CommandResult run(CommandRequest request) {
      if (binary(request)) {
        return fake.run(request);
      }
      hostCommands.add(request.argv());
      return host.run(request);
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      if (binary(request)) {
        return fake.start(request, listener);
      }
      hostCommands.add(request.argv());
      return host.start(request, listener);
    }

    @Override
    public Optional<byte[]> readFile(String path, long offset) {
      return fake.readFile(path, offset);
    }

    @Override
    public void writeFile(String path, byte[] content, Set<PosixFilePermission> permissions) {
      written.add(path);
      fake.writeFile(path, content, permissions);
    }

    @Override
    public void createDirectories(String path) {
      fake.createDirectories(path);
    }

    @Override
    public void deleteFile(String path) {
      fake.deleteFile(path);
    }

    @Override
    public java.util.Optional<io.github.scompose.core.transport.FileStamp> stat(String path) {
      return fake.stat(path);
    }

    @Override
    public String temporaryDirectory() {
      return fake.temporaryDirectory();
    }

    @Override
    public String describe() {
      return "host and " + fake.describe();
    }

    @Override
    public void close() {
      fake.close();
      host.close();
    }
  }
}
