package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Override files, {@code extends}, {@code include} and {@code .env}, on real files. */
class MultiFileTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static ComposeLoader loader() {
    return ComposeLoader.defaults().withEnvironment(Map.of()).withHomeDirectory(Path.of("/home/u"));
  }

  private static List<String> ports(ServiceSpec s) {
    return s.ports().stream().map(p -> p.toShortForm().orElseThrow()).toList();
  }

  @Test
  void composeOverrideFileFollowsTheComposeMergeRules() throws IOException {
    Path base =
        write(
            "compose.yaml",
            """
            services:
              web:
                image: nginx
                command: ["a", "b"]
                environment:
                  A: "1"
                  B: "2"
                ports:
                  - "8080:80"
                volumes:
                  - ./html:/usr/share/nginx/html
              db:
                image: postgres
                ports: ["5432:5432"]
            """);
    Path override =
        write(
            "compose.override.yaml",
            """
            services:
              web:
                command: ["c"]
                environment:
                  B: "3"
                  C: "4"
                ports:
                  - "9090:80"
                  - "9443:443"
                volumes:
                  - ./other:/usr/share/nginx/html
              db:
                ports: !reset []
            """);
    ComposeProject p = loader().load(base, override);
    ServiceSpec web = p.service("web").orElseThrow();
    assertEquals("nginx", web.image().orElseThrow());
    assertEquals(List.of("c"), web.command().orElseThrow(), "command is replaced");
    assertEquals(Map.of("A", "1", "B", "3", "C", "4"), web.environment(), "merged by key");
    assertEquals(List.of("9090:80", "9443:443"), ports(web), "ports unique by target");
    assertEquals(1, web.volumes().size(), "volumes unique by target");
    assertEquals(dir.resolve("other").toString(), web.volumes().get(0).source().orElseThrow());
    assertEquals(List.of(), p.service("db").orElseThrow().ports(), "!reset empties the list");
    assertEquals(
        dir.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_-]", ""), p.name());
  }

  @Test
  void overrideTagReplacesInsteadOfMerging() throws IOException {
    Path base =
        write(
            "compose.yaml",
            "services:\n  web:\n    image: nginx\n    environment:\n      A: \"1\"\n      B: \"2\"\n");
    Path override =
        write("override.yaml", "services:\n  web:\n    environment: !override\n      C: \"3\"\n");
    assertEquals(
        Map.of("C", "3"), loader().load(base, override).service("web").orElseThrow().environment());
  }

  @Test
  void tagsInTheOnlyFileAreAppliedThere() {
    // !reset in the first file removes the key; !override in it only drops the tag. The loader
    // skips this walk for a file without tags, so a tag deep in a file must still be seen.
    ComposeProject p =
        loader()
            .loadString(
                "compose.yaml",
                "services:\n  web:\n    image: nginx\n    ports: !reset [\"80:80\"]\n"
                    + "    environment: !override\n      A: \"1\"\n");
    ServiceSpec web = p.service("web").orElseThrow();
    assertEquals(List.of(), web.ports(), "!reset removes the ports of the only file");
    assertEquals(Map.of("A", "1"), web.environment());
  }

  @Test
  void singularityComposeOverrideMergesMappingsAndReplacesLists() throws IOException {
    Path base =
        write(
            "singularity-compose.yml",
            """
            version: "2.0"
            instances:
              web:
                image: docker://nginx
                ports:
                  - 80:80
                  - 443:443
                start:
                  options:
                    - fakeroot
                  args: "--port 80"
            """);
    Path override =
        write(
            "override.yml",
            """
            version: "2.0"
            instances:
              web:
                ports:
                  - 8080:80
                start:
                  args: "--port 8080"
            """);
    ComposeProject p = loader().load(base, override);
    ServiceSpec web = p.service("web").orElseThrow();
    assertEquals(SourceFormat.SINGULARITY_COMPOSE_2_0, p.format());
    assertEquals(List.of("8080:80"), ports(web), "lists are replaced whole");
    assertEquals(List.of("fakeroot"), web.start().orElseThrow().options(), "mappings merge");
    // a start.args string stays one string, as written (see Invocation)
    assertEquals(List.of("--port 8080"), web.start().orElseThrow().args());
  }

  @Test
  void extendsFromTheSameFileAndFromAnotherFile() throws IOException {
    write(
        "common/base.yaml",
        """
        services:
          base:
            image: busybox
            environment:
              FROM_BASE: "yes"
            volumes:
              - ./data:/data
        """);
    Path compose =
        write(
            "compose.yaml",
            """
            services:
              app:
                extends:
                  file: common/base.yaml
                  service: base
                environment:
                  OWN: "1"
              worker:
                extends: app
                command: work
            """);
    ComposeProject p = loader().load(compose);
    ServiceSpec app = p.service("app").orElseThrow();
    assertEquals("busybox", app.image().orElseThrow());
    assertEquals(Map.of("FROM_BASE", "yes", "OWN", "1"), app.environment());
    ServiceSpec worker = p.service("worker").orElseThrow();
    assertEquals("busybox", worker.image().orElseThrow());
    assertEquals(List.of("work"), worker.command().orElseThrow());
    assertEquals(app.environment(), worker.environment());
    assertEquals(1, app.volumes().size());
    assertTrue(
        app.volumes().get(0).source().orElseThrow().startsWith(dir.toString()),
        "resolved: " + app.volumes().get(0).source());
  }

  @Test
  void includeBringsInServicesWithTheirOwnRelativePaths() throws IOException {
    write(
        "db/compose.yaml",
        """
        services:
          db:
            image: postgres
            volumes:
              - ./pgdata:/var/lib/postgresql/data
        """);
    Path compose =
        write(
            "compose.yaml",
            """
            include:
              - db/compose.yaml
            services:
              web:
                image: nginx
                depends_on: [db]
            """);
    ComposeProject p = loader().load(compose);
    assertEquals(List.of("db", "web"), p.services().stream().map(ServiceSpec::name).toList());
    assertEquals(
        dir.resolve("db/pgdata").toString(),
        p.service("db").orElseThrow().volumes().get(0).source().orElseThrow(),
        "relative to the included file's folder");
  }

  @Test
  void aServiceWithoutImageOrBuildLoadsWithAWarning() {
    ComposeProject p =
        loader()
            .withProjectDirectory(Path.of("/p"))
            .loadString("override.yml", "services:\n  web:\n    command: x\n");
    assertEquals(
        List.of(
            "override.yml:2:3: services.web: \"web\" has neither \"image\" nor \"build\"; it"
                + " cannot be started"),
        p.warnings().stream().map(Problem::toString).toList());
  }

  @Test
  void dotEnvFillsVariablesButNeverOverridesTheRealEnvironment() throws IOException {
    String path = System.getenv("PATH");
    write(".env", "SCOMPOSE_DOTENV_TAG=1.25\nPATH=/from/dotenv\n");
    Path compose =
        write(
            "compose.yaml",
            """
            services:
              web:
                image: "nginx:${SCOMPOSE_DOTENV_TAG}"
                environment:
                  SEEN_PATH: "${PATH}"
            """);
    ServiceSpec web = ComposeLoader.defaults().load(compose).service("web").orElseThrow();
    assertEquals("nginx:1.25", web.image().orElseThrow());
    if (path != null) {
      assertEquals(path, web.environment().get("SEEN_PATH"), "the real variable wins");
    }
  }

  @Test
  void envFileIsReadRelativeToTheProject() throws IOException {
    write("conf/app.env", "# comment\nA=1\nB=\"two words\"\n");
    Path compose =
        write(
            "compose.yaml",
            """
            services:
              web:
                image: nginx
                env_file: conf/app.env
                environment:
                  B: own
            """);
    ServiceSpec web = loader().load(compose).service("web").orElseThrow();
    assertEquals(Map.of("A", "1", "B", "own"), web.environment(), "environment wins over env_file");
  }
}
