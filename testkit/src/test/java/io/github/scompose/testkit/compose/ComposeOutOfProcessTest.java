package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose engine over the out-of-process emulator ({@link FakeRuntime#installExecutable}) and
 * core's real {@link LocalProcessTransport}: every binary call is a new process, the emulator keeps
 * its state in a directory, and every instance is a real host process, so "nothing left running" is
 * checked on the host's process table, not only in a listing. Issue 6's "down from a second process
 * using the state file" runs {@code ps} and {@code down} in a second JVM ({@link
 * ComposeInSecondJvm}).
 */
class ComposeOutOfProcessTest {

  private static final String HOST = "fakehost";
  private static final String USER = "tester";

  @TempDir Path temp;
  private FakeRuntime fake;
  private Path binary;
  private Path projectDir;
  private final List<ComposeEvent> events = new CopyOnWriteArrayList<>();
  private WatchingTransport transport;

  @BeforeEach
  void install() throws IOException {
    fake =
        FakeRuntime.builder()
            .stateDirectory(temp.resolve("emulator"))
            .userName(USER)
            .hostName(HOST)
            .image(FakeImage.builder().path("/images/db.sif").build())
            .image(
                FakeImage.builder()
                    .path("/images/app.sif")
                    .addStartscriptStdout("app listening on $@")
                    .build())
            .image(
                FakeImage.builder()
                    .path("/images/web.sif")
                    .addStartscriptStdout("web serving $@")
                    .addStartscriptStderr("web: no TLS certificate, plain HTTP")
                    .build())
            .build();
    binary = fake.installExecutable(temp.resolve("bin"), "apptainer");
    projectDir = Files.createDirectories(temp.resolve("shop"));
    transport = new WatchingTransport(LocalProcessTransport.create());
  }

  @AfterEach
  void tearDown() {
    fake.close(); // whatever a failed test left: its host processes end here
  }

  private HostIdentity identity() {
    return HostIdentity.of(fake.homeDirectory(), HOST, USER);
  }

  private Compose engine() {
    return Compose.builder()
        .client(ComposeInSecondJvm.client(transport, binary.toString(), identity()))
        .listener(events::add)
        .build();
  }

  /** db ← app (port, environment) ← web (port); ports are free ones of this host. */
  private ComposeProject project() throws IOException {
    int appPort = freePort();
    int webPort = freePort();
    String yaml =
        """
        name: shop
        services:
          db:
            image: /images/db.sif
            environment:
              DB_NAME: orders
          app:
            image: /images/app.sif
            depends_on: [db]
            command: ["--port", "%1$d"]
            environment:
              GREETING: hello from app
              DB_HOST: db
            ports:
              - "%1$d:%1$d"
          web:
            image: /images/web.sif
            depends_on:
              app:
                condition: service_started
            command: ["%2$d"]
            ports:
              - "%2$d:%2$d"
        """
            .formatted(appPort, webPort);
    Path file = Files.writeString(projectDir.resolve("compose.yaml"), yaml);
    return ComposeLoader.defaults().load(file);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private List<String> names(ComposeEvent.Type type) {
    return events.stream()
        .filter(e -> e.type() == type)
        .flatMap(e -> e.instance().stream())
        .toList();
  }

  /** Whether {@code pid} is a live host process (a zombie awaiting its reaper counts as ended). */
  static boolean running(long pid) {
    if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false; // gone between the two looks
    }
  }

  private Map<String, Long> pidsFromPs(List<InstanceStatus> ps) {
    Map<String, Long> pids = new LinkedHashMap<>();
    ps.forEach(s -> pids.put(s.name(), s.pid().orElseThrow()));
    return pids;
  }

