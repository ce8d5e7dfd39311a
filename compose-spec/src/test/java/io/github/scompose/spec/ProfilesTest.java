package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of {@link ComposeProject#withProfiles}: the Compose Specification's "Profiles"
 * example and the docker compose docs' "Auto-starting profiles and dependency resolution" example,
 * enabled service lists and error lines exactly.
 */
class ProfilesTest {

  /** The Compose Specification's illustrative example ("Profiles"). */
  static final String SPEC_EXAMPLE =
      """
      services:
        web:
          image: web_image
        test_lib:
          image: test_lib_image
          profiles: [test]
        coverage_lib:
          image: coverage_lib_image
          depends_on: [test_lib]
          profiles: [test]
        debug_lib:
          image: debug_lib_image
          depends_on: [test_lib]
          profiles: [debug]
      """;

  /** The docker compose docs' example: targeting a service enables its profiles. */
  static final String DOCS_EXAMPLE =
      """
      services:
        web:
          image: web
        mock-backend:
          image: backend
          profiles: [dev]
          depends_on: [db]
        db:
          image: mysql
          profiles: [dev]
        phpmyadmin:
          image: phpmyadmin
          profiles: [debug]
          depends_on: [db]
      """;

  static ComposeProject load(String text) {
    return ComposeLoader.defaults()
        .withEnvironment(Map.of())
        .withProjectDirectory(Path.of("/p"))
        .withProjectName("p")
        .loadString("compose.yaml", text);
  }

  static List<String> enabled(String text, Set<String> profiles, Set<String> targeted) {
    return load(text).withProfiles(profiles, targeted).services().stream()
        .map(ServiceSpec::name)
        .toList();
  }

  static String error(String text, Set<String> profiles, Set<String> targeted) {
    ComposeProject p = load(text);
    ComposeException e =
        assertThrows(ComposeException.class, () -> p.withProfiles(profiles, targeted));
    return String.join("\n", e.problems().stream().map(Problem::toString).toList());
  }

  @Test
  void specExample() {
    assertEquals(List.of("web"), enabled(SPEC_EXAMPLE, Set.of(), Set.of()));
    assertEquals(
        List.of("web", "test_lib", "coverage_lib"),
        enabled(SPEC_EXAMPLE, Set.of("test"), Set.of()));
    assertEquals(
        "/p: services.debug_lib.depends_on: service \"debug_lib\" depends on service \"test_lib\","
            + " which is not enabled: its profiles (test) are not active (active: debug)",
        error(SPEC_EXAMPLE, Set.of("debug"), Set.of()));
    assertEquals(
        List.of("web", "test_lib", "coverage_lib", "debug_lib"),
        enabled(SPEC_EXAMPLE, Set.of("debug", "test"), Set.of()));
    assertEquals(
        List.of("web", "test_lib", "coverage_lib", "debug_lib"),
        enabled(SPEC_EXAMPLE, Set.of("*"), Set.of()));
  }

  @Test
  void aTargetedServiceIsEnabledWithItsProfiles() {
    // up mock-backend: its profile dev becomes active, so db (dev) is enabled with it
    assertEquals(
        List.of("web", "db", "mock-backend"),
        enabled(DOCS_EXAMPLE, Set.of(), Set.of("mock-backend")));
    // up phpmyadmin: debug is active, db's dev is not: the error names both
    assertEquals(
        "/p: services.phpmyadmin.depends_on: service \"phpmyadmin\" depends on service \"db\","
            + " which is not enabled: its profiles (dev) are not active (active: debug)",
        error(DOCS_EXAMPLE, Set.of(), Set.of("phpmyadmin")));
    assertEquals(
        List.of("web", "db", "mock-backend", "phpmyadmin"),
        enabled(DOCS_EXAMPLE, Set.of("dev"), Set.of("phpmyadmin")));
  }

  @Test
  void everyServiceEnabledGivesTheSameProject() {
    ComposeProject p = load(DOCS_EXAMPLE);
    assertSame(p, p.withProfiles(Set.of("dev", "debug"), Set.of()));
  }

  @Test
  void anOptionalDependencyOnADisabledServiceIsDropped() {
    String text =
        """
        services:
          web:
            image: web
            depends_on:
              cache: {condition: service_started, required: false}
          cache:
            image: redis
            profiles: [cache]
        """;
    ComposeProject p = load(text).withProfiles(Set.of(), Set.of());
    assertEquals(List.of("web"), p.services().stream().map(ServiceSpec::name).toList());
    assertEquals(List.of(), p.service("web").orElseThrow().dependsOn());
  }

  /** docker compose's own fixtures (../shared/corpus, read in place; skipped when absent). */
  @Test
  void dockerComposeProfileFixtures() throws Exception {
    Path corpus = CorpusTest.corpus();
    ComposeLoader loader =
        ComposeLoader.defaults().withEnvironment(Map.of()).withProjectName("fixtures");
    ComposeProject p =
        loader.load(
            corpus.resolve("docker__compose__tests__fixtures__profiles__docker-compose.yml"));
    assertEquals(List.of("foo"), names(p.withProfiles(Set.of(), Set.of())));
    assertEquals(List.of("foo", "bar", "baz"), names(p.withProfiles(Set.of("test"), Set.of())));
    assertEquals(
        List.of("foo", "bar", "baz", "zot"),
        names(p.withProfiles(Set.of("test", "debug"), Set.of())));
    ComposeException e =
        assertThrows(ComposeException.class, () -> p.withProfiles(Set.of("debug"), Set.of()));
    assertEquals(
        "services.zot.depends_on: service \"zot\" depends on service \"bar\", which is not"
            + " enabled: its profiles (test) are not active (active: debug)",
        e.problems().get(0).path() + ": " + e.problems().get(0).message());
    ComposeProject notRequired =
        loader.load(
            corpus.resolve(
                "docker__compose__pkg__e2e__testdata__TestUpWithDependencyNotRequired__compose.yaml"));
    assertEquals(List.of("foo"), names(notRequired.withProfiles(Set.of(), Set.of())));
  }

  static List<String> names(ComposeProject p) {
    return p.services().stream().map(ServiceSpec::name).toList();
  }

  @Test
  void anUnknownTargetIsAnArgumentError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> load(SPEC_EXAMPLE).withProfiles(Set.of(), Set.of("nope")));
    assertEquals("no service 'nope' in project p", e.getMessage());
  }
}
