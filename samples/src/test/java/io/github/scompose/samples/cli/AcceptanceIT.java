package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.scompose.network.Lease;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.samples.cli.JarProcesses.Result;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance suite of issue 17: the built CLI ({@code scompose.jar}) run as a separate process in
 * temporary project folders, as a user runs it, always with {@code --runtime real}, so the real
 * path (binary lookup, {@code LocalProcessTransport}, the dialect's parsing) is what is tested.
 *
 * <p><b>Two ways to run it, unchanged.</b>
 *
 * <ul>
 *   <li>Default ({@code mvn -B verify}, CI): the binary is the testkit's out-of-process emulator
 *       ({@link FakeRuntime#installExecutable}, dialect SingularityCE 3.4.2), handed to the CLI as
 *       {@code SINGULARITY_BINARY}; every emulated instance is a real {@code sleep} process, so
 *       "nothing left running" is also checked on the host's process table. The emulator answers
 *       without the real binary's start latency (recorded 0.3 s): every call is a new JVM anyway,
 *       which leaves the kill test its windows, and the suite stays quick.
 *   <li>{@code -Dscompose.runtime=real -Dscompose.it.images=DIR}: the real {@code singularity} (or
 *       {@code apptainer}) found by the CLI ({@code APPTAINER_BINARY}, {@code SINGULARITY_BINARY},
 *       then {@code PATH}), with two local images — no registry is ever contacted:
 *       <ul>
 *         <li>{@code DIR/sleep.sif}: an image whose {@code %startscript} only sleeps (e.g. {@code
 *             exec sleep 100000}) and which has {@code sh};
 *         <li>{@code DIR/svc.sif}: busybox with {@code %environment export GREETING=hello-from-def}
 *             and a {@code %startscript} that starts {@code httpd -f -p 80 -h /www &} (serving a
 *             {@code /www/index.html}) and then {@code exec sleep 100000}
 *             (../shared/reference/README.md); it needs busybox's {@code sh}, {@code cat} and
 *             {@code ping}.
 *       </ul>
 *       Without the images property the suite is skipped with a notice. Instances are named after a
 *       random per-run prefix ({@code a<hex>-…}), so other instances of the user are never touched;
 *       the tests clean up what carries their prefix.
 * </ul>
 *
 * <p>Every test has its own project folders, its own lease file ({@code XDG_STATE_HOME} of the
 * child, see {@code LeaseStore.defaultFile}) and, on the emulator, its own emulator state and
 * {@code HOME}. Checks that need root networking (bridge, addresses) skip with a notice when the
 * JVM does not run as root. Independent checks of one test all run and fail together ({@link
 * Checks}), so a report shows every missing piece at once. The CLI processes start with {@link
 * JarProcesses#QUICK_START} (start-up options only). Moments are chosen by observation (a number of
 * instances listed), never by sleeping.
 *
 * <p>Only this suite: {@code mvn -B verify -pl samples -am -Dit.test=AcceptanceIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false} (add the two properties above for a real binary).
 */
class AcceptanceIT {

  /** {@code -Dscompose.runtime=real}: run on the real binary instead of the emulator. */
  static final boolean REAL = "real".equals(System.getProperty("scompose.runtime"));

  /** How long a wait-until waits before it fails. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  /**
   * How long a stopped instance may stay listed: the real binary lists it 2 to 3 s after {@code
   * instance stop} returned (recorded), the emulator not at all.
   */
  static final Duration LISTING_LAG = Duration.ofSeconds(10);

  @TempDir Path temp;

  /** Prefix of every project (and so instance) name of this test, e.g. {@code a3f9c}. */
  String prefix;

  Path images;
  Path stateHome;
  Map<String, String> childEnvironment = new LinkedHashMap<>();

  /** The emulator (default mode); null on a real binary. */
  FakeRuntime emulator;

  /** The binary that {@code instance list} is asked directly (the launcher on the emulator). */
  Path binary;

  @BeforeEach
  void setUp() throws Exception {
    prefix = "a" + Long.toHexString(new Random().nextLong() & 0xfffffL);
    stateHome = Files.createDirectories(temp.resolve("xdg-state"));
    childEnvironment.put("XDG_STATE_HOME", stateHome.toString());
    if (REAL) {
      String dir = System.getProperty("scompose.it.images");
      assumeTrue(
          dir != null && !dir.isBlank(),
          "-Dscompose.runtime=real without -Dscompose.it.images=DIR (a folder with sleep.sif and"
              + " svc.sif): acceptance suite skipped");
      images = Path.of(dir).toAbsolutePath();
      for (String image : List.of("sleep.sif", "svc.sif")) {
        assumeTrue(
            Files.isRegularFile(images.resolve(image)),
            images.resolve(image) + " is missing: acceptance suite skipped");
      }
      binary = realBinary();
    } else {
      images = Files.createDirectories(temp.resolve("images"));
      Path home = Files.createDirectories(temp.resolve("home"));
      // the files exist, as real images would; what they "contain" is programmed below
      Files.writeString(images.resolve("sleep.sif"), "emulated image\n");
      Files.writeString(images.resolve("svc.sif"), "emulated image\n");
      emulator =
          FakeRuntime.builder()
              .dialect(FakeDialect.SINGULARITY_CE_3_4)
              .stateDirectory(temp.resolve("emulator"))
              .homeDirectory(home.toString())
              .hostName(command("uname", "-n"))
              .userName(command("id", "-un"))
              .image(images.resolve("sleep.sif").toString())
              .image(
                  FakeImage.builder()
                      .path(images.resolve("svc.sif").toString())
                      .putEnvironment("GREETING", "hello-from-def")
                      .addStartscriptStdout("startscript args: $@")
                      .addStartscriptStdout("startscript GREETING=$GREETING FOO=$FOO")
                      .addStartscriptStderr("to stderr")
                      .build())
              .build();
      binary = emulator.installExecutable(temp.resolve("bin"), "singularity");
      childEnvironment.put("SINGULARITY_BINARY", binary.toString());
      childEnvironment.put("HOME", home.toString());
    }
  }

  /** Ends whatever a failed test left: every instance carrying this test's prefix. */
  @AfterEach
  void cleanUp() throws Exception {
    if (emulator != null) {
      emulator.close();
      return;
    }
    if (binary != null) {
      for (String name : listed().keySet()) {
        run(List.of(binary.toString(), "instance", "stop", "-s", "KILL", name), Map.of());
      }
    }
  }

  // ---- the checks ----------------------------------------------------------------------------

  /**
   * A 3-instance stack as root on the bridge: the published port's mapping is planned, services
   * resolve each other by name through the bound hosts file (each at its own bridge address), the
   * port answers from the host (real binary only), {@code exec} passes exit codes through, and
   * {@code down} leaves nothing running.
   */
  @Test
  void bridgeStackAsRoot() throws Exception {
    assumeRoot();
    int hostPort = freePort();
    Path dir =
        project(
            "stack",
            """
            services:
              db:
                image: %1$s/svc.sif
              app:
                image: %1$s/sleep.sif
                depends_on: [db]
              web:
                image: %1$s/svc.sif
                depends_on: [app]
                ports: ["%2$d:80"]
            """
                .formatted(images, hostPort));
    Checks checks = new Checks();
    checks.check(
        "up --dry-run",
        () -> {
          Result plan = ok(dir, "up", "--dry-run");
          assertTrue(plan.stdout().contains("--net"), "bridge network as root:\n" + plan.output());
          assertTrue(
              plan.stdout().contains("portmap=" + hostPort + ":80/tcp"),
              "the published port's mapping is planned:\n" + plan.output());
        });
    ok(dir, "up", "-d");
    String project = name(dir);
    Map<String, Long> up = listed();
    assertEquals(
        Set.of(project + "-db-1", project + "-app-1", project + "-web-1"),
        up.keySet(),
        "listed by the binary");

    checks.check(
        "name resolution through the hosts file bound at /etc/hosts",
        () -> {
          Result hosts = ok(dir, "exec", "web", "cat", "/etc/hosts");
          Map<String, String> addresses = new HashMap<>();
          for (String service : List.of("db", "app", "web")) {
            String address = address(hosts.stdout(), service);
            assertTrue(
                address.startsWith("10.22."),
                service + " has a bridge address, not " + address + ":\n" + hosts.stdout());
            addresses.put(service, address);
          }
          assertEquals(3, Set.copyOf(addresses.values()).size(), "distinct: " + addresses);
          Result ping = ok(dir, "exec", "web", "ping", "-c", "1", "-W", "2", "db");
          assertTrue(
              ping.stdout().contains("PING db (" + addresses.get("db") + ")"),
              "db resolves to its address from web:\n" + ping.output());
        });
    if (REAL) {
      checks.check("the published port answers from the host", () -> assertHttpAnswers(hostPort));
    }
    checks.check(
        "exec passes the exit code through",
        () -> {
          Result exit = scompose(dir, "exec", "web", "sh", "-c", "exit 3");
          assertEquals(3, exit.exitCode(), exit.output());
        });

    ok(dir, "down");
    assertNothingLeft(up);
    checks.verify();
  }

  /**
   * Several projects brought up at once ({@code up -d} in concurrent processes): all succeed, every
   * address is distinct, the lease file is valid afterwards, and concurrent downs leave nothing
   * running and release every lease.
   */
  @ParameterizedTest(name = "{0} projects at once")
  @ValueSource(ints = {2, 20})
  void projectsAtOnce(int count) throws Exception {
    // two services per project in the small run; one in the large one keeps it quick
    String compose =
        count <= 2
            ? """
              services:
                one:
                  image: %1$s/sleep.sif
                two:
                  image: %1$s/sleep.sif
              """
            : """
              services:
                one:
                  image: %1$s/sleep.sif
              """;
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      dirs.add(project("p" + i, compose.formatted(images)));
    }
    List<Result> ups = concurrently(dirs, "up", "-d");
    for (int i = 0; i < count; i++) {
      assertEquals(0, ups.get(i).exitCode(), name(dirs.get(i)) + ":\n" + ups.get(i).output());
    }
    Map<String, Long> up = listed();
    int perProject = count <= 2 ? 2 : 1;
    assertEquals(count * perProject, up.size(), "every instance listed: " + up.keySet());

    Checks checks = new Checks();
    Path leaseFile = LeaseStore.defaultFile(childEnvironment, temp.toString());
    checks.check(
        "leases while up",
        () -> {
          assertTrue(Files.isRegularFile(leaseFile), "the per-user lease file " + leaseFile);
          List<Lease> leases = LeaseStore.open(leaseFile).leases(); // throws unless valid
          if (!root()) {
            return; // host networking: no addresses to lease
          }
          List<String> leased =
              leases.stream()
                  .filter(l -> l.project().startsWith(prefix))
                  .map(l -> l.address().toString())
                  .toList();
          assertEquals(count * perProject, leased.size(), "one lease per instance: " + leases);
          assertEquals(leased.size(), Set.copyOf(leased).size(), "distinct leases: " + leased);
          if (emulator != null) {
            // what the binary actually gave them
            List<String> actual =
                emulator.instances().stream().map(i -> i.ip().orElse("(host network)")).toList();
            assertEquals(Set.copyOf(leased), Set.copyOf(actual), "the leased addresses are used");
          }
        });
    if (root() && emulator != null) {
      checks.check(
          "distinct bridge addresses",
          () -> {
            List<String> actual =
                emulator.instances().stream().map(i -> i.ip().orElse("(host network)")).toList();
            assertEquals(actual.size(), Set.copyOf(actual).size(), "addresses: " + actual);
            assertTrue(actual.stream().allMatch(a -> a.startsWith("10.22.")), actual.toString());
          });
    }

    List<Result> downs = concurrently(dirs, "down");
    for (int i = 0; i < count; i++) {
      assertEquals(0, downs.get(i).exitCode(), name(dirs.get(i)) + ":\n" + downs.get(i).output());
    }
    assertNothingLeft(up);
    checks.check(
        "leases after down",
        () -> {
          assertTrue(Files.isRegularFile(leaseFile), "the per-user lease file " + leaseFile);
          List<Lease> after = LeaseStore.open(leaseFile).leases();
          assertTrue(
              after.stream().noneMatch(l -> l.project().startsWith(prefix)),
              "every lease released: " + after);
        });
    checks.verify();
  }

  /** A failed {@code up} (the third instance's image is missing) exits 1 naming the instance. */
  @Test
  void failedUpNamesTheInstanceAndLeavesNothing() throws Exception {
    Path dir =
        project(
            "broken",
            """
            services:
              first:
                image: %1$s/sleep.sif
              second:
                image: %1$s/sleep.sif
                depends_on: [first]
              third:
                image: %1$s/missing.sif
                depends_on: [second]
            """
                .formatted(images));
    Result r = scompose(dir, "up", "-d");
    assertEquals(1, r.exitCode(), r.output());
    assertTrue(
        r.stderr().contains(name(dir) + "-third-1"), "names the failing instance:\n" + r.output());
    assertFalse(r.stderr().contains("\tat "), "no stack trace:\n" + r.output());
    assertNothingLeft(Map.of());
  }

  /**
   * {@code kill -9} of the CLI at several moments of a 10-instance {@code up -d} (a depends_on
   * chain, so instances start one after another): once 1, 5 and 9 instances are listed. Each time,
   * {@code down} leaves nothing; at the end a new {@code up -d} works.
   */
  @Test
  void killDuringUpThenDownLeavesNothing() throws Exception {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 1; i <= 10; i++) {
      yaml.append("  s").append(i).append(":\n    image: ").append(images).append("/sleep.sif\n");
      if (i > 1) {
        yaml.append("    depends_on: [s").append(i - 1).append("]\n");
      }
    }
    Path dir = project("chain", yaml.toString());
    for (int moment : List.of(1, 5, 9)) {
      Set<Long> seen = new HashSet<>();
      try (LiveProcess up = live(dir, "up", "-d")) {
        waitUntil(
            () -> {
              Map<String, Long> now = listed();
              seen.addAll(now.values());
              return now.size() >= moment || !up.isAlive();
            },
            moment + " instances listed");
        assertTrue(up.isAlive(), "up ended before the moment to kill it:\n" + up.output());
        up.kill();
      }
      Map<String, Long> afterKill = listed();
      seen.addAll(afterKill.values());
      Result down = scompose(dir, "down");
      assertEquals(0, down.exitCode(), "down after kill -9 at " + moment + ":\n" + down.output());
      Map<String, Long> gone = new HashMap<>(afterKill);
      seen.stream()
          .filter(pid -> !afterKill.containsValue(pid))
          .forEach(pid -> gone.put("instance process " + pid, pid));
      assertNothingLeft(gone);
    }
    ok(dir, "up", "-d");
    Map<String, Long> up = listed();
    assertEquals(10, up.size(), "a new up -d works: " + up.keySet());
    ok(dir, "down");
    assertNothingLeft(up);
  }

  /**
   * A damaged {@code state.json} (random bytes), then {@code down}: nothing left, a backup kept.
   */
  @Test
  void downFromADamagedStateFile() throws Exception {
    Path dir =
        project(
            "damaged",
            """
            services:
              one:
                image: %1$s/sleep.sif
              two:
                image: %1$s/sleep.sif
                depends_on: [one]
            """
                .formatted(images));
    ok(dir, "up", "-d");
    Map<String, Long> up = listed();
    assertEquals(2, up.size(), up.toString());
    Path state = dir.resolve(".scompose/state.json");
    assertTrue(Files.isRegularFile(state), state + " written by up");
    byte[] garbage = new byte[64];
    new Random(17).nextBytes(garbage);
    garbage[0] = (byte) 0xff; // never valid UTF-8
    Files.write(state, garbage);

    Result down = scompose(dir, "down");
    assertEquals(0, down.exitCode(), down.output());
    assertFalse(down.stderr().contains("Exception"), "no Java exception text:\n" + down.output());
    assertNothingLeft(up);
    try (Stream<Path> files = Files.list(dir.resolve(".scompose"))) {
      List<Path> backups =
          files
              .filter(f -> f.getFileName().toString().startsWith("state.json"))
              .filter(f -> f.getFileName().toString().contains(".bak"))
              .toList();
      assertEquals(1, backups.size(), "one backup of the damaged file: " + backups);
      assertArrayEquals(garbage, Files.readAllBytes(backups.get(0)), "the damaged bytes kept");
    }
  }

  /**
   * Checks that all run and fail together at the end, so that one missing piece does not hide
   * whether the others work.
   */
  static final class Checks {
    private final List<Executable> failed = new ArrayList<>();

    void check(String what, Executable check) {
      try {
        check.execute();
      } catch (Throwable t) {
        AssertionError e = new AssertionError(what + ": " + t.getMessage(), t);
        failed.add(
            () -> {
              throw e;
            });
      }
    }

    void verify() {
      assertAll("acceptance checks", failed);
    }
  }

  // ---- running the CLI -----------------------------------------------------------------------

  /** A project folder {@code <prefix>-<name>} with {@code compose.yaml}. */
  Path project(String name, String compose) throws IOException {
    Path dir = Files.createDirectories(temp.resolve(prefix + "-" + name));
    Files.writeString(dir.resolve("compose.yaml"), compose, StandardCharsets.UTF_8);
    return dir;
  }

  /** The project name the CLI derives from the folder. */
  static String name(Path dir) {
    return dir.getFileName().toString();
  }

  private List<String> cli(Path dir, String... args) {
    List<String> all = new ArrayList<>(List.of("--runtime", "real", "--project-directory"));
    all.add(dir.toString());
    all.addAll(List.of(args));
    return JarProcesses.javaJar(JarProcesses.QUICK_START, all.toArray(String[]::new));
  }

  private ProcessBuilder processBuilder(List<String> argv, Path dir) {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    pb.environment().remove("SCOMPOSE_RUNTIME");
    if (emulator != null) {
      pb.environment().remove("APPTAINER_BINARY");
    }
    pb.environment().putAll(childEnvironment);
    return pb;
  }

  Result scompose(Path dir, String... args) throws Exception {
    return JarProcesses.finish(processBuilder(cli(dir, args), dir), temp);
  }

  Result ok(Path dir, String... args) throws Exception {
    Result r = scompose(dir, args);
    assertEquals(0, r.exitCode(), () -> "scompose " + String.join(" ", args) + ":\n" + r.output());
    return r;
  }

  LiveProcess live(Path dir, String... args) throws IOException {
    return new LiveProcess(processBuilder(cli(dir, args), dir));
  }

  /** Runs the CLI in every folder at once (one process each); results in folder order. */
  List<Result> concurrently(List<Path> dirs, String... args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(dirs.size());
    try {
      List<CompletableFuture<Result>> futures = new ArrayList<>();
      for (Path dir : dirs) {
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return scompose(dir, args);
                  } catch (Exception e) {
                    throw new IllegalStateException("cannot run scompose in " + dir, e);
                  }
                },
                pool));
      }
      List<Result> results = new ArrayList<>();
      for (CompletableFuture<Result> f : futures) {
        results.add(f.get(5, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- observing the runtime -----------------------------------------------------------------

  /**
   * This test's instances as the binary lists them ({@code instance list --json}): name → PID. On
   * the emulator the state directory is read in this JVM instead of launching the emulator (the
   * same listing, without a process per poll) — except by {@link #assertNothingLeft}, which always
   * asks the binary.
   */
  Map<String, Long> listed() throws Exception {
    if (emulator != null) {
      Map<String, Long> out = new LinkedHashMap<>();
      for (FakeInstance i : emulator.instances()) {
        if (i.name().startsWith(prefix) && !i.stopping()) {
          out.put(i.name(), i.pid());
        }
      }
      return out;
    }
    return listedByBinary();
  }

  private static final Pattern LISTED =
      Pattern.compile("\"instance\":\\s*\"([^\"]+)\",\\s*\"pid\":\\s*(\\d+)");

  Map<String, Long> listedByBinary() throws Exception {
    Result r = run(List.of(binary.toString(), "instance", "list", "--json"), childEnvironment);
    assertEquals(0, r.exitCode(), "instance list --json:\n" + r.output());
    Map<String, Long> out = new LinkedHashMap<>();
    Matcher m = LISTED.matcher(r.stdout());
    while (m.find()) {
      if (m.group(1).startsWith(prefix)) {
        out.put(m.group(1), Long.parseLong(m.group(2)));
      }
    }
    return out;
  }

  /**
   * Nothing of this test runs: the binary lists no instance of its prefix (waiting, as the real
   * binary lists a stopped instance for 2 to 3 s more) and, on the emulator, none of {@code
   * instances}' host processes is alive.
   */
  void assertNothingLeft(Map<String, Long> instances) throws Exception {
    List<Map<String, Long>> last = new ArrayList<>(List.of(Map.of()));
    waitUntil(
        LISTING_LAG,
        () -> {
          last.set(0, listedByBinary());
          return last.get(0).isEmpty();
        },
        () -> "no instance listed, but " + last.get(0).keySet());
    if (emulator != null) {
      List<String> running = new ArrayList<>();
      waitUntil(
          LISTING_LAG,
          () -> {
            running.clear();
            instances.forEach(
                (name, pid) -> {
                  if (JarProcesses.running(pid)) {
                    running.add(name + " (PID " + pid + ")");
                  }
                });
            return running.isEmpty();
          },
          () -> "no host process of an instance running, but " + running);
    }
  }

  /** Waits until {@code condition} holds, polling every 50 ms, at most {@link #PATIENCE}. */
  static void waitUntil(ThrowingCondition condition, String what) throws Exception {
    waitUntil(PATIENCE, condition, () -> what);
  }

  /** Waits until {@code condition} holds, polling every 50 ms, at most {@code patience}. */
  static void waitUntil(Duration patience, ThrowingCondition condition, Supplier<String> what)
      throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        fail("waited " + patience.toSeconds() + " s in vain for: " + what.get());
      }
      Thread.sleep(50);
    }
  }

  /** A condition whose evaluation may throw. */
  interface ThrowingCondition {
    boolean holds() throws Exception;
  }

  /** The address of {@code name} in hosts file text (first entry naming it). */
  static String address(String hosts, String name) {
    for (String line : hosts.split("\n")) {
      String[] fields = line.strip().split("\\s+");
      for (int i = 1; i < fields.length; i++) {
        if (fields[i].equals(name)) {
          return fields[0];
        }
      }
    }
    throw new AssertionError(name + " is not in the hosts file:\n" + hosts);
  }

  /** GET / on 127.0.0.1:port answers 200 (retried until httpd listens, at most PATIENCE). */
  static void assertHttpAnswers(int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(3))
            .build();
    String[] last = {"no answer"};
    waitUntil(
        PATIENCE,
        () -> {
          try {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            last[0] = r.statusCode() + " " + r.body();
            return r.statusCode() == 200;
          } catch (IOException e) {
            last[0] = "connection failed";
            return false;
          }
        },
        () -> "HTTP 200 from 127.0.0.1:" + port + " (last: " + last[0] + ")");
  }

  // ---- the host ------------------------------------------------------------------------------

  static boolean root() {
    try {
      return command("id", "-u").equals("0");
    } catch (Exception e) {
      return false;
    }
  }

  static void assumeRoot() {
    assumeTrue(root(), "not root: the bridge-network checks need root (CI runs as root)");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The first line a command prints (e.g. {@code uname -n}). */
  static String command(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(1, TimeUnit.MINUTES), String.join(" ", argv) + " hung");
    return out.lines().findFirst().orElse("");
  }

  Result run(List<String> argv, Map<String, String> environment) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(environment);
    return JarProcesses.finish(pb, temp);
  }

  /** The real binary as the CLI would find it: the override variables, then PATH. */
  static Path realBinary() {
    for (String variable : List.of("APPTAINER_BINARY", "SINGULARITY_BINARY")) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        return Path.of(value);
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String program : List.of("apptainer", "singularity")) {
      for (String dir : path.split(":")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    assumeTrue(false, "-Dscompose.runtime=real but no apptainer or singularity on PATH");
    return null;
  }
}