  @Test
  void upPsExecLogsDownOverRealProcessesLeavesNothingRunning() throws IOException {
    ComposeProject project = project();
    Compose compose = engine();
    Map<String, Long> pids;
    try (ComposeStack stack = compose.up(project)) {
      assertEquals(
          List.of("shop-db-1", "shop-app-1", "shop-web-1"), names(ComposeEvent.Type.STARTED));

      // ps: every instance running, with the real host PID of its process
      List<InstanceStatus> ps = stack.ps();
      assertEquals(
          List.of("shop-db-1", "shop-app-1", "shop-web-1"),
          ps.stream().map(InstanceStatus::name).toList());
      assertTrue(
          ps.stream().allMatch(s -> s.state() == InstanceStatus.State.RUNNING), ps::toString);
      pids = pidsFromPs(ps);
      for (Map.Entry<String, Long> e : pids.entrySet()) {
        assertTrue(running(e.getValue()), e.getKey() + " has a live host process " + e.getValue());
        assertEquals(e.getValue(), fake.instance(e.getKey()).orElseThrow().pid());
      }
      assertNotEquals(ProcessHandle.current().pid(), pids.get("shop-db-1"));

      // exec runs in the instance, through a new emulator process
      CommandResult echo = stack.exec("app", "echo", "ready");
      assertEquals(0, echo.exitCode(), echo.stderr());
      assertEquals("ready\n", echo.stdout());

      // environment reached the instances through the process environment of the start, never
      // argv (exec does not see the start environment: recorded from SingularityCE 3.4.2)
      Map<String, String> appEnv = fake.instance("shop-app-1").orElseThrow().environment();
      assertEquals("hello from app", appEnv.get("GREETING"));
      assertEquals("db", appEnv.get("DB_HOST"));
      assertEquals("orders", fake.instance("shop-db-1").orElseThrow().environment().get("DB_NAME"));
      synchronized (transport.commands) {
        for (List<String> argv : transport.commands) {
          assertFalse(String.join(" ", argv).contains("hello from app"), argv::toString);
          assertFalse(String.join(" ", argv).contains("orders"), argv::toString);
        }
      }
      // the exit code of exec is the command's
      CommandResult fails = stack.exec("web", "sh", "-c", "exit 3");
      assertEquals(3, fails.exitCode());

      // start arguments came from `command`, and the logs show them, prefixed per instance
      String appPort = project.service("app").orElseThrow().command().orElseThrow().get(1);
      assertEquals("shop-app-1 | app listening on --port " + appPort + "\n", stack.logs("app", 10));
      String web = stack.logs("web", 10);
      assertTrue(web.startsWith("shop-web-1 | web serving "), web);
      assertTrue(web.endsWith("shop-web-1 | web: no TLS certificate, plain HTTP\n"), web);
      assertTrue(Files.exists(projectDir.resolve(".scompose/state.json")));
    }

    // down: stopped in reverse order, nothing listed, no host process left, state file gone
    assertEquals(
        List.of("shop-web-1", "shop-app-1", "shop-db-1"), names(ComposeEvent.Type.STOPPED));
    assertEquals(List.of(), fake.instances(), "nothing listed after down");
    pids.forEach((name, pid) -> assertFalse(running(pid), name + " (pid " + pid + ") still runs"));
    assertFalse(Files.exists(projectDir.resolve(".scompose/state.json")));
    assertEquals(List.of(), compose.ps(projectDir));
    assertEquals(List.of(), compose.client().list(), "instance list through the binary is empty");
  }

  @Test
  void psAndDownFromASecondJvmUseTheStateFile() throws Exception {
    ComposeProject project = project();
    engine().up(project); // the handle is dropped: only the state file tells what runs
    Map<String, Long> pids =
        fake.instances().stream().collect(Collectors.toMap(FakeInstance::name, FakeInstance::pid));
    assertEquals(3, pids.size());
    pids.values().forEach(pid -> assertTrue(running(pid)));
    Path stateFile = projectDir.resolve(".scompose/state.json");
    assertTrue(Files.exists(stateFile));

    SecondJvm ps = secondJvm("ps");
    assertEquals(0, ps.exitCode(), ps.stderr());
    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : ps.stdout().strip().split("\n")) {
      String[] w = line.split(" ");
      assertEquals("RUNNING", w[1], line);
      seen.put(w[0], w[2]);
    }
    assertEquals(
        List.of("shop-db-1", "shop-app-1", "shop-web-1"), List.copyOf(seen.keySet()), ps.stdout());
    pids.forEach((name, pid) -> assertEquals(Long.toString(pid), seen.get(name), name));

