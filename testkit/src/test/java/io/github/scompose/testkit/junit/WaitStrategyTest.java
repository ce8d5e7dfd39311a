package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import io.github.scompose.testkit.wait.InstanceWaitTarget;
import io.github.scompose.testkit.wait.NotReadyException;
import io.github.scompose.testkit.wait.Wait;
import io.github.scompose.testkit.wait.WaitTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wait strategies used programmatically over {@link InstanceWaitTarget} on the in-JVM fake
 * runtime with a virtual clock: polling until ready, timeouts with the log tail, HTTP and TCP
 * checks against real local sockets, the in-instance port probe, healthcheck intervals.
 */
class WaitStrategyTest {

  final VirtualTimeSource time = VirtualTimeSource.create();
  final List<Duration> pauses = new ArrayList<>();
  final List<Runnable> atEachPause = new ArrayList<>();
  FakeRuntime fake;
  SingularityClient client;

  /** The sleeper of the targets: advances virtual time, records the pause, runs the hooks. */
  final Sleeper sleeper =
      d -> {
        pauses.add(d);
        time.sleep(d);
        atEachPause.forEach(Runnable::run);
      };

  void fake(FakeRuntime.Builder builder) {
    fake = builder.anyImageExists().timeSource(time).build();
    client =
        SingularityClient.builder()
            .transport(fake.transport())
            .binary(
                SingularityBinary.of(
                    "apptainer", BinaryVersion.parse("apptainer version " + fake.version())))
            .hostIdentity(
                HostIdentity.of(
                    fake.homeDirectory(), "fakehost", System.getProperty("user.name", "user")))
            .build();
  }

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  InstanceWaitTarget.Builder target(String name) {
    return InstanceWaitTarget.builder(client, name)
        .clock(new TimeSourceClock(time))
        .sleeper(sleeper);
  }

  void start(String name, String image) {
    assertEquals(0, fake.execute("instance", "start", image, name).exitCode());
  }

  Duration elapsed() {
    return Duration.between(VirtualTimeSource.DEFAULT_START, time.now());
  }

  @Test
  void aLogWaitPollsOnTheVirtualClockUntilTheLinesAppear() {
    fake(FakeRuntime.builder());
    start("db", "/images/db.sif");
    atEachPause.add(
        () -> {
          if (elapsed().equals(Duration.ofSeconds(3)) || elapsed().equals(Duration.ofSeconds(5))) {
            fake.appendLog("db", "LOG: ready to accept connections\n", "");
          }
        });

    Wait.forLogMessage("ready to accept", 2).waitUntilReady(target("db").build());

    assertEquals(Duration.ofSeconds(5), elapsed(), "20 polls of 250 ms, then the second line");
    assertEquals(20, pauses.size());
  }

  @Test
  void aLogWaitThatTimesOutQuotesTheLastLogLines() {
    fake(
        FakeRuntime.builder()
            .image(
                FakeImage.builder()
                    .path("/images/web.sif")
                    .addStartscriptStdout("starting web")
                    .addStartscriptStderr("config missing")
                    .build()));
    start("web", "/images/web.sif");

    NotReadyException e =
        assertThrows(
            NotReadyException.class,
            () ->
                Wait.forLogMessage("listening", 1)
                    .withTimeout(Duration.ofSeconds(10))
                    .waitUntilReady(target("web").build()));

    assertEquals(NotReadyException.Reason.TIMED_OUT, e.reason());
    assertEquals(Duration.ofSeconds(10), elapsed());
    assertEquals(
        "instance web is not ready: timed out after 10 s waiting for a log line matching"
            + " \"listening\" (1 time); last check: 0 of 1 matching lines\n"
            + "last 20 log lines of web:\n"
            + "out | starting web\n"
            + "err | config missing\n",
        e.getMessage());
  }

  @Test
  void logLinesOfAnEarlierRunOfTheSameNameDoNotCount() {
    fake(
        FakeRuntime.builder()
            .image(
                FakeImage.builder().path("/images/web.sif").addStartscriptStdout("ready").build()));
    start("web", "/images/web.sif");
    fake.execute("instance", "stop", "web");
    long[] sizes = InstanceWaitTarget.logSizes(client, "web");
    start("web", "/images/web.sif");
    WaitTarget fromStart = target("web").logsFrom(sizes[0], sizes[1]).build();

    Wait.forLogMessage("^ready$", 1).waitUntilReady(fromStart);
    NotReadyException e =
        assertThrows(
            NotReadyException.class,
            () ->
                Wait.forLogMessage("^ready$", 2)
                    .withTimeout(Duration.ofSeconds(1))
                    .waitUntilReady(fromStart));
    assertTrue(e.getMessage().contains("1 of 2 matching lines"), e.getMessage());
    Wait.forLogMessage("^ready$", 2).waitUntilReady(target("web").build()); // both runs' lines
  }

