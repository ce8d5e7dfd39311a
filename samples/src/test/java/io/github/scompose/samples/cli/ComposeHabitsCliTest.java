package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.testkit.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The habits docker compose users bring to the CLI (issue 14), in-process on the fake runtime:
 * {@code --help} on every subcommand and {@code help CMD}, {@code down -v}, {@code ps -a/-q},
 * {@code exec -e/-w/-T} and its exit codes, {@code config --services/--volumes}, {@code version
 * --format json}.
 */
class ComposeHabitsCliTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void fakeState() {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    CliRuntime.fakeOverrides = UnaryOperator.identity();
    CliRuntime.fakeTransportOverrides = UnaryOperator.identity();
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

  static Run ok(String... args) {
    Run r = run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  static String[] on(Path dir, String... command) {
    List<String> all =
        new ArrayList<>(List.of("--runtime", "fake", "--project-directory", dir.toString()));
    all.addAll(List.of(command));
    return all.toArray(String[]::new);
  }

  /** Two services, two named volumes and a bind of the user's folder {@code src}. */
  Path project() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("habits"));
    Files.createDirectories(dir.resolve("src"));
    Files.writeString(dir.resolve("src/keep.txt"), "the user's file\n");
    Files.writeString(
        dir.resolve("compose.yaml"),
        "name: habits\n"
            + "services:\n"
            + "  db:\n"
            + "    image: busybox:1.36\n"
            + "    volumes:\n"
            + "      - data:/data\n"
            + "  web:\n"
            + "    image: busybox:1.36\n"
            + "    environment:\n"
            + "      GREETING: hello-env\n"
            + "    volumes:\n"
            + "      - cache:/cache\n"
            + "      - ./src:/src\n"
            + "volumes:\n"
            + "  data: {}\n"
            + "  cache: {}\n");
    return dir;
  }

  // ---- help

  @Test
  void everySubcommandHasHelpAndHelpCommandPrintsTheSameText() throws Exception {
    picocli.CommandLine cli = ScomposeCommand.commandLine(new ScomposeCommand(), new String[0]);
    List<String> names = new ArrayList<>(cli.getSubcommands().keySet());
    assertTrue(names.containsAll(List.of("up", "logs", "down", "ps", "exec")), names.toString());
    for (String name : names) {
      for (String flag : List.of("--help", "-h")) {
        if (name.equals("help")) {
          continue;
        }
        Run r = run(name, flag);
        assertEquals(0, r.code(), name + " " + flag + ": " + r.err());
        assertEquals("", r.err(), name + " " + flag);
        assertTrue(r.out().startsWith("Usage: scompose " + name), name + ": " + r.out());
        assertTrue(r.out().contains("-h, --help"), name + ": " + r.out());
      }
      if (!name.equals("help")) {
        assertEquals(run(name, "--help").out(), ok("help", name).out(), "help " + name);
      }
    }
    Run up = ok("up", "--help");
    assertTrue(up.out().contains("--detach"), up.out());
    // after the service, --help belongs to the command run in the instance
    Path dir = project();
    ok(on(dir, "up", "-d"));
    Run inInstance = run(on(dir, "exec", "web", "echo", "--help"));
    assertEquals(new Run(0, "--help\n", ""), inInstance);
    ok(on(dir, "down"));
  }

  // ---- down -v

  @Test
  void downVolumesRemovesTheProjectsVolumesAndNothingOfTheUsers() throws Exception {
    Path dir = project();
    ok(on(dir, "up", "-d"));
    Path volumes = dir.resolve(".scompose/volumes");
    assertTrue(Files.isDirectory(volumes.resolve("data")), "named volume materialised");
    Files.writeString(volumes.resolve("data/table.db"), "rows\n");
    Files.createSymbolicLink(volumes.resolve("data/link"), dir.resolve("src/keep.txt"));

    Run plain = ok(on(dir, "down"));
    assertFalse(plain.out().contains("removed volumes"), plain.out());
    assertTrue(Files.isRegularFile(volumes.resolve("data/table.db")), "down keeps volumes");

    ok(on(dir, "up", "-d"));
    Run down = ok(on(dir, "down", "-v"));
    assertTrue(down.out().startsWith("project habits is down: stopped "), down.out());
    assertTrue(down.out().endsWith("removed volumes: cache, data\n"), down.out());
    assertFalse(Files.exists(volumes), "the project's volumes are gone");
    assertEquals("the user's file\n", Files.readString(dir.resolve("src/keep.txt")));
    assertTrue(Files.isRegularFile(dir.resolve("compose.yaml")));

    Run again = ok(on(dir, "down", "--volumes"));
    assertEquals("project habits was not up\n", again.out(), "nothing to remove is no error");
  }

  // ---- ps -a / -q

  @Test
  void psShowsRunningInstancesAllWithDashAAndNamesOnlyWithDashQ() throws Exception {
    Path dir = project();
    ok(on(dir, "up", "-d"));
    assertEquals("habits-db-1\nhabits-web-1\n", ok(on(dir, "ps", "-q")).out());
    ok(on(dir, "stop", "-t", "1", "web"));
    assertEquals("habits-db-1\n", ok(on(dir, "ps", "-q")).out(), "only running, as docker");
    assertEquals("habits-db-1\nhabits-web-1\n", ok(on(dir, "ps", "-a", "-q")).out());
    assertEquals("habits-db-1\nhabits-web-1\n", ok(on(dir, "ps", "--all", "--quiet")).out());
    String all = ok(on(dir, "ps", "-a")).out();
    assertTrue(all.lines().anyMatch(l -> l.startsWith("habits-web-1") && l.contains(" exited ")));
    String running = ok(on(dir, "ps")).out();
    assertFalse(running.contains("habits-web-1"), running);
    assertFalse(ok(on(dir, "ps", "--format", "json")).out().contains("exited"));
    assertTrue(ok(on(dir, "ps", "-a", "--format", "json")).out().contains("\"exited\""));
    assertEquals("habits-web-1\n", ok(on(dir, "ps", "-aq", "web")).out());
    ok(on(dir, "down"));
    assertEquals("", ok(on(dir, "ps", "-aq")).out());
  }

  // ---- exec -e / -w / -T and exit codes

  @Test
  void execTakesEnvWorkdirAndNoTtyAndPassesEveryExitCodeThrough() throws Exception {
    Path dir = project();
    List<ScomposeCommandTest.RecordingTransport> transports =
        Collections.synchronizedList(new ArrayList<>());
    CliRuntime.fakeTransportOverrides =
        t -> {
          ScomposeCommandTest.RecordingTransport r = new ScomposeCommandTest.RecordingTransport(t);
          transports.add(r);
          return r;
        };
    ok(on(dir, "up", "-d"));
    assertEquals(
        new Run(0, "hello-env\n", ""),
        run(on(dir, "exec", "-T", "web", "sh", "-c", "echo $GREETING")));
    assertEquals(
        new Run(0, "other\n", ""),
        run(on(dir, "exec", "-T", "-e", "GREETING=other", "web", "sh", "-c", "echo $GREETING")));
    ok(on(dir, "exec", "-w", "/srv/app", "-T", "web", "true"));
    ok(on(dir, "exec", "--workdir", "/tmp", "--no-TTY", "web", "true"));
    List<List<String>> execs = new ArrayList<>();
    transports.forEach(
        t ->
            t.requests.stream()
                .map(CommandRequest::argv)
                .filter(a -> a.contains("exec") && a.contains("true"))
                .forEach(execs::add));
    assertEquals(2, execs.size(), execs.toString());
    assertPwd(execs.get(0), "/srv/app");
    assertPwd(execs.get(1), "/tmp");

    assertEquals(3, run(on(dir, "exec", "web", "sh", "-c", "exit 3")).code());
    Run missing = run(on(dir, "exec", "web", "no-such-program", "x"));
    assertEquals(255, missing.code(), "the binary's exit code, passed through");
    assertEquals("", missing.out());
    assertTrue(missing.err().contains("executable file not found"), missing.err());
    assertFalse(missing.err().contains("scompose:"), "no second report: " + missing.err());
    ok(on(dir, "down"));
  }

  private static void assertPwd(List<String> argv, String dir) {
    int at = argv.indexOf("--pwd");
    assertTrue(at > 0 && argv.get(at + 1).equals(dir), argv.toString());
    assertTrue(at < argv.indexOf("instance://habits-web-1"), "an exec option: " + argv);
  }

  // ---- config / version

  @Test
  void configListsServicesAndVolumesAndVersionPrintsJson() throws Exception {
    Path dir = project();
    assertEquals("db\nweb\n", ok(on(dir, "config", "--services")).out());
    assertEquals("cache\ndata\n", ok(on(dir, "config", "--volumes")).out());
    assertEquals("db\nweb\ncache\ndata\n", ok(on(dir, "config", "--services", "--volumes")).out());

    String json = ok("version", "--short", "--format", "json").out();
    assertEquals("{\n  \"version\": \"" + VersionCommand.version() + "\"\n}\n", json);
    String full = ok("--runtime", "fake", "version", "--format", "json").out();
    assertTrue(full.startsWith("{\n  \"version\": \""), full);
    assertTrue(full.contains("\"runtime\": \"") && full.contains("embedded fake runtime"), full);
    assertEquals(2, run("version", "--format", "xml").code());
  }

  // ---- logs: current run, -t, --since, --no-log-prefix

  private Path example(String name) throws Exception {
    Path dir = temp.resolve(name);
    DemoCommand.copyTree(Path.of("examples", name), dir);
    return dir;
  }

  static long count(String text, String part) {
    return text.lines().filter(l -> l.contains(part)).count();
  }

  @Test
  void logsShowTheCurrentRunOnlyWithTimestampsSinceAndWithoutPrefix() throws Exception {
    Path dir = example("hit-counter");
    String ready = "Ready to accept connections tcp";
    ok(on(dir, "up", "-d"));
    assertEquals(1, count(ok(on(dir, "logs", "redis")).out(), ready));
    ok(on(dir, "down"));
    ok(on(dir, "up", "-d"));
    String second = ok(on(dir, "logs", "redis")).out();
    assertEquals(1, count(second, ready), "only the second run's lines: " + second);
    ok(on(dir, "restart", "-t", "1", "redis"));
    assertEquals(
        2,
        count(ok(on(dir, "logs", "redis")).out(), ready),
        "a restart keeps the run, as docker compose restart keeps the container's logs");

    String plain = ok(on(dir, "logs", "--no-log-prefix", "redis")).out();
    assertTrue(plain.lines().anyMatch(l -> l.startsWith("1:M ") && l.endsWith(ready)), plain);
    assertFalse(plain.contains("redis-1 |"), plain);

    String stamped = ok(on(dir, "logs", "-t", "redis")).out();
    assertTrue(
        stamped.lines().allMatch(l -> l.startsWith("redis-1 | - ")),
        "lines already written have no time: " + stamped);
    assertEquals(2, count(stamped, ready), "-t keeps every line: " + stamped);

    assertEquals(2, count(ok(on(dir, "logs", "--since", "10m", "redis")).out(), ready));
    assertEquals(
        "", ok(on(dir, "logs", "--since", "2999-01-01T00:00:00Z")).out(), "nothing since then");
    assertEquals(2, count(ok(on(dir, "logs", "--since", "0")).out(), ready));
    Run bad = run(on(dir, "logs", "--since", "yesterday"));
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("scompose: --since yesterday: not a time"), bad.err());
    ok(on(dir, "down"));
  }

  @Test
  void sinceParsesInstantsUnixSecondsAndDurations() {
    java.time.Instant now = java.time.Instant.parse("2026-12-03T10:00:00Z");
    assertEquals(now.minusSeconds(42 * 60), LogsCommand.since("42m", now));
    assertEquals(now.minusSeconds(5400), LogsCommand.since("1h30m", now));
    assertEquals(now.minusSeconds(10), LogsCommand.since("10s", now));
    assertEquals(java.time.Instant.ofEpochSecond(1700000000), LogsCommand.since("1700000000", now));
    assertEquals(
        java.time.Instant.parse("2026-12-01T08:00:00Z"),
        LogsCommand.since("2026-12-01T08:00:00Z", now));
    for (String bad : List.of("", "m", "1d", "-5m", "2026-12-01")) {
      assertEquals(
          2,
          org.junit.jupiter.api.Assertions.assertThrows(
                  CliException.class, () -> LogsCommand.since(bad, now), bad)
              .exitCode());
    }
  }

  // ---- up --no-deps / --force-recreate / --remove-orphans / --build / --wait

  /** name → pid of the running instances ({@code ps --format json}). */
  private static java.util.Map<String, Long> pids(Path dir) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "\"name\": \"([^\"]+)\",\\s+\"service\": \"[^\"]+\",\\s+\"pid\": (\\d+)")
            .matcher(ok(on(dir, "ps", "--format", "json")).out());
    while (m.find()) {
      out.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return out;
  }

  @Test
  void upNoDepsStartsOnlyTheNamedServices() throws Exception {
    Path dir = example("hit-counter");
    ok(on(dir, "up", "-d", "--no-deps", "web"));
    assertEquals("hit-counter-web-1\n", ok(on(dir, "ps", "-aq")).out());
    ok(on(dir, "up", "-d", "web"));
    assertEquals(
        "hit-counter-redis-1\nhit-counter-web-1\n",
        ok(on(dir, "ps", "-q")).out(),
        "without --no-deps the dependency starts");
    long redis = pids(dir).get("hit-counter-redis-1");
    ok(on(dir, "up", "-d", "--no-deps", "--force-recreate", "web"));
    assertEquals(redis, pids(dir).get("hit-counter-redis-1"), "the dependency was left alone");
    assertEquals(java.util.Set.of("hit-counter-redis-1", "hit-counter-web-1"), pids(dir).keySet());
    ok(on(dir, "down"));
  }

  @Test
  void upForceRecreateStartsUnchangedInstancesAgain() throws Exception {
    Path dir = project();
    ok(on(dir, "up", "-d"));
    java.util.Map<String, Long> first = pids(dir);
    assertEquals(2, first.size(), first.toString());
    ok(on(dir, "up", "-d"));
    assertEquals(first, pids(dir), "unchanged instances are kept");
    Run again = ok(on(dir, "up", "-d", "--force-recreate", "web"));
    java.util.Map<String, Long> second = pids(dir);
    assertEquals(first.get("habits-db-1"), second.get("habits-db-1"), "db not named: kept");
    assertFalse(
        first.get("habits-web-1").equals(second.get("habits-web-1")),
        "web started again: " + again.err());
    ok(on(dir, "down"));
  }

  @Test
  void upRemoveOrphansStopsAndForgetsInstancesOfRemovedServices() throws Exception {
    Path dir = project();
    ok(on(dir, "up", "-d"));
    long web = pids(dir).get("habits-web-1");
    Files.writeString(
        dir.resolve("compose.yaml"),
        "name: habits\nservices:\n  db:\n    image: busybox:1.36\n    volumes:\n"
            + "      - data:/data\nvolumes:\n  data: {}\n");
    ok(on(dir, "up", "-d"));
    assertEquals(
        "habits-db-1\nhabits-web-1\n",
        ok(on(dir, "ps", "-q")).out(),
        "without --remove-orphans the orphan keeps running, recorded");
    Run r = ok(on(dir, "up", "-d", "--remove-orphans"));
    assertTrue(r.err().contains("orphan: service 'web' is no longer defined"), r.err());
    assertEquals("habits-db-1\n", ok(on(dir, "ps", "-aq")).out());
    assertFalse(JarProcesses.alive(web), "the orphan was stopped");
    Run down = ok(on(dir, "down"));
    assertEquals("project habits is down: stopped habits-db-1\n", down.out());
  }

  @Test
  void upBuildRebuildsAndWaitWaitsForHealthchecks() throws Exception {
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
    Run plain = ok(on(dir, "up", "-d"));
    assertFalse(plain.err().contains("building"), plain.err());
    Run built = ok(on(dir, "up", "-d", "--build"));
    assertTrue(built.err().contains("[+] tool building"), built.err());
    ok(on(dir, "down"));

    Path hc = example("hit-counter");
    Run waited = ok(on(hc, "up", "--wait"));
    assertTrue(waited.out().startsWith("project hit-counter is up"), waited.out());
    assertFalse(waited.out().contains("attached"), "--wait implies -d: " + waited.out());
    assertTrue(waited.err().contains("[+] hit-counter-redis-1 healthy\n"), waited.err());
    ok(on(hc, "down"));

    Path sick = Files.createDirectories(temp.resolve("sick"));
    Files.writeString(
        sick.resolve("compose.yaml"),
        "name: sick\nservices:\n  db:\n    image: busybox:1.36\n    healthcheck:\n"
            + "      test: [\"CMD\", \"false\"]\n      interval: 100ms\n      retries: 1\n");
    Run unhealthy = run(on(sick, "up", "--wait"));
    assertEquals(1, unhealthy.code(), unhealthy.err());
    assertTrue(unhealthy.err().contains("scompose: sick-db-1 is not healthy: "), unhealthy.err());
    assertEquals("sick-db-1\n", ok(on(sick, "ps", "-q")).out(), "the project stays up");
    ok(on(sick, "down"));
  }

  // ---- images stay out of the user's folders; pull progress

  private static List<String> listing(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      return walk.filter(p -> !p.startsWith(dir.resolve(".scompose")))
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void builtAndPulledImagesGoToTheStateFolderNotTheUsersFolders() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("built"));
    Files.createDirectories(dir.resolve("tool"));
    Files.writeString(
        dir.resolve("tool/Singularity"),
        "Bootstrap: docker\nFrom: alpine:3.20\n\n%startscript\n    echo tool is up\n");
    Files.writeString(
        dir.resolve("singularity-compose.yml"),
        "version: \"2.0\"\ninstances:\n  tool:\n    build:\n      context: ./tool\n"
            + "      recipe: Singularity\n  web:\n    image: docker://nginx:1.27\n");
    List<String> before = listing(dir);
    ok(on(dir, "build"));
    Run pulled = ok(on(dir, "pull"));
    assertTrue(
        pulled
            .err()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "\\[\\+] web image ready .*/\\.scompose/images/web\\.sif \\(\\d+ B in \\d+\\.\\d s\\)")),
        "size and time of the pull: " + pulled.err());
    ok(on(dir, "up", "-d"));
    ok(on(dir, "down"));
    assertEquals(before, listing(dir), "nothing written into the project's own folders");
    assertTrue(Files.isRegularFile(dir.resolve(".scompose/images/tool.sif")));
    assertTrue(Files.isRegularFile(dir.resolve(".scompose/images/web.sif")));
    String images = ok(on(dir, "images")).out();
    assertTrue(images.lines().skip(1).allMatch(l -> l.contains("/.scompose/images/")), images);

    // --compat: where singularity-compose 0.1.19 puts them (images it made are found there)
    ok(on(dir, "--compat", "singularity-compose", "build", "tool"));
    assertTrue(Files.isRegularFile(dir.resolve("tool/tool.sif")));
    String compat = ok(on(dir, "--compat", "singularity-compose", "images", "tool")).out();
    assertTrue(compat.contains(dir.resolve("tool/tool.sif").toString()), compat);
  }

  @Test
  void byteSizesReadAsPeopleWriteThem() {
    assertEquals("18 B", Progress.bytes(18));
    assertEquals("1.5 KiB", Progress.bytes(1536));
    assertEquals("2.4 MiB", Progress.bytes(2_516_583));
    assertEquals("1.0 GiB", Progress.bytes(1L << 30));
  }
}
