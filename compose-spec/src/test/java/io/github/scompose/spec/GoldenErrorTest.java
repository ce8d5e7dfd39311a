package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests for the loader's errors: for each bad input, the exact list of errors ({@code
 * file:line:column: key path: message}) and the location fields of the first one.
 */
class GoldenErrorTest {

  private static final ComposeLoader LOADER =
      ComposeLoader.defaults().withEnvironment(Map.of()).withProjectDirectory(Path.of("/p"));

  /** For files: the project directory is the first file's folder. */
  private static final ComposeLoader FILES = ComposeLoader.defaults().withEnvironment(Map.of());

  static Stream<Arguments> badInputs() {
    return Stream.of(
        arguments(
            "YAML syntax error",
            "services:\n  web:\n    image: [nginx\n",
            List.of(
                "c.yml:4:1: YAML syntax error: while parsing a flow sequence: expected ',' or ']',"
                    + " but got <stream end>")),
        arguments(
            "duplicate key",
            "services:\n  web:\n    image: a\n    image: b\n",
            List.of(
                "c.yml:4:5: services.web.image: duplicate key \"image\" (first defined at line 3);"
                    + " YAML 1.2 forbids duplicate keys")),
        arguments(
            "wrong type",
            "services:\n  web:\n    image: nginx\n    ports: 80\n",
            List.of("c.yml:4:12: services.web.ports: expected a list of ports, found a number")),
        arguments(
            "wrong type in a singularity-compose instance",
            "version: \"2.0\"\ninstances:\n  web:\n    image: a.sif\n    run: 5\n",
            List.of("c.yml:5:10: instances.web.run: expected a mapping, found a number")),
        arguments(
            "misspelt image leaving an instance with nothing to start",
            "version: \"2.0\"\ninstances:\n  web:\n    imgae: b.sif\n",
            List.of(
                "c.yml:4:5: instances.web.imgae: \"imgae\" is not a key; did you mean \"image\"?"
                    + " instance \"web\" has no image or build")),
        arguments(
            "misspelt build leaving an instance with nothing to start",
            "version: \"2.0\"\ninstances:\n  web:\n    biuld:\n      context: .\n",
            List.of(
                "c.yml:4:5: instances.web.biuld: \"biuld\" is not a key; did you mean \"build\"?"
                    + " instance \"web\" has no image or build")),
        arguments(
            "unknown service key",
            "services:\n  web:\n    image: nginx\n    wrongField: 1\n",
            List.of(
                "c.yml:4:5: services.web.wrongField: unknown key \"wrongField\" in service \"web\"")),
        arguments(
            "misspelt service key",
            "services:\n  web:\n    imgae: nginx\n",
            List.of(
                "c.yml:3:5: services.web.imgae: unknown key \"imgae\" in service \"web\"; did you"
                    + " mean \"image\"?")),
        arguments(
            "unknown top-level key",
            "services:\n  web:\n    image: nginx\nfoo: 1\n",
            List.of(
                "c.yml:4:1: foo: unknown key \"foo\" in a Compose file; expected one of version,"
                    + " name, include, services, networks, volumes, secrets, configs, models")),
        arguments(
            "invalid name",
            "services:\n  -web:\n    image: nginx\n",
            List.of(
                "c.yml:2:3: services.-web: invalid name \"-web\": use letters, digits, '.', '_' and"
                    + " '-', starting with a letter or digit")),
        arguments(
            "depends_on an unknown service",
            "services:\n  web:\n    image: nginx\n    depends_on: [db]\n",
            List.of(
                "c.yml:4:18: services.web.depends_on: \"web\" depends on \"db\", which is not"
                    + " defined; known: web")),
        arguments(
            "dependency cycle",
            "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n"
                + "    depends_on: [c]\n  c:\n    image: x\n    depends_on: [a]\n",
            List.of("c.yml:10:18: services.c.depends_on: dependency cycle: a -> b -> c -> a")),
        arguments(
            "instance depending on itself",
            "version: \"2.0\"\ninstances:\n  web:\n    image: a.sif\n    depends_on: [web]\n",
            List.of("c.yml:5:18: instances.web.depends_on: dependency cycle: web -> web")),
        arguments(
            "port out of range",
            "services:\n  web:\n    image: nginx\n    ports:\n      - \"70000:80\"\n",
            List.of(
                "c.yml:5:9: services.web.ports[0]: port 70000 is outside 1..65535 in port mapping"
                    + " \"70000:80\"")),
        arguments(
            "bad protocol",
            "services:\n  web:\n    image: nginx\n    ports:\n      - \"80/xtp\"\n",
            List.of(
                "c.yml:5:9: services.web.ports[0]: protocol \"xtp\" is not one of tcp, udp, sctp in"
                    + " port mapping \"80/xtp\"")),
        arguments(
            "two services publishing one host port",
            "services:\n  a:\n    image: x\n    ports: [\"8080:80\"]\n"
                + "  b:\n    image: x\n    ports: [\"8080:80\"]\n",
            List.of(
                "c.yml:7:13: services.b.ports[0]: host port 8080/tcp is already published by \"a\"")),
        arguments(
            "unsupported version",
            "version: \"3.0\"\ninstances:\n  web:\n    image: a.sif\n",
            List.of(
                "c.yml:1:10: version: unsupported version \"3.0\"; singularity-compose knows \"1.0\""
                    + " and \"2.0\"")),
        arguments(
            "empty file",
            "",
            List.of(
                "c.yml: the file is empty; expected a mapping with \"services:\" (Compose) or"
                    + " \"instances:\" (singularity-compose)")),
        arguments(
            "only a comment",
            "# nothing here\n",
            List.of(
                "c.yml: the file is empty; expected a mapping with \"services:\" (Compose) or"
                    + " \"instances:\" (singularity-compose)")),
        arguments(
            "top level is a list",
            "- a\n- b\n",
            List.of("c.yml:1:1: expected a mapping at the top of the file, found a list")),
        arguments(
            "${X:?msg} with X unset",
            "services:\n  web:\n    image: \"nginx:${TAG:?TAG must be set}\"\n",
            List.of(
                "c.yml:3:12: services.web.image: required variable TAG is not set: TAG must be set")),
        arguments(
            "bad restart policy",
            "services:\n  web:\n    image: nginx\n    restart: sometimes\n",
            List.of(
                "c.yml:4:14: services.web.restart: restart \"sometimes\" is not one of no, always,"
                    + " on-failure[:N], unless-stopped")),
        arguments(
            "bad duration",
            "services:\n  web:\n    image: nginx\n    healthcheck:\n"
                + "      test: [\"CMD\", \"true\"]\n      interval: 10x\n",
            List.of(
                "c.yml:6:17: services.web.healthcheck.interval: duration \"10x\" has unknown unit"
                    + " \"x\"; expected a duration like 1m30s, 10s, 2.5s or 500ms (units w, d, h,"
                    + " m, s, ms, us, ns)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void reportsExactlyTheseErrors(String name, String text, List<String> expected) {
    ComposeException e =
        assertThrows(ComposeException.class, () -> LOADER.loadString("c.yml", text));
    assertEquals(expected, e.errors().stream().map(Problem::toString).toList());
    Problem first = e.errors().get(0);
    assertEquals("c.yml", first.file());
    assertEquals(Problem.Severity.ERROR, first.severity());
  }

  @Test
  void locationFieldsOfAProblem() {
    ComposeException e =
        assertThrows(
            ComposeException.class,
            () ->
                LOADER.loadString(
                    "c.yml",
                    "version: \"2.0\"\ninstances:\n  web:\n    image: a.sif\n"
                        + "    ports:\n      - \"80:80\"\n      - \"70000:80\"\n"));
    Problem p = e.errors().get(0);
    assertEquals(7, p.line());
    assertEquals(9, p.column());
    assertEquals("instances.web.ports[1]", p.path());
    assertEquals("port 70000 is outside 1..65535 in port mapping \"70000:80\"", p.message());
  }

  /** Nine levels of nine aliases: 9^9 nodes if expanded; the node limit stops it. */
  @Test
  void billionLaughsFailsWithTheNodeLimit() {
    StringBuilder b = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    String previous = "a";
    for (char c = 'b'; c <= 'i'; c++) {
      b.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        b.append(i > 0 ? "," : "").append('*').append(previous);
      }
      b.append("]\n");
      previous = String.valueOf(c);
    }
    b.append("services:\n  web:\n    image: nginx\n    command: *i\n");
    // a guard against a hang, not a speed assertion (speed is measured by JMH)
    ComposeException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    ComposeException.class, () -> LOADER.loadString("c.yml", b.toString())));
    // located at the alias use that crosses the limit (path) and the anchored node it repeats
    assertEquals(
        List.of(
            "c.yml:6:4: g[1]: document expands to more than 1000000 nodes (too many aliases: is"
                + " this a \"billion laughs\" document?)"),
        e.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void extendsCycleAcrossFiles(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("a.yaml"),
        "services:\n  a:\n    extends:\n      file: b.yaml\n      service: b\n");
    Files.writeString(
        dir.resolve("b.yaml"),
        "services:\n  b:\n    extends:\n      file: a.yaml\n      service: a\n");
    ComposeException e =
        assertThrows(ComposeException.class, () -> FILES.load(dir.resolve("a.yaml")));
    assertEquals(
        List.of("a.yaml:4:7: services.a.extends: extends cycle: a -> b -> a"),
        e.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void includeOfAMissingFile(@TempDir Path dir) throws IOException {
    Path compose = dir.resolve("compose.yaml");
    Files.writeString(compose, "include:\n  - missing.yaml\nservices:\n  web:\n    image: nginx\n");
    ComposeException e = assertThrows(ComposeException.class, () -> FILES.load(compose));
    assertEquals(
        List.of(compose + ":2:5: include[0]: cannot read missing.yaml: no such file"),
        e.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void includeCycle(@TempDir Path dir) throws IOException {
    Path compose = dir.resolve("compose.yaml");
    Files.writeString(compose, "include:\n  - other.yaml\nservices:\n  web:\n    image: nginx\n");
    Files.writeString(
        dir.resolve("other.yaml"), "include:\n  - compose.yaml\nservices:\n  db:\n    image: pg\n");
    ComposeException e = assertThrows(ComposeException.class, () -> FILES.load(compose));
    assertEquals(
        List.of(
            "other.yaml:2:5: include[0]: include cycle: compose.yaml -> other.yaml -> compose.yaml"),
        e.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void aFieldErrorDoesNotHideTheServicesOtherProblems() {
    ComposeException e =
        assertThrows(
            ComposeException.class,
            () ->
                LOADER.loadString(
                    "c.yml",
                    "version: \"2.0\"\ninstances:\n  web:\n    image: a.sif\n"
                        + "    ports: [\"99999:80\"]\n    depends_on: [db]\n"));
    assertEquals(
        List.of(
            "c.yml:5:13: instances.web.ports[0]: port 99999 is outside 1..65535 in port mapping"
                + " \"99999:80\"",
            "c.yml:6:18: instances.web.depends_on: \"web\" depends on \"db\", which is not"
                + " defined; known: web"),
        e.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void everyErrorIsReportedNotOnlyTheFirst() {
    ComposeException e =
        assertThrows(
            ComposeException.class,
            () ->
                LOADER.loadString(
                    "c.yml",
                    "services:\n  web:\n    image: nginx\n    ports: [\"70000\"]\n"
                        + "  db:\n    image: pg\n    depends_on: [queue]\n"
                        + "  cache:\n    image: redis\n    restart: sometimes\n"));
    assertEquals(
        List.of(
            "c.yml:4:13: services.web.ports[0]: port 70000 is outside 1..65535 in port mapping"
                + " \"70000\"",
            "c.yml:10:14: services.cache.restart: restart \"sometimes\" is not one of no, always,"
                + " on-failure[:N], unless-stopped",
            "c.yml:7:18: services.db.depends_on: \"db\" depends on \"queue\", which is not"
                + " defined; known: web, db, cache"),
        e.errors().stream().map(Problem::toString).toList());
  }
}
