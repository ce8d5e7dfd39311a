package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.scompose.samples.cli.JarProcesses.Result;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end: the shaded {@code scompose.jar} (system property {@code scompose.jar}, set by
 * failsafe after {@code package}) run as a process, on the embedded fake runtime, over the shipped
 * examples and — when ../shared is present ({@code scompose.shared.dir}) — over real
 * singularity-compose and docker-compose files of the corpus.
 */
class ScomposeJarIT {

  /** singularity-compose files of ../shared/corpus that need no recipe file to come up. */
  static final List<String> CORPUS_SINGULARITY_COMPOSE =
      List.of(
          "argonne-lcf__nv-ingest-singularity__singularity-compose.yml",
          "dmikushin__forgejo-singularity__singularity-compose.yml",
          "fenghaitao__potpie__singularity__singularity-compose.yml");

  /** docker-compose files of ../shared/corpus (Compose Specification). */
  static final List<String> CORPUS_DOCKER_COMPOSE =
      List.of(
          "compose-spec__compose-go__cli__testdata__simple__compose.yaml",
          "compose-spec__compose-go__loader__testdata__extends__ports.yaml");

  @TempDir Path temp;
  Path fakeState;

  @BeforeEach
  void setUp() throws IOException {
    fakeState = Files.createDirectories(temp.resolve("fake-runtime"));
  }

  /**
   * Ends every emulated instance a test left behind (an assertion failing between up and down):
   * closing a directory-backed fake on the state directory the processes shared ends them all.
   */
  @AfterEach
  void endLeftOverInstances() {
    FakeRuntime.builder().stateDirectory(fakeState).build().close();
  }

  static Path jar() {
    return JarProcesses.jar();
  }

  static Path examples() {
    return Path.of(System.getProperty("scompose.examples", "examples"));
  }

  static Path corpus() {
    String shared = System.getProperty("scompose.shared.dir");
    Path dir = shared == null ? null : Path.of(shared, "corpus");
    assumeTrue(
        dir != null && Files.isDirectory(dir),
        "../shared/corpus is absent (scompose.shared.dir=" + shared + "): corpus runs skipped");
    return dir;
  }

  Result scompose(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(JarProcesses.javaJar(args)).directory(temp.toFile());
    pb.environment().remove("APPTAINER_BINARY");
    pb.environment().remove("SINGULARITY_BINARY");
    pb.environment().put(CliRuntime.FAKE_STATE_VARIABLE, fakeState.toString());
    pb.environment().putAll(env);
    return JarProcesses.finish(pb, temp);
  }

  Result ok(String... args) throws Exception {
    Result r = scompose(Map.of(), args);
    assertEquals(
        0,
        r.exitCode(),
        () ->
            "scompose "
                + String.join(" ", args)
                + "\nstdout:\n"
                + r.stdout()
                + "\nstderr:\n"
                + r.stderr());
    return r;
  }

  static Path copyExample(String name, Path to) throws IOException {
    DemoCommand.copyTree(examples().resolve(name), to);
    return to;
  }

  // ---- the main job --------------------------------------------------------------------------

  @Test
  void demoRunsBothExamplesAndLeavesNothingRunning() throws Exception {
    // README command 1 as a newcomer runs it: no runtime chosen, no binary on PATH
    Result r = scompose(Map.of("SCOMPOSE_RUNTIME", "auto", "PATH", "/usr/bin:/bin"), "demo");
    assertEquals(0, r.exitCode(), () -> r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("instances are emulated"), r.stderr());
    assertTrue(r.stdout().contains("PONG"), r.stdout());
    assertTrue(r.stdout().contains("nginx version: nginx/1.27.3"), r.stdout());
    assertTrue(r.stdout().contains("Ready to accept connections"), r.stdout());
    assertTrue(r.stdout().contains("nothing left running: 4 instances were up"), r.stdout());
    assertFalse(r.stderr().contains("Exception"), r.stderr());
  }

