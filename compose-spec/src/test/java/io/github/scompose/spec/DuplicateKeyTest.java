package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Duplicate mapping keys follow the tool a file is written for: singularity-compose 0.1.19 reads
 * files with PyYAML, which keeps the last value, so a duplicate is a located warning and the last
 * value wins; compose-go (go-yaml v3) rejects duplicates, so in a Compose file it is an error.
 */
class DuplicateKeyTest {

  private static final ComposeLoader LOADER =
      ComposeLoader.defaults().withEnvironment(Map.of()).withProjectDirectory(Path.of("/p"));

  @Test
  void singularityComposeDuplicateIsAWarningAndTheLastValueWins() {
    String text =
        "version: \"1.0\"\n"
            + "instances:\n"
            + "  app:\n"
            + "    build:\n"
            + "      context: .\n"
            + "      recipe: Singularity.first\n"
            + "    ports:\n"
            + "      - \"8080:8080\"\n"
            + "    build:\n"
            + "      context: ./second\n";
    ComposeProject p = LOADER.loadString("s.yml", text);
    assertEquals(
        List.of(
            "s.yml:9:5: instances.app.build: duplicate key \"build\" (first defined at line 4):"
                + " the last value is used, as singularity-compose does"),
        p.warnings().stream().map(Problem::toString).toList());
    BuildSpec build = p.service("app").orElseThrow().build().orElseThrow();
    assertEquals(Path.of("/p/second"), build.context());
    assertEquals(Optional.empty(), build.recipe(), "nothing of the first build mapping is kept");
  }

  @Test
  void singularityComposeDuplicateInstanceKeepsTheLastDefinition() {
    String text =
        "version: \"2.0\"\n"
            + "instances:\n"
            + "  app:\n"
            + "    image: first.sif\n"
            + "  app:\n"
            + "    image: second.sif\n";
    ComposeProject p = LOADER.loadString("s.yml", text);
    assertEquals(
        List.of(
            "s.yml:5:3: instances.app: duplicate key \"app\" (first defined at line 3):"
                + " the last value is used, as singularity-compose does"),
        p.warnings().stream().map(Problem::toString).toList());
    assertEquals(
        "/p/second.sif", p.service("app").orElseThrow().image().orElseThrow().replace('\\', '/'));
  }

  @Test
  void everyLaterDuplicateNamesTheFirstLine() {
    String text =
        "version: \"2.0\"\n"
            + "instances:\n"
            + "  app:\n"
            + "    image: first.sif\n"
            + "    image: second.sif\n"
            + "    image: third.sif\n";
    ComposeProject p = LOADER.loadString("s.yml", text);
    assertEquals(
        List.of(
            "s.yml:5:5: instances.app.image: duplicate key \"image\" (first defined at line 4):"
                + " the last value is used, as singularity-compose does",
            "s.yml:6:5: instances.app.image: duplicate key \"image\" (first defined at line 4):"
                + " the last value is used, as singularity-compose does"),
        p.warnings().stream().map(Problem::toString).toList());
    assertEquals(
        "/p/third.sif", p.service("app").orElseThrow().image().orElseThrow().replace('\\', '/'));
  }

  @Test
  void composeDuplicateIsStillAnError() {
    ComposeException e =
        assertThrows(
            ComposeException.class,
            () ->
                LOADER.loadString(
                    "c.yml",
                    "services:\n  web:\n    image: a\n    ports:\n      - \"80:80\"\n"
                        + "    image: b\n"));
    assertEquals(
        List.of(
            "c.yml:6:5: services.web.image: duplicate key \"image\" (first defined at line 3);"
                + " YAML 1.2 forbids duplicate keys"),
        e.errors().stream().map(Problem::toString).toList());
  }
}
