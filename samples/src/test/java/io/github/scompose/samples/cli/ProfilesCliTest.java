package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.testkit.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden CLI runs of Compose profiles on the fake runtime: {@code --profile}, a service named on
 * the command line, {@code config}, and a dependency into an inactive profile.
 */
class ProfilesCliTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  static final String COMPOSE =
      """
      services:
        web:
          image: busybox:1.36
        debug:
          image: busybox:1.36
          profiles: [debug]
          depends_on: [web]
        seed:
          image: busybox:1.36
          profiles: [tools]
      """;

  @BeforeEach
  void fakeState() throws Exception {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
    Files.createDirectories(temp.resolve("proj"));
    Files.writeString(temp.resolve("proj/compose.yaml"), COMPOSE);
  }

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

  String[] on(String... args) {
    List<String> all = new ArrayList<>();
    all.addAll(
        List.of("--runtime", "fake", "--project-directory", temp.resolve("proj").toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  Run ok(String... args) {
    Run r = run(on(args));
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  /** The instance names {@code ps} lists, sorted. */
  List<String> instances() {
    return ok("ps").out().lines().skip(1).map(l -> l.split(" +")[0]).sorted().toList();
  }

  @Test
  void upStartsOnlyServicesWithoutProfiles() {
    ok("up", "-d");
    assertEquals(List.of("proj-web-1"), instances());
    ok("down");
  }

  @Test
  void aProfileFlagAddsItsServicesAndDownStopsWhatWasRecorded() {
    ok("--profile", "debug", "up", "-d");
    assertEquals(List.of("proj-debug-1", "proj-web-1"), instances());
    // down without the flag: the project as recorded, the debug instance too
    assertEquals("project proj is down: stopped proj-debug-1, proj-web-1\n", ok("down").out());
    ok("--profile", "debug", "--profile", "tools", "up", "-d");
    assertEquals(List.of("proj-debug-1", "proj-seed-1", "proj-web-1"), instances());
    ok("down");
  }

  @Test
  void aServiceNamedOnTheCommandLineStartsWhateverItsProfile() {
    ok("up", "-d", "seed");
    assertEquals(List.of("proj-seed-1"), instances());
    ok("down");
  }

  @Test
  void composeProfilesInTheProjectsDotEnvCountsAndTheFlagWins() throws Exception {
    Files.writeString(temp.resolve("proj/.env"), "COMPOSE_PROFILES=debug,tools\n");
    assertEquals("web\ndebug\nseed\n", ok("config", "--services").out());
    ok("up", "-d");
    assertEquals(List.of("proj-debug-1", "proj-seed-1", "proj-web-1"), instances());
    ok("down");
    assertEquals("web\nseed\n", ok("--profile", "tools", "config", "--services").out());
  }

  @Test
  void configShowsOnlyActiveServicesAndListsProfiles() {
    assertEquals("web\n", ok("config", "--services").out());
    assertEquals("web\ndebug\n", ok("--profile", "debug", "config", "--services").out());
    assertEquals("web\ndebug\nseed\n", ok("--profile", "*", "config", "--services").out());
    assertEquals("debug\ntools\n", ok("config", "--profiles").out());
    String yaml = ok("config").out();
    assertTrue(!yaml.contains("debug:") && yaml.contains("web:"), yaml);
  }

  @Test
  void aDependencyIntoAnInactiveProfileIsAnErrorNamingBoth() throws Exception {
    Files.writeString(
        temp.resolve("proj/compose.yaml"),
        """
        services:
          web:
            image: busybox:1.36
            depends_on: [db]
          db:
            image: busybox:1.36
            profiles: [data]
        """);
    Run up = run(on("up", "-d"));
    assertEquals(2, up.code(), up.err());
    assertEquals(
        temp.resolve("proj")
            + ": services.web.depends_on: service \"web\" depends on service \"db\", which is not"
            + " enabled: its profiles (data) are not active (active: none)\n",
        up.err());
    assertEquals(0, run(on("--profile", "data", "up", "-d")).code());
    ok("down");
  }
}