  /**
   * README command 1 on a machine that has a binary but no registry access: a stand-in binary that
   * answers {@code --version} as SingularityCE 3.4.2 and fails every pull as an offline machine
   * does. The demo says so, says how to choose, runs on the embedded fake and passes; with {@code
   * --runtime real} it fails naming the switch instead.
   */
  @Test
  void demoWithABinaryButNoRegistryFallsBackToTheFakeAndSaysHow() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("offline-bin"));
    Path binary = bin.resolve("singularity");
    Files.writeString(
        binary,
        "#!/bin/sh\n"
            + "case \"$1\" in\n"
            + "  --version|version) echo 'singularity version 3.4.2'; exit 0 ;;\n"
            + "esac\n"
            + "echo 'FATAL:   While making image from oci registry: dial tcp: lookup"
            + " registry-1.docker.io: no such host' >&2\n"
            + "exit 255\n");
    assertTrue(binary.toFile().setExecutable(true));
    Map<String, String> env = Map.of("SCOMPOSE_RUNTIME", "auto", "PATH", bin + ":/usr/bin:/bin");

    Result r = scompose(env, "demo");
    assertEquals(0, r.exitCode(), () -> r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("scompose demo on singularity version 3.4.2"), r.stdout());
    assertTrue(r.stderr().contains("cannot get the examples' images"), r.stderr());
    assertTrue(r.stderr().contains("--runtime real|fake"), r.stderr());
    assertTrue(r.stdout().contains("nothing left running: 4 instances were up"), r.stdout());

    Result strict = scompose(env, "--runtime", "real", "demo");
    assertEquals(1, strict.exitCode(), () -> strict.stdout() + strict.stderr());
    assertTrue(strict.stderr().contains("--runtime fake"), strict.stderr());
    assertFalse(strict.stderr().contains("Exception"), strict.stderr());
  }

  // ---- shipped examples ----------------------------------------------------------------------

  static Stream<String> shippedExamples() {
    return Stream.of("hit-counter", "nginx-app");
  }

  @ParameterizedTest
  @MethodSource("shippedExamples")
  void shippedExampleLifecycle(String name) throws Exception {
    Path dir = copyExample(name, temp.resolve(name));
    String exec = name.equals("hit-counter") ? "redis" : "nginx";
    List<String> execCommand =
        name.equals("hit-counter") ? List.of("redis-cli", "ping") : List.of("sh", "-c", "exit 7");
    lifecycle(dir, List.of(), exec, execCommand, name.equals("hit-counter") ? 0 : 7);
  }

  @ParameterizedTest
  @MethodSource("shippedExamples")
  void shippedExampleConfigEqualsTheLoadersModel(String name) throws Exception {
    Path dir = copyExample(name, temp.resolve(name));
    configEqualsModel(dir, List.of());
  }

  @ParameterizedTest
  @MethodSource("shippedExamples")
  void upDryRunIsGolden(String name) throws Exception {
    Path dir = copyExample(name, temp.resolve(name));
    for (boolean compat : new boolean[] {false, true}) {
      if (compat && !name.equals("nginx-app")) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of("--runtime", "fake"));
      if (compat) {
        args.addAll(List.of("--compat", "singularity-compose"));
      }
      args.addAll(List.of("--project-directory", dir.toString(), "up", "--dry-run"));
      // a lease file of its own: the first addresses of the bridge range, whatever else ran
      Result r =
          scompose(
              Map.of("XDG_STATE_HOME", temp.resolve("golden-state").toString()),
              args.toArray(String[]::new));
      assertEquals(0, r.exitCode(), r.stderr());
      // the fake plans with the process's facts: as root a bridge (CI), else host networking
      boolean root = io.github.scompose.core.posix.Posix.system().isRoot();
      String golden =
          Files.readString(
              Path.of(
                  "src/test/resources/golden",
                  name + (compat ? ".compat" : "") + (root ? ".root" : "") + ".up-dry-run.txt"),
              StandardCharsets.UTF_8);
      assertEquals(golden, r.stdout().replace(dir.toString(), "$PROJECT"));
      assertFalse(Files.exists(dir.resolve(".scompose/state.json")), "dry run changed nothing");
    }
  }

  /**
   * Issue 11, the path a user takes: the CLI jar as a process on the fake, whose stops model a real
   * binary on a host whose init reaps late ({@code SCOMPOSE_FAKE_LATENCY=real}: each {@code
   * instance stop} waits 1–2 s after the instance is gone). {@code down} ends each stop when the
   * instance's record is gone and ends the waiting binary (said at debug level), leaving nothing
   * listed.
   */
  @Test
  void downEndsEachStopWhenTheInstancesRecordIsGone() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("reaping"));
    Files.writeString(
        dir.resolve("singularity-compose.yml"),
        "version: \"2.0\"\ninstances:\n  a:\n    image: a.sif\n  b:\n    image: b.sif\n");
    Map<String, String> env = Map.of("SCOMPOSE_FAKE_LATENCY", "real");
    String file = dir.resolve("singularity-compose.yml").toString();
    Result up = scompose(env, "--runtime", "fake", "-f", file, "up", "-d");
    assertEquals(0, up.exitCode(), up.stdout() + up.stderr());

    Result down = scompose(env, "--runtime", "fake", "--log-level", "debug", "-f", file, "down");

    assertEquals(0, down.exitCode(), down.stdout() + down.stderr());
    for (String instance : List.of("reaping-a-1", "reaping-b-1")) {
      assertTrue(
          down.stderr().contains(instance + ": its record ")
              && down.stderr().contains(instance + ".json is gone"),
          "the stop of " + instance + " ended when its record was gone\n" + down.stderr());
    }
    Result ps = scompose(env, "--runtime", "fake", "-f", file, "ps", "-q");
    assertEquals("", ps.stdout().strip(), ps.stdout() + ps.stderr());
  }

  @Test
  void realRuntimeWithoutBinaryFailsWithOneLine() throws Exception {
    Path dir = copyExample("hit-counter", temp.resolve("hit-counter"));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", temp.resolve("empty-bin").toString());
    Result r =
        scompose(env, "--runtime", "real", "--project-directory", dir.toString(), "up", "-d");
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("scompose: --runtime real: no apptainer or singularity"));
  }

  @Test
  void invalidFileExitsTwoWithLocatedProblems() throws Exception {
    Path file = temp.resolve("compose.yaml");
    Files.writeString(file, "services:\n  web:\n    image: x\n    ports:\n      - \"70000:80\"\n");
    Result r = scompose(Map.of(), "-f", file.toString(), "check");
    assertEquals(2, r.exitCode(), r.stderr());
    assertTrue(r.stderr().startsWith(file + ":5:9: services.web.ports[0]: port 70000"), r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace");
  }

  // ---- processes that run until stopped -----------------------------------------------------

  LiveProcess start(String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(JarProcesses.javaJar(args)).directory(temp.toFile());
    pb.environment().put(CliRuntime.FAKE_STATE_VARIABLE, fakeState.toString());
    return new LiveProcess(pb);
  }

  /** Whether an instance's process runs (one that ended but awaits its reaper does not). */
  private static boolean alive(long pid) {
    return JarProcesses.running(pid);
  }

  @Test
  void logsFollowShowsNewLinesUntilStopped() throws Exception {
    Path dir = copyExample("hit-counter", temp.resolve("hit-counter"));
    String[] base = {"--runtime", "fake", "--project-directory", dir.toString()};
    ok(args(List.of(base), "up", "-d"));
    try (LiveProcess follow = start(args(List.of(base), "logs", "-f", "redis"))) {
      follow.awaitLine("^out\\| redis-1 \\| .*Ready to accept connections tcp$");
      // a line the instance writes now reaches the follower
      FakeProgram.program(FakeRuntime.builder())
          .stateDirectory(fakeState)
          .build()
          .appendLog("hit-counter-redis-1", "1:M * Background saving started\n", "");
      follow.awaitLine("^out\\| redis-1 \\| 1:M \\* Background saving started$");
      follow.terminate();
      assertFalse(follow.output().contains("web-1 |"), "only the named service");
    }
    ok(args(List.of(base), "down"));
  }

  @Test
  void attachedUpStreamsLogsAndStopsTheProjectOnSigterm() throws Exception {
    Path dir = copyExample("hit-counter", temp.resolve("hit-counter"));
    String[] base = {"--runtime", "fake", "--project-directory", dir.toString()};
    List<Long> pids;
    try (LiveProcess up = start(args(List.of(base), "up"))) {
      up.awaitLine("^out\\| attached: logs follow");
      up.awaitLine("^out\\| redis-1 \\| .*Ready to accept connections");
      pids = pids(ok(args(List.of(base), "ps", "--format", "json")).stdout());
      assertEquals(2, pids.size());
      up.terminate();
      assertTrue(up.output().contains("err| stopping project hit-counter"), up.output());
    }
    assertTrue(pids.stream().noneMatch(ScomposeJarIT::alive), "every instance's process ended");
    assertEquals("[]", ok(args(List.of(base), "ps", "--format", "json")).stdout().strip());
  }

  /** A service that never gets healthy, so {@code up} stays in its start phase until stopped. */
  static final String NEVER_HEALTHY =
      """
      services:
        slow:
          image: redis:7.2-alpine
          healthcheck:
            test: ["CMD", "false"]
            interval: 1s
            retries: 1000
        after:
          image: redis:7.2-alpine
          depends_on:
            slow:
              condition: service_healthy
      """;

  @ParameterizedTest
  @ValueSource(strings = {"attached", "detached"})
  void sigtermWhileUpIsStartingStopsWhatItStarted(String mode) throws Exception {
    Path dir = Files.createDirectories(temp.resolve("starting"));
    Files.writeString(dir.resolve("compose.yaml"), NEVER_HEALTHY);
    List<String> base = List.of("--runtime", "fake", "--project-directory", dir.toString());
    String[] up = mode.equals("attached") ? args(base, "up") : args(base, "up", "-d");
    long pid;
    try (LiveProcess p = start(up)) {
      // started when its start returned; its PID from the listing (up confirms it before the
      // healthcheck gate, and names no PID in the event: issue 11's one confirming listing)
      p.awaitLine("^err\\| \\[\\+\\] starting-slow-1 started");
      List<Long> pids = pids(ok(args(base, "ps", "--format", "json")).stdout());
      assertEquals(1, pids.size(), pids.toString());
      pid = pids.get(0);
      assertTrue(alive(pid));
      p.terminate();
      assertFalse(p.output().contains("starting-after-1 started"), p.output());
    }
    assertFalse(alive(pid), "the started instance's process ended");
    assertEquals("[]", ok(args(base, "ps", "--format", "json")).stdout().strip());
  }

  // ---- the launcher script and the jshell script ----------------------------------------------

  /** The checkout's {@code samples} folder (the failsafe working directory's). */
  static Path samplesFolder() {
    return examples().toAbsolutePath().getParent();
  }

  @Test
  void launcherScriptRunsTheJar() throws Exception {
    // the script as shipped, beside a target/scompose.jar of this build
    Path samples = Files.createDirectories(temp.resolve("checkout/samples"));
    Path script = samples.resolve("scompose");
    Files.copy(samplesFolder().resolve("scompose"), script);
    assertTrue(Files.isExecutable(script), "samples/scompose is executable in the checkout");
    List<String> argv = List.of(script.toString(), "--runtime", "fake", "version");
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put(CliRuntime.FAKE_STATE_VARIABLE, fakeState.toString());

    Result missing = finish(pb);
    assertEquals(1, missing.exitCode());
    assertTrue(
        missing
            .stderr()
            .startsWith("scompose: " + samples.resolve("target/scompose.jar") + " is missing"),
        missing.stderr());

    Files.createDirectories(samples.resolve("target"));
    Files.createSymbolicLink(samples.resolve("target/scompose.jar"), jar().toAbsolutePath());
    Result version = finish(pb);
    assertEquals(0, version.exitCode(), version.stderr());
    assertEquals(
        "scompose "
            + VersionCommand.version()
            + "\nruntime singularity version 3.4.2 (embedded fake runtime)\n",
        version.stdout());
  }

  @Test
  void jshellScriptBringsTheExampleUpAndDownLeavingNothingRunningOrWritten() throws Exception {
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    assumeTrue(Files.isExecutable(jshell), "no jshell in " + System.getProperty("java.home"));
    Path root = samplesFolder().getParent();
    Path example = samplesFolder().resolve("examples/nginx-app");
    List<String> before = listing(example);
    Path tmp = Files.createDirectories(temp.resolve("jshell-tmp"));
    ProcessBuilder pb =
        new ProcessBuilder(
                jshell.toString(),
                "-R-Djava.io.tmpdir=" + tmp, // where the script's temporary folder goes
                "--class-path",
                jar().toAbsolutePath().toString(),
                "samples/jshell/stack.jsh")
            .directory(root.toFile());
    Result r = finish(pb);
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertFalse(
        (r.stdout() + r.stderr()).contains("|  "),
        "jshell reported a problem:\n" + r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("nginx version: nginx/1.27.3"), r.stdout());
    assertTrue(r.stdout().contains("stopped: [nginx-app-nginx-1, nginx-app-app-1]"), r.stdout());
    Matcher m = Pattern.compile(" pid (\\d+)").matcher(r.stdout());
    int instances = 0;
    while (m.find()) {
      instances++;
      assertFalse(alive(Long.parseLong(m.group(1))), "PID " + m.group(1) + " still alive");
    }
    assertEquals(2, instances, r.stdout());
    assertEquals(before, listing(example), "the script wrote nothing into the checkout");
    assertEquals(List.of(""), listing(tmp), "the script removed its temporary folder");
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  private Result finish(ProcessBuilder pb) throws Exception {
    return JarProcesses.finish(pb, temp);
  }

  // ---- corpus --------------------------------------------------------------------------------

  static Stream<String> corpusFiles() {
    return Stream.concat(CORPUS_SINGULARITY_COMPOSE.stream(), CORPUS_DOCKER_COMPOSE.stream());
  }

  @ParameterizedTest
  @MethodSource("corpusFiles")
  void corpusFileOnTheFake(String file) throws Exception {
    Path source = corpus().resolve(file);
    Path dir = Files.createDirectories(temp.resolve("project"));
    List<String> fileArgs = List.of("-f", source.toString());
    configEqualsModel(dir, fileArgs);
    ComposeProject project =
        ComposeLoader.defaults().withProjectDirectory(dir).load(List.of(source));
    String service = project.services().get(0).name();
    lifecycle(dir, fileArgs, service, List.of("true"), 0);
  }

  // ---- shared steps --------------------------------------------------------------------------

  private void configEqualsModel(Path dir, List<String> fileArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("--project-directory", dir.toString()));
    args.addAll(fileArgs);
    args.add("config");
    Result r = ok(args.toArray(String[]::new));
    ComposeLoader loader = ComposeLoader.defaults().withProjectDirectory(dir);
    ComposeProject expected =
        fileArgs.isEmpty()
            ? loader.load(new ProjectFiles(List.of(), dir, null, null).resolve())
            : loader.load(Path.of(fileArgs.get(1)));
    ComposeProject printed =
        loader.withProjectName(expected.name()).loadString("config", r.stdout());
    assertEquals(expected, printed);
    args.set(args.size() - 1, "config");
    args.add("--format");
    args.add("json");
    Result json = ok(args.toArray(String[]::new));
    assertTrue(json.stdout().startsWith("{"), json.stdout());
    assertTrue(json.stdout().contains("\"" + expected.services().get(0).name() + "\""));
  }

  /**
   * The way most users type it: in the project's folder, no global option, no {@code --runtime}
   * (auto, falling back to the fake: no binary on this PATH). The project is loaded and the runtime
   * connected on a second thread while the options are parsed ({@link LoadAhead}); what the user
   * sees is the same: one "emulated" notice, the instances up, listed, and down.
   */
  @Test
  void upPsDownTypedInTheProjectFolderWithoutOptions() throws Exception {
    Files.writeString(
        temp.resolve("compose.yaml"),
        "services:\n  web:\n    image: /i/web.sif\n  db:\n    image: /i/db.sif\n");
    Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "SCOMPOSE_RUNTIME", "auto");
    Result up = scompose(env, "up", "-d");
    assertEquals(0, up.exitCode(), up.stderr());
    assertEquals(
        1,
        Pattern.compile("emulated by the embedded fake runtime")
            .matcher(up.stderr())
            .results()
            .count(),
        up.stderr());
    assertTrue(up.stdout().contains("is up: 2 instances"), up.stdout());
    Result ps = scompose(env, "ps", "--format", "json");
    assertEquals(2, pids(ps.stdout()).size(), ps.stdout());
    Result down = scompose(env, "down");
    assertEquals(0, down.exitCode(), down.stderr());
    assertEquals("[]", scompose(env, "ps", "--format", "json").stdout().strip());
  }

  private void lifecycle(
      Path dir, List<String> fileArgs, String execService, List<String> execCommand, int execExit)
      throws Exception {
    List<String> base = new ArrayList<>(List.of("--runtime", "fake", "--project-directory"));
    base.add(dir.toString());
    base.addAll(fileArgs);
    ok(args(base, "up", "-d"));
    Result ps = ok(args(base, "ps", "--format", "json"));
    List<Long> pids = pids(ps.stdout());
    assertFalse(pids.isEmpty(), ps.stdout());
    assertFalse(ps.stdout().contains("\"exited\""), ps.stdout());
    for (long pid : pids) {
      assertTrue(alive(pid), "PID " + pid);
    }
    Result table = ok(args(base, "ps"));
    assertTrue(table.stdout().startsWith("NAME"), table.stdout());
    List<String> exec = new ArrayList<>(List.of("exec", execService));
    exec.addAll(execCommand);
    Result e = scompose(Map.of(), args(base, exec.toArray(String[]::new)));
    assertEquals(execExit, e.exitCode(), e.stderr());
    ok(args(base, "logs", "--tail", "5"));
    Result down = ok(args(base, "down"));
    assertTrue(down.stdout().contains("is down"), down.stdout());
    for (long pid : pids) {
      assertFalse(alive(pid), "PID " + pid + " still alive after down");
    }
    Result after = ok(args(base, "ps", "--format", "json"));
    assertEquals("[]", after.stdout().strip());
  }

  private static String[] args(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out.toArray(String[]::new);
  }

  private static List<Long> pids(String json) {
    List<Long> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"pid\": (\\d+)").matcher(json);
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }
}
