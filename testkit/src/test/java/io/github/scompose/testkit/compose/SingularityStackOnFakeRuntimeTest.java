package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file of the shape of singularity-stack's example ({@code example/docker-compose.yml} of
 * AmpelProject/singularity-stack: mongo and archivedb, {@code deploy.restart_policy} with {@code
 * condition: on-failure}, {@code delay: 1s}, {@code max_attempts: 3}, a password in {@code
 * environment}) on the in-JVM fake with a virtual clock: singularity-stack's instance names, its
 * restart policy kept by the engine's supervisor, and the password in no argv.
 */
class SingularityStackOnFakeRuntimeTest {

  /**
   * The example's shape; its undeclared named volume {@code tmp:} is written {@code ./tmp:} here
   * (the bare form is issue 12's lenient-loading part).
   */
  static final String STACK_FILE =
      """
      version: '3'
      services:
        mongo:
          image: mongo
          command: ["mongod", "--port", "27018"]
          volumes:
            - ./tmp:/data/db
          ports:
            - "27018:27018"
          deploy:
            restart_policy:
              condition: on-failure
              delay: 1s
              max_attempts: 3
        archivedb:
          image: mysql
          command: ["mysqld"]
          volumes:
            - ./tmp:/var/lib/mysql
          environment:
            MYSQL_ROOT_PASSWORD: seekrit
          ports:
            - "3306:3306"
          deploy:
            restart_policy:
              condition: on-failure
              delay: 1s
              max_attempts: 3
          depends_on:
            - mongo
      """;

  @TempDir Path dir;
  final VirtualTimeSource time = VirtualTimeSource.create();
  final Clock clock = new TimeSourceClock(time);
  final ExecutorService pool = Executors.newCachedThreadPool();
  FakeRuntime fake;
  WatchingTransport transport;

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (fake != null) {
      fake.close();
    }
  }

  Compose engine() {
    transport = new WatchingTransport(fake.transport());
    SingularityClient client =
        SingularityClient.builder()
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
    return Compose.builder()
        .client(client)
        .executor(pool)
        .clock(clock)
        .sleeper(time::sleep)
        .supervisionInterval(Duration.ZERO)
        .networkPlanner(
            NetworkPlanner.create().withHostPorts(new ComposeOnFakeRuntimeTest.AnyPort()))
        .build();
  }

  ComposeProject load() throws Exception {
    Path file = Files.writeString(dir.resolve("docker-compose.yml"), STACK_FILE);
    return ComposeLoader.defaults().withEnvironment(Map.of()).withProjectName("app").load(file);
  }

  @Test
  void theRestartPolicyMapsToTheEnginesModel() throws Exception {
    RestartPolicy p = load().service("mongo").orElseThrow().restart().orElseThrow();
    assertEquals(RestartPolicy.Condition.ON_FAILURE, p.condition());
    assertEquals(Duration.ofSeconds(1), p.delay().orElseThrow());
    assertEquals(3, p.maxAttempts().getAsInt());
  }

  @Test
  void stackNamesRestartsAfterTheDelayUpToMaxAttemptsAndNoPasswordInArgv() throws Exception {
    fake =
        FakeRuntime.builder()
            .anyImageExists()
            .timeSource(time)
            .crashAfter("app.mongo", Duration.ofMinutes(1))
            .build();
    ComposeProject project = load();
    try (ComposeStack stack =
        engine().up(project, PlanOptions.builder().naming(InstanceNaming.STACK).build())) {
      assertEquals(
          List.of("app.archivedb", "app.mongo"),
          fake.instances().stream().map(FakeInstance::name).sorted().toList(),
          "singularity-stack's instance.list names");
      for (int attempt = 1; attempt <= 3; attempt++) {
        time.advance(Duration.ofSeconds(61)); // the scripted crash, on the virtual clock
        assertTrue(fake.instance("app.mongo").isEmpty());
        assertEquals(List.of(), stack.superviseOnce(), "death seen, the 1 s delay not over");
        time.advance(Duration.ofSeconds(1));
        assertEquals(List.of("app.mongo"), stack.superviseOnce(), "attempt " + attempt);
      }
      time.advance(Duration.ofSeconds(61)); // a fourth crash: max_attempts 3 reached
      stack.superviseOnce();
      time.advance(Duration.ofMinutes(5));
      assertEquals(List.of(), stack.superviseOnce());
      assertTrue(fake.instance("app.mongo").isEmpty());
      InstanceStatus mongo =
          stack.ps().stream().filter(i -> i.service().equals("mongo")).findFirst().orElseThrow();
      assertEquals(3, mongo.restarts());
      assertEquals(
          "seekrit",
          fake.instance("app.archivedb").orElseThrow().environment().get("MYSQL_ROOT_PASSWORD"),
          "the password reaches the instance");
    }
    assertTrue(fake.instances().isEmpty());
    for (List<String> argv : transport.commands) {
      assertFalse(
          argv.stream().anyMatch(a -> a.contains("seekrit")), "a password in argv: " + argv);
    }
  }
}