    SecondJvm down = secondJvm("down");
    assertEquals(0, down.exitCode(), down.stderr());
    assertEquals(List.of("shop-web-1", "shop-app-1", "shop-db-1"), down.stdout().lines().toList());
    assertEquals(List.of(), fake.instances(), "nothing listed after the second JVM's down");
    pids.forEach((name, pid) -> assertFalse(running(pid), name + " (pid " + pid + ") still runs"));
    assertFalse(Files.exists(stateFile), "down removed the state file");
    assertTrue(Files.exists(projectDir.resolve("compose.yaml")), "the user's file stays");
    assertEquals(List.of(), engine().ps(projectDir));
  }

  @Test
  void anUpWhoseJvmHaltsAfterAStartLeavesItRecordedSoUpAdoptsItAndDownStopsAll() throws Exception {
    ComposeProject project = project();
    SecondJvm killed = secondJvm("up-halt", "shop-app-1");
    assertEquals(137, killed.exitCode(), killed.stderr());
    Map<String, Long> pids =
        fake.instances().stream().collect(Collectors.toMap(FakeInstance::name, FakeInstance::pid));
    assertEquals(java.util.Set.of("shop-db-1", "shop-app-1"), pids.keySet());
    String state = Files.readString(projectDir.resolve(".scompose/state.json"));
    assertTrue(
        state
            .lines()
            .anyMatch(l -> l.contains("\"shop-app-1\"") && l.contains("\"starting\": true")),
        state);

    // the next up: no "already exists"; the unconfirmed instance is adopted as it runs
    engine().up(project);
    assertEquals(pids.get("shop-app-1"), fake.instance("shop-app-1").orElseThrow().pid());
    assertEquals(3, fake.instances().size());
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.type() == ComposeEvent.Type.RECOVERED
                        && e.instance().orElse("").equals("shop-app-1")
                        && e.message().endsWith("adopted")),
        events::toString);

    SecondJvm down = secondJvm("down");
    assertEquals(0, down.exitCode(), down.stderr());
    assertEquals(List.of(), fake.instances(), "nothing listed after down");
    pids.forEach((name, pid) -> assertFalse(running(pid), name + " (pid " + pid + ") still runs"));
  }

  @Test
  void anUpWhoseJvmHaltsAfterAStartIsTakenDownFromItsStateAlone() throws Exception {
    project();
    SecondJvm killed = secondJvm("up-halt", "shop-app-1");
    assertEquals(137, killed.exitCode(), killed.stderr());
    Map<String, Long> pids =
        fake.instances().stream().collect(Collectors.toMap(FakeInstance::name, FakeInstance::pid));
    assertEquals(2, pids.size());

    SecondJvm down = secondJvm("down");
    assertEquals(0, down.exitCode(), down.stderr());
    assertEquals(List.of("shop-app-1", "shop-db-1"), down.stdout().lines().toList());
    assertEquals(List.of(), fake.instances());
    pids.forEach((name, pid) -> assertFalse(running(pid), name + " (pid " + pid + ") still runs"));
    assertFalse(Files.exists(projectDir.resolve(".scompose/state.json")));
  }

  private record SecondJvm(int exitCode, String stdout, String stderr) {}

  /** Runs {@link ComposeInSecondJvm} in a new JVM on this test's classpath. */
  private SecondJvm secondJvm(String command, String... more) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>();
    argv.addAll(
        List.of(
            java,
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ComposeInSecondJvm.class.getName(),
            command,
            binary.toString(),
            fake.homeDirectory(),
            HOST,
            USER,
            projectDir.toString()));
    argv.addAll(List.of(more));
    Process p = new ProcessBuilder(argv).start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the second JVM did not finish " + command + " within 5 minutes");
    }
    return new SecondJvm(p.exitValue(), out.get(), err.get());
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
