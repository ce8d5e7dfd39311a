package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.spec.EnvironmentFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --env-file} reads a file exactly as the project's {@code .env} is read (one parser, {@link
 * EnvironmentFile}): substitution, multi-line quotes, comments, {@code export}.
 */
class EnvFileCliTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

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

  /** Names no process environment has, so the file decides. */
  static final String ENV =
      """
      # the env file of both runs
      export SCX_BASE=/srv/app
      SCX_DATA=${SCX_BASE}/data   # a comment after a blank
      SCX_DEFAULTED=${SCX_MISSING:-fallback}
      SCX_MULTI="first line
      second line with $SCX_BASE"
      SCX_LITERAL='no $SCX_BASE here
      and a second line'
      SCX_ESCAPES="tab\\there \\$dollar \\"quoted\\""
      SCX_HASH=value#not-a-comment
      """;

  static final String COMPOSE =
      """
      services:
        web:
          image: busybox:1.36
          environment:
            DATA: ${SCX_DATA}
            DEFAULTED: ${SCX_DEFAULTED}
            MULTI: ${SCX_MULTI}
            LITERAL: ${SCX_LITERAL}
            ESCAPES: ${SCX_ESCAPES}
            HASH: ${SCX_HASH}
      """;

  @Test
  void theSameFileGivesTheSameValuesAsEnvFileAndAsDotEnv() throws Exception {
    Path withDotEnv = Files.createDirectories(temp.resolve("a/proj"));
    Files.writeString(withDotEnv.resolve("compose.yaml"), COMPOSE);
    Files.writeString(withDotEnv.resolve(".env"), ENV);
    Path withFlag = Files.createDirectories(temp.resolve("b/proj"));
    Files.writeString(withFlag.resolve("compose.yaml"), COMPOSE);
    Path file = temp.resolve("vars.env");
    Files.writeString(file, ENV);

    Run dotEnv = run("--project-directory", withDotEnv.toString(), "config", "--format", "json");
    Run flag =
        run(
            "--project-directory",
            withFlag.toString(),
            "--env-file",
            file.toString(),
            "config",
            "--format",
            "json");
    assertEquals(0, dotEnv.code(), dotEnv.err());
    assertEquals(0, flag.code(), flag.err());
    String a = dotEnv.out().replace(withDotEnv.toString(), "DIR");
    String b = flag.out().replace(withFlag.toString(), "DIR");
    assertEquals(a, b);

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("SCX_BASE", "/srv/app");
    expected.put("SCX_DATA", "/srv/app/data");
    expected.put("SCX_DEFAULTED", "fallback");
    expected.put("SCX_MULTI", "first line\nsecond line with /srv/app");
    expected.put("SCX_LITERAL", "no $SCX_BASE here\nand a second line");
    expected.put("SCX_ESCAPES", "tab\there $dollar \"quoted\"");
    expected.put("SCX_HASH", "value#not-a-comment");
    assertEquals(expected, EnvironmentFile.read(file));
    assertTrue(b.contains("\"DATA\": \"/srv/app/data\""), b);
    assertTrue(b.contains("\"MULTI\": \"first line\\nsecond line with /srv/app\""), b);
  }

  @Test
  void aLaterEnvFileWinsAndAMissingOneIsAnErrorNamingIt() throws Exception {
    Path proj = Files.createDirectories(temp.resolve("proj"));
    Files.writeString(
        proj.resolve("compose.yaml"), "services:\n  web:\n    image: \"busybox:${SCX_TAG}\"\n");
    Files.writeString(temp.resolve("one.env"), "SCX_TAG=1.0\n");
    Files.writeString(temp.resolve("two.env"), "SCX_TAG=2.0\n");
    Run r =
        run(
            "--project-directory",
            proj.toString(),
            "--env-file",
            temp.resolve("one.env").toString(),
            "--env-file",
            temp.resolve("two.env").toString(),
            "config",
            "--format",
            "json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"image\": \"busybox:2.0\""), r.out());

    Run missing =
        run(
            "--project-directory",
            proj.toString(),
            "--env-file",
            temp.resolve("nope.env").toString(),
            "config");
    assertEquals(2, missing.code());
    assertEquals(
        temp.resolve("nope.env") + ": cannot read the env file: no such file\n", missing.err());
  }

  @Test
  void aMalformedLineIsLocatedAndItsValueNotShown() throws Exception {
    Path proj = Files.createDirectories(temp.resolve("proj"));
    Files.writeString(proj.resolve("compose.yaml"), "services:\n  web:\n    image: busybox\n");
    Path bad = temp.resolve("bad.env");
    Files.writeString(bad, "SCX_OK=1\nSCX_PASSWORD=\"hunter2\n");
    Run r = run("--project-directory", proj.toString(), "--env-file", bad.toString(), "config");
    assertEquals(2, r.code());
    assertEquals(bad + ":2:1: double-quoted value of SCX_PASSWORD is not closed\n", r.err());
    assertFalse(r.err().contains("hunter2"));
  }
}
