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
 * singularity-stack's commands on the fake runtime: {@code stack deploy|logs|rm STACK}, its
 * instance names {@code <stack>.<service>} ({@code --compat singularity-stack}), the top-level
 * {@code logs SERVICE} unchanged, and the example's password in no argv.
 */
class SingularityStackCliTest {

  @TempDir Path temp;
  Path dir;
  final List<ScomposeCommandTest.RecordingTransport> transports =
      Collections.synchronizedList(new ArrayList<>());

  record Run(int code, String out, String err) {}

  /** singularity-stack's example, its undeclared {@code tmp:} volume written {@code ./tmp:}. */
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

  @BeforeEach
  void setUp() throws Exception {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
    dir = Files.createDirectories(temp.resolve("example"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(dir.resolve("docker-compose.yml"), STACK_FILE);
    CliRuntime.fakeTransportOverrides =
        t -> {
          ScomposeCommandTest.RecordingTransport r = new ScomposeCommandTest.RecordingTransport(t);
          transports.add(r);
          return r;
        };
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

  String[] on(String... args) {
    List<String> all = new ArrayList<>(List.of("--runtime", "fake", "--project-directory"));
    all.add(dir.toString());
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  Run ok(String... args) {
    Run r = run(on(args));
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  @Test
  void deployLogsRmWithSingularityStacksNamesAndNoPasswordInArgv() {
    Run deploy = ok("stack", "deploy", "app");
    assertEquals("project app is up: 2 instances (app.mongo, app.archivedb)\n", deploy.out());
    assertTrue(
        deploy.err().contains("note: restart policies are kept while a process supervises"),
        deploy.err());
    List<String> names =
        ok("--compat", "singularity-stack", "-p", "app", "ps")
            .out()
            .lines()
            .skip(1)
            .map(l -> l.split(" +")[0])
            .sorted()
            .toList();
    assertEquals(List.of("app.archivedb", "app.mongo"), names);
    ok("stack", "logs", "app", "mongo");
    ok("stack", "logs", "--tail", "1", "app");
    // the top-level logs still takes services, also of a stack
    ok("--compat", "singularity-stack", "-p", "app", "logs", "mongo");
    Run notAService = run(on("-p", "app", "logs", "app"));
    assertEquals(2, notAService.code());
    assertTrue(notAService.err().contains("scompose: no such service: app"), notAService.err());
    assertEquals(
        "project app is down: stopped app.archivedb, app.mongo\n", ok("stack", "rm", "app").out());

    List<CommandRequest> all = new ArrayList<>();
    transports.forEach(t -> all.addAll(t.requests));
    assertTrue(all.stream().anyMatch(r -> r.argv().contains("app.archivedb")), "archivedb started");
    for (CommandRequest r : all) {
      assertFalse(
          r.argv().stream().anyMatch(a -> a.contains("seekrit")),
          "a password in argv: " + r.argv());
    }
  }

  @Test
  void deployDryRunNamesTheInstancesAndCompatModesDoNotMix() throws Exception {
    Files.move(dir.resolve("docker-compose.yml"), dir.resolve("stack.yml"));
    Run dry = ok("stack", "deploy", "--dry-run", "-c", dir.resolve("stack.yml").toString(), "app");
    assertTrue(dry.out().contains(" app.mongo\n"), dry.out());
    assertTrue(dry.out().contains(" app.archivedb\n"), dry.out());
    assertFalse(dry.out().contains("seekrit"), dry.out());

    Run mixed = run(on("--compat", "singularity-compose", "stack", "deploy", "app"));
    assertEquals(2, mixed.code());
    assertEquals(
        "scompose: --compat singularity-compose does not go with the stack commands, which name"
            + " instances <stack>.<service>\n",
        mixed.err());
    Run unknown = run(on("--compat", "docker", "ps"));
    assertEquals(2, unknown.code());
    assertTrue(
        unknown.err().contains("(expected: singularity-compose, singularity-stack)"),
        unknown.err());
  }
}
