package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: exit codes, output formats, the env file, on the fake runtime. */
class ScomposeCommandTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void fakeState() {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
  }

  /**
   * Ends every emulated instance a test left behind (an assertion failing between up and down),
   * through a directory-backed fake on the tests' state directory.
   */
  @AfterEach
  void clear() {
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    CliRuntime.fakeOverrides = UnaryOperator.identity();
    Path state = temp.resolve("fake");
    if (Files.isDirectory(state)) {
      FakeRuntime.builder().stateDirectory(state).build().close();
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ScomposeCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void upExecDownInProcessPassesExitCodesThrough() throws Exception {
    Path dir = temp.resolve("hit-counter");
    DemoCommand.copyTree(Path.of("examples/hit-counter"), dir);
    String[] base = {"--runtime", "fake", "--project-directory", dir.toString()};
    assertEquals(0, run(concat(base, "up", "-d")).code());
    Run ping = run(concat(base, "exec", "redis", "redis-cli", "ping"));
    assertEquals(new Run(0, "PONG\n", ""), ping);
    assertEquals(42, run(concat(base, "exec", "web", "sh", "-c", "exit 42")).code());
    Run unknown = run(concat(base, "exec", "nope", "true"));
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().startsWith("scompose: no such service: nope"), unknown.err());
    Run logs = run(concat(base, "logs", "--tail", "1", "redis"));
    assertEquals(
        "redis-1 | 1:M 01 Jan 2026 00:00:00.002 * Ready to accept connections tcp\n", logs.out());
    Run down = run(concat(base, "down"));
    assertEquals(0, down.code(), down.err());
    assertEquals("[]\n", run(concat(base, "ps", "--format", "json")).out());
  }

  @Test
  void logsOfEveryServicePadTheServicePrefixesToOneWidth() throws Exception {
    Path dir = temp.resolve("hit-counter");
    DemoCommand.copyTree(Path.of("examples/hit-counter"), dir);
    String[] base = {"--runtime", "fake", "--project-directory", dir.toString()};
    assertEquals(0, run(concat(base, "up", "-d")).code());
    Run logs = run(concat(base, "logs"));
    assertEquals(0, logs.code(), logs.err());
    List<String> lines = logs.out().lines().toList();
    assertTrue(
        lines.contains("redis-1 | 1:M 01 Jan 2026 00:00:00.002 * Ready to accept connections tcp"),
        logs.out());
    // docker compose style: "<service>-<n>" padded to the longest label ("redis-1"), then " | "
    assertTrue(lines.contains("web-1   | listening on 0.0.0.0:8000"), logs.out());
    assertTrue(
        lines.stream().allMatch(l -> l.startsWith("redis-1 | ") || l.startsWith("web-1   | ")),
        logs.out());
    assertEquals(0, run(concat(base, "down")).code());
  }

  @Test
  void parallelIsAGlobalOptionAndBelowOneIsAUsageError() throws Exception {
    Path dir = example("hit-counter");
    Run zero = run(concat(new String[] {"--parallel", "0"}, on(dir, "up", "-d")));
    assertEquals(2, zero.code(), zero.err());
    assertEquals(
        "scompose: --parallel 0 is below 1 (how many instances start or stop at once)\n",
        zero.err());
    assertEquals("[]\n", ok(on(dir, "ps", "--format", "json")).out(), "nothing was started");
    ok(concat(new String[] {"--parallel", "1"}, on(dir, "up", "-d")));
    ok(concat(new String[] {"--parallel", "1"}, on(dir, "down")));
  }

  // ---- every command on the fake -------------------------------------------------------------

  private Path example(String name) throws Exception {
    Path dir = temp.resolve(name);
    DemoCommand.copyTree(Path.of("examples", name), dir);
    return dir;
  }

  private static String[] on(Path dir, String... command) {
    return concat(
        new String[] {"--runtime", "fake", "--project-directory", dir.toString()}, command);
  }

  private static Run ok(String... args) {
    Run r = run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The PIDs and states of {@code ps --format json}: name → pid (0 when exited). */
  private static Map<String, Long> ps(Path dir) {
    Map<String, Long> out = new LinkedHashMap<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "\"name\": \"([^\"]+)\",\\s+\"service\": \"[^\"]+\",\\s+\"pid\": (\\d+|null)")
            .matcher(ok(on(dir, "ps", "-a", "--format", "json")).out());
    while (m.find()) {
      out.put(m.group(1), m.group(2).equals("null") ? 0L : Long.parseLong(m.group(2)));
    }
    return out;
  }

  @Test
  void pullSkipsPresentImagesUnlessForcedAndImagesShowsThem() throws Exception {
    Path dir = example("hit-counter");
    String before = ok(on(dir, "images")).out();
    assertTrue(before.startsWith("SERVICE   SOURCE"), before);
    assertTrue(before.lines().skip(1).allMatch(l -> l.matches(".*\\.sif\\s+no\\s+-")), before);

    assertEquals("2 images pulled\n", ok(on(dir, "pull")).out());
    assertTrue(Files.isRegularFile(dir.resolve(".scompose/images/redis.sif")));
    assertEquals("no image to pull\n", ok(on(dir, "pull")).out());
    assertEquals("1 image pulled\n", ok(on(dir, "pull", "--force", "redis")).out());

    String after = ok(on(dir, "images", "redis")).out();
    assertEquals(2, after.lines().count(), after);
    assertTrue(
        after.lines().skip(1).allMatch(l -> l.startsWith("redis ") && l.contains(" yes ")), after);
    assertEquals(2, run(on(dir, "pull", "nope")).code());
  }

  @Test
  void buildBuildsFromTheRecipeOnceUnlessForced() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("built"));
    Files.createDirectories(dir.resolve("tool"));
    Files.writeString(
        dir.resolve("tool/Singularity"),
        "Bootstrap: docker\nFrom: alpine:3.20\n\n%startscript\n    echo tool is up\n");
    Files.writeString(
        dir.resolve("singularity-compose.yml"),
        "version: \"2.0\"\ninstances:\n  tool:\n    build:\n      context: ./tool\n"
            + "      recipe: Singularity\n");
    assertEquals("1 image built\n", ok(on(dir, "build")).out());
    assertEquals("no image to build\n", ok(on(dir, "build")).out());
    assertEquals("1 image built\n", ok(on(dir, "build", "--force")).out());
    String images = ok(on(dir, "images")).out();
    assertTrue(images.contains("build "), "SOURCE names the recipe: " + images);
    ok(on(dir, "up", "-d"));
    assertTrue(alive(ps(dir).get("built-tool-1")), "the built image starts");
    ok(on(dir, "down"));
  }

  @Test
  void createStartStopRestartAndDownWithATimeout() throws Exception {
    Path dir = example("hit-counter");
    assertEquals("created 2 instance(s) of hit-counter; use start\n", ok(on(dir, "create")).out());
    assertEquals(Map.of("hit-counter-redis-1", 0L, "hit-counter-web-1", 0L), ps(dir));

    assertEquals(
        "started hit-counter-redis-1\nstarted hit-counter-web-1\n", ok(on(dir, "start")).out());
    Map<String, Long> started = ps(dir);
    assertTrue(started.values().stream().allMatch(ScomposeCommandTest::alive), started.toString());

    assertEquals("stopped hit-counter-web-1\n", ok(on(dir, "stop", "-t", "1", "web")).out());
    assertFalse(alive(started.get("hit-counter-web-1")));
    assertEquals(0L, ps(dir).get("hit-counter-web-1"), "stopped instances stay in the project");

    assertEquals(
        "stopped hit-counter-redis-1\nstarted hit-counter-redis-1\nstarted hit-counter-web-1\n",
        ok(on(dir, "restart", "--timeout", "1")).out());
    Map<String, Long> restarted = ps(dir);
    assertFalse(alive(started.get("hit-counter-redis-1")), "restart stopped the old process");
    assertTrue(
        restarted.values().stream().allMatch(ScomposeCommandTest::alive), restarted.toString());

    for (String[] bad :
        List.of(
            on(dir, "stop", "-t", "-1"),
            on(dir, "restart", "-t", "-5"),
            on(dir, "down", "-t", "-1"),
            on(dir, "down", "-t", "0"))) {
      Run r = run(bad);
      assertEquals(2, r.code(), String.join(" ", bad));
      assertTrue(r.err().startsWith("scompose: -t "), r.err());
    }
    assertEquals(restarted, ps(dir), "a rejected -t changed nothing");

    Run down = ok(on(dir, "down", "-t", "2"));
    assertTrue(down.out().startsWith("project hit-counter is down: stopped "), down.out());
    assertTrue(restarted.values().stream().noneMatch(ScomposeCommandTest::alive));
    assertEquals(Map.of(), ps(dir));
  }

  @Test
  void runOneOffAndInInstancePassExitCodesThrough() throws Exception {
    CliRuntime.fakeOverrides =
        b ->
            b.respondToRun("*", List.of("migrate"), ScriptedResponse.of(3, "migrated 0 of 1\n"))
                .respondToRun("*", List.of("report"), ScriptedResponse.ok("report ok"));
    Path dir = example("hit-counter");
    assertEquals(new Run(3, "migrated 0 of 1\n", ""), runQuiet(on(dir, "run", "web", "migrate")));
    assertTrue(ps(dir).isEmpty(), "a one-off run starts no instance");

    Run notUp = run(on(dir, "run", "--in-instance", "redis", "report"));
    assertEquals(1, notUp.code());
    assertTrue(notUp.err().startsWith("scompose: project hit-counter is not up"), notUp.err());

    ok(on(dir, "up", "-d"));
    assertEquals("report ok\n", ok(on(dir, "run", "--in-instance", "redis", "report")).out());
    assertEquals(3, run(on(dir, "run", "--in-instance", "redis", "migrate")).code());
    assertEquals(2, run(on(dir, "run", "--in-instance", "--index", "2", "redis")).code());
    ok(on(dir, "down"));
  }

  /** {@link #run} without the engine's progress lines on stderr. */
  private static Run runQuiet(String... args) {
    Run r = run(args);
    return new Run(
        r.code(),
        r.out(),
        String.join(
            "", r.err().lines().filter(l -> !l.startsWith("[+] ")).map(l -> l + "\n").toList()));
  }

  @Test
  void versionNamesTheToolAndTheRuntime() {
    assertEquals(
        new Run(0, "scompose " + VersionCommand.version() + "\n", ""),
        run("--runtime", "fake", "version", "--short"));
    Run full = run("--runtime", "fake", "version");
    assertEquals(0, full.code(), full.err());
    assertEquals(
        "scompose "
            + VersionCommand.version()
            + "\nruntime singularity version 3.4.2 (embedded fake runtime)\n",
        full.out());
  }

  /** The CLI's error report: stderr from the {@code scompose:} line on (progress lines before). */
  private static String errorReport(Run r) {
    int at = r.err().indexOf("scompose: ");
    return at < 0 ? "" : r.err().substring(at);
  }

  @Test
  void aFailedStartExitsOneNamingTheInstanceAndTheRuntimesReasonWithoutStackTrace()
      throws Exception {
    CliRuntime.fakeOverrides =
        b ->
            b.failStart("hit-counter-web-1", 255, "container creation failed: mount /code: denied");
    Path dir = example("hit-counter");
    Run r = run(on(dir, "up", "-d"));
    assertEquals(1, r.code(), r.err());
    String error = errorReport(r);
    assertTrue(error.startsWith("scompose: up failed at hit-counter-web-1: "), r.err());
    assertTrue(error.contains("FATAL: container creation failed: mount /code: denied"), error);
    assertFalse(r.err().contains("\tat "), "no stack trace without --debug: " + r.err());
    assertEquals(Map.of(), ps(dir), "the failed up stopped what it started");

    Run debug = run(concat(new String[] {"--debug"}, on(dir, "up", "-d")));
    assertEquals(1, debug.code());
    assertTrue(debug.err().contains("\tat "), "--debug prints the stack trace");
  }

  @Test
  void anInstanceDyingAtStartExitsOneWithItsLogTail() throws Exception {
    CliRuntime.fakeOverrides = b -> b.dieAtStart("hit-counter-redis-1");
    Path dir = example("hit-counter");
    Run r = run(on(dir, "up", "-d"));
    assertEquals(1, r.code(), r.err());
    String error = errorReport(r);
    assertTrue(error.startsWith("scompose: up failed at hit-counter-redis-1: "), r.err());
    assertTrue(error.contains("Ready to accept connections tcp"), "the log tail: " + error);
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals(Map.of(), ps(dir));
  }

  @Test
  void onTheFakePublishedPortsTakenOnThisHostDoNotMatter() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      int port = taken.getLocalPort();
      Files.writeString(
          temp.resolve("compose.yaml"),
          "services:\n  web:\n    image: nginx:1.27-alpine\n    ports:\n      - \""
              + port
              + ":"
              + port // the same port: host networking (not root) cannot remap it
              + "\"\n");
      Run up = run(on(temp, "up", "-d"));
      assertEquals(0, up.code(), up.err());
      ok(on(temp, "down"));
    }
  }

  @Test
  void downStopsWhatTheStateRecordsWhenTheComposeFileIsGoneOrBroken() throws Exception {
    for (String damage : List.of("gone", "broken")) {
      Path dir = temp.resolve(damage).resolve("hit-counter");
      DemoCommand.copyTree(Path.of("examples", "hit-counter"), dir);
      ok(on(dir, "-f", "docker-compose.yml", "up", "-d"));
      Map<String, Long> up = ps(dir);
      assertEquals(2, up.size());
      Path file = dir.resolve("docker-compose.yml");
      if (damage.equals("gone")) {
        Files.delete(file);
      } else {
        Files.writeString(file, "services:\n  web: [not, a, service\n");
      }
      Run down = run(on(dir, "down"));
      assertEquals(0, down.code(), damage + ": " + down.err());
      assertTrue(down.err().contains("warning: the compose files do not load"), down.err());
      assertTrue(down.out().startsWith("project hit-counter is down: stopped "), down.out());
      assertTrue(up.values().stream().noneMatch(ScomposeCommandTest::alive), damage);
      assertFalse(Files.exists(dir.resolve(".scompose/state.json")), damage);

      Run again = run(on(dir, "down"));
      assertEquals(2, again.code(), "no state and no file: the file's problem is reported");
    }
  }

  @Test
  void aDamagedStateFileIsNamedByPsAndDownStopsTheProjectByNameKeepingABackup() throws Exception {
    Path dir = example("hit-counter");
    ok(on(dir, "up", "-d"));
    Map<String, Long> up = ps(dir);
    assertEquals(2, up.size());
    Path state = dir.resolve(".scompose/state.json");
    byte[] damage = {(byte) 0xf0, (byte) 0x9f, (byte) 0x41, 0x7b};
    Files.write(state, damage);

    Run ps = run(on(dir, "ps"));
    assertEquals(1, ps.code());
    assertEquals(
        "scompose: "
            + state
            + " is damaged: not UTF-8 (byte 0xf0 at offset 0); run 'scompose down' to stop the"
            + " project's instances (it keeps the damaged file as a .bak file)\n",
        ps.err());
    Run compatPs = run(on(dir, "--compat", "singularity-compose", "ps"));
    assertEquals(1, compatPs.code());
    assertTrue(
        compatPs.err().contains("run 'scompose --compat singularity-compose down' to stop"),
        compatPs.err());

    Run down = ok(on(dir, "down"));
    assertTrue(down.out().startsWith("project hit-counter is down: stopped "), down.out());
    assertTrue(down.err().contains("recovered: " + state + " is damaged: not UTF-8"), down.err());
    assertTrue(down.err().contains("kept the damaged state.json as state.json.bak"), down.err());
    assertTrue(up.values().stream().noneMatch(ScomposeCommandTest::alive), down.err());
    assertArrayEquals(damage, Files.readAllBytes(dir.resolve(".scompose/state.json.bak")));

    // up over a damaged state: kept as .bak.2, reconciled from the listing; never "already exists"
    ok(on(dir, "up", "-d"));
    Files.write(state, "{\"format\": 1".getBytes(StandardCharsets.UTF_8));
    Run again = ok(on(dir, "up", "-d"));
    assertTrue(again.err().contains("not JSON at line 1, column 13"), again.err());
    assertTrue(Files.exists(dir.resolve(".scompose/state.json.bak.2")));
    assertTrue(ps(dir).values().stream().allMatch(ScomposeCommandTest::alive));
    ok(on(dir, "down"));
  }

  @Test
  void logLevelsComeOnlyFromGlobalOptions() {
    assertEquals("warn", LogLevels.level(new String[] {"exec", "web", "tool", "--debug"}));
    assertEquals(
        "warn", LogLevels.level(new String[] {"-f", "x.yml", "exec", "web", "--log-level", "x"}));
    assertEquals("debug", LogLevels.level(new String[] {"--debug", "ps"}));
    assertEquals("info", LogLevels.level(new String[] {"-p", "demo", "--log-level", "INFO", "ps"}));
    assertEquals("trace", LogLevels.level(new String[] {"--log-level=trace", "ps", "--debug"}));
    CliException e =
        assertThrows(
            CliException.class, () -> LogLevels.level(new String[] {"--log-level", "loud"}));
    assertEquals(2, e.exitCode());

    Run r = run("--log-level", "loud", "version", "--short");
    assertEquals(2, r.code());
    assertEquals(
        "scompose: --log-level loud: not a level (expected one of error, warn, info, debug, trace,"
            + " off)\n",
        r.err());
    assertEquals("", r.out());
  }

  @Test
  void theDemoEndsEmulatedInstancesBeforeDeletingItsFolder() throws Exception {
    Path work = Files.createDirectories(temp.resolve("demo-work"));
    Path state = work.resolve("fake-runtime");
    FakeRuntime fake = FakeRuntime.builder().anyImageExists().stateDirectory(state).build();
    assertEquals(0, fake.execute("instance", "start", "/images/x.sif", "left-over").exitCode());
    long pid = fake.instance("left-over").orElseThrow().pid();
    assertTrue(alive(pid));

    DemoCommand demo = new DemoCommand();
    demo.root = new ScomposeCommand();
    demo.root.err = new java.io.PrintWriter(new java.io.StringWriter());
    assertTrue(demo.removeWorkFolder(work, state));

    assertFalse(alive(pid), "the emulated instance's process was ended");
    assertFalse(Files.exists(work));
  }

  @Test
  void upsShutdownHookStopsWhatAStartingUpLaunchedAndAlwaysReleasesItsWaiter() {
    java.io.StringWriter errors = new java.io.StringWriter();
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger downs =
        new java.util.concurrent.atomic.AtomicInteger();
    UpCommand.Teardown teardown =
        new UpCommand.Teardown(
            () -> {
              calls.add("down");
              if (downs.incrementAndGet() == 1) {
                return List.of("p-a-1"); // the level recorded when Ctrl-C came
              }
              throw new IllegalStateException("state file unreadable");
            },
            () -> new java.util.LinkedHashSet<>(List.of("p-a-1", "p-b-1")), // b: not yet recorded
            name -> calls.add("stop " + name),
            java.time.Duration.ZERO, // up never ends here: no grace
            new java.io.PrintWriter(errors, true));

    teardown.run(); // what Ctrl-C runs while up is still starting

    assertEquals(List.of("down", "down", "stop p-b-1"), calls);
    assertTrue(
        errors.toString().contains("scompose: down failed: state file unreadable"),
        errors.toString());
    assertTrue(errors.toString().contains("stopped p-a-1, p-b-1"), errors.toString());
    teardown.awaitStopped(); // returns although a down threw
    assertTrue(teardown.started());
  }

  @Test
  void missingFileIsAUsageError() {
    Run r = run("--project-directory", temp.toString(), "config");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("scompose: no compose file in "), r.err());
  }

  @Test
  void envFileFeedsInterpolation() throws Exception {
    Files.writeString(
        temp.resolve("compose.yaml"), "services:\n  web:\n    image: \"busybox:${TAG}\"\n");
    Files.writeString(temp.resolve("vars.env"), "# tag\nexport TAG=\"1.36\" \n");
    Run r =
        run(
            "--project-directory",
            temp.toString(),
            "--env-file",
            temp.resolve("vars.env").toString(),
            "config",
            "--format",
            "json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"image\": \"busybox:1.36\""), r.out());
  }

  @Test
  void psTableAndJson() {
    InstanceStatus running =
        InstanceStatus.builder()
            .service("web")
            .name("p-web-1")
            .state(InstanceStatus.State.RUNNING)
            .pid(OptionalLong.of(123))
            .image("/i/web.sif")
            .build();
    InstanceStatus exited =
        InstanceStatus.builder()
            .service("db")
            .name("p-db-1")
            .state(InstanceStatus.State.EXITED)
            .ip("10.22.0.2")
            .image("/i/db.sif")
            .build();
    assertEquals(
        "NAME      SERVICE   PID   IP          STATUS    IMAGE\n"
            + "p-web-1   web       123   -           running   /i/web.sif\n"
            + "p-db-1    db        -     10.22.0.2   exited    /i/db.sif\n",
        PsCommand.table(List.of(running, exited)));
    assertEquals(
        "[\n  {\n    \"name\": \"p-db-1\",\n    \"service\": \"db\",\n    \"pid\": null,\n"
            + "    \"ip\": \"10.22.0.2\",\n    \"status\": \"exited\",\n    \"image\": \"/i/db.sif\",\n"
            + "    \"restarts\": 0\n  }\n]\n",
        PsCommand.json(List.of(exited)));
  }

  @Test
  void jsonEscapes() {
    assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", JsonText.write("a\"b\\c\n\u0001"));
    assertEquals(
        "{\n  \"k\": [\n    1,\n    true,\n    null\n  ]\n}",
        JsonText.write(Map.of("k", java.util.Arrays.asList(1, true, null))));
  }

  // ---- environment in exec / run --in-instance --------------------------------------------

  /** Records every request's argv and environment, delegating everything to the fake's. */
  static final class RecordingTransport implements Transport {
    final Transport delegate;
    final List<CommandRequest> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    RecordingTransport(Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public CommandResult run(CommandRequest request) {
      requests.add(request);
      return delegate.run(request);
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      requests.add(request);
      return delegate.start(request, listener);
    }

    @Override
    public Optional<byte[]> readFile(String path, long offset) {
      return delegate.readFile(path, offset);
    }

    @Override
    public void writeFile(String path, byte[] content, Set<PosixFilePermission> permissions) {
      delegate.writeFile(path, content, permissions);
    }

    @Override
    public void createDirectories(String path) {
      delegate.createDirectories(path);
    }

    @Override
    public void deleteFile(String path) {
      delegate.deleteFile(path);
    }

    @Override
    public Optional<FileStamp> stat(String path) {
      return delegate.stat(path);
    }

    @Override
    public String temporaryDirectory() {
      return delegate.temporaryDirectory();
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @Test
  void execAndRunGetTheServiceEnvironmentAndMinusEOverridesItNeverInArgv() throws Exception {
    Path dir = temp.resolve("envproj");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("docker-compose.yml"),
        "name: envproj\n"
            + "services:\n"
            + "  web:\n"
            + "    image: busybox:1.36\n"
            + "    environment:\n"
            + "      GREETING: hello-env\n"
            + "      API_TOKEN: ${TOKEN}\n");
    Files.writeString(dir.resolve(".env"), "TOKEN=tok-s3cret-42\nFROM_FILE=file-value-5\n");
    List<RecordingTransport> transports = java.util.Collections.synchronizedList(new ArrayList<>());
    CliRuntime.fakeTransportOverrides =
        t -> {
          RecordingTransport r = new RecordingTransport(t);
          transports.add(r);
          return r;
        };
    try {
      ok(on(dir, "up", "-d"));
      assertEquals("hello-env\n", ok(on(dir, "exec", "web", "sh", "-c", "echo $GREETING")).out());
      assertEquals(
          "tok-s3cret-42\n", ok(on(dir, "exec", "web", "sh", "-c", "echo $API_TOKEN")).out());
      assertEquals(
          "other-value-7\n",
          ok(on(dir, "exec", "-e", "GREETING=other-value-7", "web", "sh", "-c", "echo $GREETING"))
              .out());
      assertEquals(
          "x-value-9\n",
          ok(on(dir, "exec", "--env", "EXTRA=x-value-9", "web", "sh", "-c", "echo $EXTRA")).out());
      ExecCommand.callerEnvironment = () -> Map.of("GREETING", "caller-value-3");
      assertEquals(
          "caller-value-3\n",
          ok(on(dir, "exec", "-e", "GREETING", "web", "sh", "-c", "echo $GREETING")).out());
      assertEquals(
          "file-value-5\n",
          ok(on(dir, "exec", "-e", "FROM_FILE", "web", "sh", "-c", "echo $FROM_FILE")).out());
      Run unset = ok(on(dir, "exec", "-e", "NOWHERE", "web", "sh", "-c", "echo $GREETING"));
      assertEquals("hello-env\n", unset.out(), "the service's value stays");
      assertTrue(unset.err().contains("-e NOWHERE: not set"), unset.err());
      Run bad = run(on(dir, "exec", "-e", "1BAD=bad-value-8", "web", "true"));
      assertEquals(2, bad.code());
      assertTrue(bad.err().contains("the 1st -e/--env is not KEY=VALUE or KEY"), bad.err());
      assertFalse(bad.err().contains("bad-value-8"), "no value in a message");
      assertFalse(bad.err().contains("1BAD"), "no entry quoted in a message");
      Run colon = run(on(dir, "exec", "-e", "GREETING=x", "-e", "PASSWORD:hunter2", "web", "true"));
      assertEquals(2, colon.code());
      assertTrue(colon.err().contains("the 2nd -e/--env is not KEY=VALUE or KEY"), colon.err());
      assertFalse(colon.err().contains("hunter2"), colon.err());
      assertFalse(colon.err().contains("PASSWORD"), colon.err());
      Run runColon = run(on(dir, "run", "--env", "PASSWORD:hunter2", "web"));
      assertEquals(2, runColon.code());
      assertTrue(runColon.err().contains("the 1st -e/--env is not"), runColon.err());
      assertFalse(runColon.err().contains("hunter2"), runColon.err());
      ok(on(dir, "run", "--in-instance", "web"));
      ok(on(dir, "run", "-e", "GREETING=run-value-4", "web"));
      ok(on(dir, "run", "--in-instance", "--env", "GREETING=run-value-6", "web"));

      List<CommandRequest> all = new ArrayList<>();
      transports.forEach(t -> all.addAll(t.requests));
      CommandRequest exec =
          all.stream()
              .filter(r -> r.argv().contains("exec"))
              .filter(r -> r.argv().contains("instance://envproj-web-1"))
              .filter(r -> r.argv().contains("echo $GREETING"))
              .findFirst()
              .orElseThrow();
      assertEquals("hello-env", exec.environment().get("SINGULARITYENV_GREETING"));
      assertEquals("tok-s3cret-42", exec.environment().get("SINGULARITYENV_API_TOKEN"));
      CommandRequest runIn =
          all.stream()
              .filter(
                  r -> r.argv().contains("run") && r.argv().contains("instance://envproj-web-1"))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertEquals("run-value-6", runIn.environment().get("SINGULARITYENV_GREETING"));
      assertEquals("tok-s3cret-42", runIn.environment().get("SINGULARITYENV_API_TOKEN"));
      CommandRequest oneOff =
          all.stream()
              .filter(r -> r.argv().contains("run"))
              .filter(r -> r.argv().stream().noneMatch(a -> a.startsWith("instance://")))
              .filter(r -> !r.argv().contains("instance"))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertEquals("run-value-4", oneOff.environment().get("SINGULARITYENV_GREETING"));
      assertEquals("tok-s3cret-42", oneOff.environment().get("SINGULARITYENV_API_TOKEN"));
      assertTrue(
          all.stream()
              .filter(r -> r.argv().contains("instance://envproj-web-1"))
              .filter(r -> r.argv().contains("run"))
              .anyMatch(r -> "hello-env".equals(r.environment().get("SINGULARITYENV_GREETING"))),
          "run --in-instance without -e: the service's value");
      for (CommandRequest r : all) {
        String argv = String.join(" ", r.argv());
        for (String value :
            List.of(
                "hello-env",
                "tok-s3cret-42",
                "other-value-7",
                "x-value-9",
                "caller-value-3",
                "file-value-5",
                "run-value-4",
                "run-value-6")) {
          assertFalse(argv.contains(value), value + " in argv " + r.argv());
        }
      }
      ok(on(dir, "down"));
    } finally {
      CliRuntime.fakeTransportOverrides = UnaryOperator.identity();
      ExecCommand.callerEnvironment = System::getenv;
    }
  }

  private static String[] concat(String[] base, String... more) {
    String[] out = new String[base.length + more.length];
    System.arraycopy(base, 0, out, 0, base.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }
}
