package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;

/**
 * {@link ScomposeCommand#commandLine}: picocli is given only the command the arguments name, and
 * every command whenever help, usage or an error may list them.
 */
class LazyCommandsTest {

  /** The command names of the command line {@code args} give, in order. */
  private static List<String> commands(String args) {
    String[] argv = args.isEmpty() ? new String[0] : args.split(" ");
    return new ArrayList<>(
        ScomposeCommand.commandLine(new ScomposeCommand(), argv).getSubcommands().keySet());
  }

  private static List<String> all() {
    return ScomposeCommand.COMMANDS.stream()
        .map(c -> c.getAnnotation(Command.class).name())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "config",
        "-f a.yml config --format json",
        "--file=a.yml -fb.yml -p web --project-directory d --env-file e config",
        "--runtime fake --compat singularity-compose --parallel 3 config",
        "--debug --log-level info config --services",
        "-V config"
      })
  void onlyTheNamedCommandIsBuilt(String args) {
    assertEquals(List.of("config"), commands(args));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "--help",
        "-h config",
        "-f a.yml",
        "help",
        "help up",
        "conifg",
        "-p ps ps",
        "--file help config",
        "-- config"
      })
  void everyCommandIsBuiltForHelpUsageAndErrors(String args) {
    assertEquals(all(), commands(args));
  }

  @ParameterizedTest
  @ValueSource(strings = {"exec", "run"})
  void everythingAfterTheServiceStillBelongsToTheCommand(String command, @TempDir Path temp)
      throws Exception {
    Path file = temp.resolve("compose.yml");
    Files.writeString(file, "services:\n  web:\n    image: web.sif\n");
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
    try {
      // -c is the tool's option, not one of exec's or run's (picocli would say "Unknown option")
      Run r = run("--runtime", "fake", "-f", file.toString(), command, "db", "sh", "-c", "true");
      assertEquals(ScomposeCommand.EXIT_INVALID, r.code(), r.err());
      assertTrue(r.err().contains("no such service: db"), r.err());
    } finally {
      System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "help"})
  void theUsageListsEveryCommandInOrder(String help) {
    Run r = run(help);
    assertEquals(0, r.code(), r.err());
    int at = r.out().indexOf("Commands:");
    assertTrue(at > 0, r.out());
    for (String name : all()) {
      int next = r.out().indexOf("\n  " + name + " ", at);
      assertTrue(next > at, name + " listed after the previous command:\n" + r.out());
      at = next;
    }
  }

  @Test
  void aCommandNameGivenAsAnOptionValueIsRefusedWithTheWholeList() {
    Run r = run("-p", "ps", "ps");
    assertEquals(ScomposeCommand.EXIT_INVALID, r.code());
    assertTrue(
        r.err().startsWith("Expected parameter for option '--project-name' but found 'ps'"),
        r.err());
    assertTrue(r.err().contains("\n  demo "), r.err());
  }

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
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
}