  @Test
  void anHttpWaitAsksUntilTheStatusIsAccepted() throws IOException {
    fake(FakeRuntime.builder());
    start("web", "/images/web.sif");
    AtomicInteger requests = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/health",
        exchange -> {
          int code = requests.incrementAndGet() < 3 ? 503 : 204;
          exchange.sendResponseHeaders(code, -1);
          exchange.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      NotReadyException only200 =
          assertThrows(
              NotReadyException.class,
              () ->
                  Wait.forHttp("/health")
                      .forPort(port)
                      .withTimeout(Duration.ofSeconds(2))
                      .waitUntilReady(target("web").build()));
      assertTrue(
          only200.getMessage().contains("HTTP 204 from http://127.0.0.1:" + port),
          only200.getMessage());

      requests.set(0);
      Wait.forHttp("/health")
          .forPort(port)
          .forStatusCode(200)
          .forStatusCode(204)
          .waitUntilReady(target("web").build());
      assertEquals(3, requests.get(), "503, 503, then 204");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aPortWaitConnectsFromThisHost() throws IOException {
    fake(FakeRuntime.builder());
    start("cache", "/images/redis.sif");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
      Wait.forListeningPort(closedPort).waitUntilReady(target("cache").build());
      assertEquals(Duration.ZERO, elapsed(), "ready at the first check");
    }
    NotReadyException e =
        assertThrows(
            NotReadyException.class,
            () ->
                Wait.forListeningPort(closedPort)
                    .withTimeout(Duration.ofSeconds(1))
                    .waitUntilReady(target("cache").build()));
    assertTrue(e.getMessage().contains("no connection to 127.0.0.1:" + closedPort), e.getMessage());
  }

  @Test
  void publishedPortsMapContainerPortsToHostAddresses() {
    fake(FakeRuntime.builder());
    ServiceSpec web =
        ComposeLoader.defaults()
            .loadString(
                "compose.yaml",
                """
                services:
                  web:
                    image: /images/web.sif
                    ports: ["18080:8080", "127.0.0.2:9000:90", "3000"]
                """)
            .services()
            .get(0);
    WaitTarget t = target("web").ports(web.ports()).build();
    assertEquals(List.of(8080, 90, 3000), t.publishedPorts());
    assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 18080), t.hostAddress(8080));
    assertEquals(InetSocketAddress.createUnresolved("127.0.0.2", 9000), t.hostAddress(90));
    assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 5432), t.hostAddress(5432));
    IllegalStateException chosen =
        assertThrows(IllegalStateException.class, () -> t.hostAddress(3000));
    assertTrue(chosen.getMessage().contains("host port the engine chose"), chosen.getMessage());
  }

  @Test
  void thePortProbeInsideTheInstanceRunsThroughExec() {
    assertEquals("1F90", Wait.listeningPortProbe(8080).get(4));
    assertEquals("0050", Wait.listeningPortProbe(80).get(4));
    fake(
        FakeRuntime.builder()
            .respondToExec("db", Wait.listeningPortProbe(5432), ScriptedResponse.ok("")));
    start("db", "/images/db.sif");
    Wait.forListeningPortInInstance(5432).waitUntilReady(target("db").build());
    NotReadyException e =
        assertThrows(
            NotReadyException.class,
            () ->
                Wait.forListeningPortInInstance(5433)
                    .withTimeout(Duration.ofSeconds(1))
                    .waitUntilReady(target("db").build()));
    assertTrue(e.getMessage().contains("port 5433 to listen inside the instance"), e.getMessage());
  }

  @Test
  void aHealthcheckWaitChecksAtTheStartIntervalThenAtTheInterval() {
    ServiceSpec db =
        ComposeLoader.defaults()
            .loadString(
                "compose.yaml",
                """
                services:
                  db:
                    image: /images/db.sif
                    healthcheck:
                      test: pg_isready -U app
                      interval: 10s
                      start_period: 6s
                      start_interval: 2s
                """)
            .services()
            .get(0);
    fake(
        FakeRuntime.builder()
            .respondToExec(
                "db",
                List.of("/bin/sh", "-c", "pg_isready -U app"),
                ScriptedResponse.failure(2, "no response")));
    start("db", "/images/db.sif");
    WaitTarget t = target("db").healthcheck(db.healthcheck()).build();

    NotReadyException e =
        assertThrows(
            NotReadyException.class,
            () -> Wait.forHealthcheck().withTimeout(Duration.ofSeconds(30)).waitUntilReady(t));

    assertEquals(
        List.of(2L, 2L, 2L, 10L, 10L, 4L),
        pauses.stream().map(Duration::toSeconds).toList(),
        "start_interval within start_period, then interval, cut at the deadline");
    assertTrue(e.getMessage().contains("healthcheck exit code 2: no response"), e.getMessage());
    IllegalStateException none =
        assertThrows(
            IllegalStateException.class,
            () -> Wait.forHealthcheck().waitUntilReady(target("db").build()));
    assertTrue(none.getMessage().contains("has no healthcheck"), none.getMessage());
  }

  @Test
  void aCommandWaitAndForAll() {
    fake(
        FakeRuntime.builder()
            .respondToExec("app", List.of("app-ready"), ScriptedResponse.ok("yes")));
    start("app", "/images/app.sif");
    Wait.forAll(Wait.forSuccessfulCommand("app-ready"), Wait.forSuccessfulCommand("true"))
        .waitUntilReady(target("app").build());
    assertEquals(Duration.ZERO, elapsed());
  }

  @Test
  void badArgumentsFailWithTheValue() {
    assertEquals(
        "port 70000 is outside 1..65535",
        assertThrows(IllegalArgumentException.class, () -> Wait.forListeningPort(70000))
            .getMessage());
    assertEquals(
        "times 0 is below 1",
        assertThrows(IllegalArgumentException.class, () -> Wait.forLogMessage("x", 0))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Wait.forSuccessfulCommand("x").withTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> Wait.forHttp("health"));
    assertThrows(IllegalArgumentException.class, () -> Wait.forHttp("/").forStatusCode(42));
  }
}
