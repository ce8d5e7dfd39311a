package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.ImmutableInstanceStatus;
import io.github.scompose.core.compose.InstanceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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

  @AfterEach
  void clear() {
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
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
        "hit-counter-redis-1 | 1:M 01 Jan 2026 00:00:00.002 * Ready to accept connections tcp\n",
        logs.out());
    Run down = run(concat(base, "down"));
    assertEquals(0, down.code(), down.err());
    assertEquals("[]\n", run(concat(base, "ps", "--format", "json")).out());
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
  void envFileParsing() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("A", "1");
    expected.put("B", "two words");
    expected.put("C", "line\nnext \"q\"");
    expected.put("D", "$literal");
    expected.put("E", "");
    assertEquals(
        expected,
        EnvFile.parse(
            "x.env",
            "A=1 # comment\n\n# skip\nexport B = two words \nC=\"line\\nnext \\\"q\\\"\"\n"
                + "D='$literal'\nE=\n"));
    CliException e = assertThrows(CliException.class, () -> EnvFile.parse("x.env", "A=1\nnope\n"));
    assertEquals("x.env:2:1: expected KEY=VALUE, found 'nope'", e.getMessage());
  }

  @Test
  void psTableAndJson() {
    InstanceStatus running =
        ImmutableInstanceStatus.builder()
            .service("web")
            .name("p-web-1")
            .state(InstanceStatus.State.RUNNING)
            .pid(OptionalLong.of(123))
            .image("/i/web.sif")
            .build();
    InstanceStatus exited =
        ImmutableInstanceStatus.builder()
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

  private static String[] concat(String[] base, String... more) {
    String[] out = new String[base.length + more.length];
    System.arraycopy(base, 0, out, 0, base.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }
}
