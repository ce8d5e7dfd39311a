package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Loads every singularity-compose and docker-compose file of {@code ../shared/corpus} (real files
 * written by others, read in place and never copied into this repository): a file that its own tool
 * accepts must load here (warnings allowed, e.g. for unknown keys); the only files rejected are
 * those of {@link #EXPECTED_FAILURES}, each with the reason, and their errors must be located.
 *
 * <ul>
 *   <li>A PROVENANCE verdict other than {@code valid} must be explained: by {@link
 *       #EXPECTED_FAILURES} (invalid for its own tool) or by {@link #ACCEPTED_BY_THEIR_TOOL} (the
 *       schema rejects it, its tool runs it: it must load).
 *   <li>{@code INVALID(empty)}: loading fails with an error naming the file.
 *   <li>Other expected failures: at least one error located by file, line, column and key path.
 *   <li>{@code AMBIGUOUS(duplicate-key)}: a singularity-compose file loads with one warning for the
 *       duplicate key, located at its second occurrence (PyYAML, and so singularity-compose 0.1.19,
 *       keeps the last value); in a docker-compose file the duplicate key is the error, so located
 *       (go-yaml v3 / compose-go reject duplicates, as YAML 1.2 does).
 * </ul>
 *
 * <p>Files that refer to others ({@code extends}, {@code include}, {@code env_file}) are first laid
 * out in a temporary directory under their original repository paths (PROVENANCE {@code path}), all
 * files of one {@code group} together, so relative references resolve as in their repository. Each
 * load uses an empty environment so the verdict does not depend on the machine.
 */
class CorpusTest {

  /** Variables every load sees: what a user's shell has. */
  static final Map<String, String> BASE_ENVIRONMENT = Map.of("HOME", "/home/u", "USER", "u");

  /**
   * Variables some files need to be loadable (their authors set them in a {@code .env} the corpus
   * does not hold); plausible values.
   */
  static final Map<String, Map<String, String>> ENVIRONMENT =
      Map.of(
          "parallelworks__activate-rag-vllm__docker__docker-compose.yml",
          Map.of("VLLM_SERVER_PORT", "8000", "PROXY_PORT", "8081", "DOCS_DIR", "./docs"),
          "fenghaitao__deer-flow__docker__docker-compose.yaml",
          Map.of(
              "DEER_FLOW_CONFIG_PATH", "/srv/deer-flow/config.yaml",
              "DEER_FLOW_EXTENSIONS_CONFIG_PATH", "/srv/deer-flow/extensions_config.json",
              "DEER_FLOW_HOME", "/srv/deer-flow/home",
              "DEER_FLOW_DOCKER_SOCKET", "/var/run/docker.sock"),
          "netreconlab__parse-hipaa__docker-compose.yml",
          Map.of(
              "PORT", "1337", "DB_PORT", "5432", "DASHBOARD_PORT", "4040", "MOUNT_PATH", "/parse"));

  /**
   * The only corpus files rejected here: each is invalid for the tool it was written for (its
   * PROVENANCE verdict and, for singularity-compose files, what singularity-compose 0.1.19 did with
   * it, recorded in ../shared/reference/singularity-compose-argv), or cannot be honoured for the
   * reason given. Every other file must load (warnings allowed). File name to reason.
   */
  static final Map<String, String> EXPECTED_FAILURES =
      Map.ofEntries(
          // singularity-compose files
          Map.entry(
              "netreconlab__parse-hipaa__singularity-compose.yml",
              "start is a list; singularity-compose 0.1.19 crashes on it (AttributeError: 'list'"
                  + " object has no attribute 'get', recorded: up exits 1)"),
          Map.entry(
              "RECETOX__raims__singularity__singularity-compose.yml",
              "build: . is a string; singularity-compose 0.1.19 fails on it (recorded: build and"
                  + " up exit 1)"),
          Map.entry(
              "singularityhub__singularity-compose__scompose__tests__configs__wrong_depends_on__"
                  + "singularity-compose.yml",
              "a dependency cycle; its own test expects up to fail (recorded: up exits 1)"),
          // Compose files (the verdicts of docker compose / compose-go, from their tests)
          Map.entry(
              "compose-spec__compose-go__cli__testdata__wildcards__compose-A.yaml",
              "an empty file (compose-go: \"empty compose file\")"),
          Map.entry(
              "compose-spec__compose-go__loader__testdata__empty.yaml",
              "only a comment (compose-go: \"empty compose file\")"),
          Map.entry(
              "compose-spec__compose-go__loader__testdata__compose-depends-on-cycle.yaml",
              "a dependency cycle (compose-go's TestLoadDependsOnCycle expects the error)"),
          Map.entry(
              "compose-spec__compose-go__loader__testdata__compose-depends-on-self.yaml",
              "a service depending on itself (compose-go's TestLoadDependsOnSelf)"),
          Map.entry(
              "compose-spec__compose-go__loader__testdata__extends__base.yaml",
              "service \"nil\" has a null body; compose-go loads it only with SkipValidation"),
          Map.entry(
              "docker__compose__tests__fixtures__extends__invalid-links.yml",
              "legacy v1 layout (no services:), and extends a service with links (config_test.py"
                  + " expects the error)"),
          Map.entry(
              "docker__compose__tests__fixtures__extends__nonexistent-service.yml",
              "legacy v1 layout, and extends a service that does not exist (config_test.py)"),
          Map.entry(
              "docker__compose__tests__fixtures__invalid-composefile__invalid.yml",
              "legacy v1 layout with a scalar service (cli_test.py expects the error)"),
          Map.entry(
              "docker__compose__tests__fixtures__networks__missing-network.yml",
              "uses an undefined network (cli_test.py expects the error)"),
          Map.entry(
              "docker__compose__tests__fixtures__net-container__v2-invalid.yml",
              "the v1-only key net in a version 2 file (cli_test.py expects the error)"),
          Map.entry(
              "docker__compose__tests__fixtures__v1-config__docker-compose.yml",
              "legacy v1 format without services:; the Compose Specification rejects it"),
          Map.entry(
              "docker__compose__pkg__e2e__fixtures__wrong-composefile__compose.yaml",
              "an unknown service property (the e2e test expects exit 15)"),
          // valid for their tool, not loadable here
          Map.entry(
              "compose-spec__compose-go__schema__using-variables.yaml",
              "schema-only fixture: one ${VARIABLE} fills boolean, integer, duration, port and path"
                  + " fields at once, so no value of it loads (compose-go's loader fails too)"),
          Map.entry(
              "compose-spec__compose-go__loader__testdata__remote__nested__compose.yaml",
              "extends.file \"remote:nested/...\" needs the custom remote-resource loader that"
                  + " compose-go's test registers; remote resources are not supported"),
          Map.entry(
              "compose-spec__compose-go__cli__testdata__simple__compose-with-network-and-volume.yaml",
              "volume \"test-volume\" is an anonymous volume at a relative target; docker refuses"
                  + " it at container creation, a bind needs an absolute target"));

  /**
   * Files whose PROVENANCE verdict (from the schema) is invalid but that their own tool runs: they
   * must load here. File name to the evidence.
   */
  static final Map<String, String> ACCEPTED_BY_THEIR_TOOL =
      Map.of(
          "parallelworks__activate-rag-vllm__singularity-compose.yml",
          "run.args: {} fails the schema, but singularity-compose 0.1.19 runs the file (recorded:"
              + " build, up and down exit 0; run instance://rag1 without arguments)",
          "parallelworks__activate-rag-vllm__singularity__singularity-compose.yml",
          "run.args: {} fails the schema, but singularity-compose 0.1.19 runs the file (recorded:"
              + " build, up and down exit 0)");

  record Entry(String file, String path, String kind, String expected, String group) {}

  /** Whether ../shared/corpus is there. */
  static boolean corpusPresent() {
    String shared = System.getProperty("scompose.shared.dir");
    return shared != null && Files.isRegularFile(Path.of(shared, "corpus", "PROVENANCE.tsv"));
  }

  /**
   * One test that is skipped with the reason (a skipped dynamic test shows in the reports, an
   * aborted factory does not).
   */
  static Stream<DynamicTest> skippedWithoutCorpus() {
    return Stream.of(DynamicTest.dynamicTest("corpus absent", () -> corpus()));
  }

  static Path corpus() {
    String shared = System.getProperty("scompose.shared.dir");
    Path dir = shared == null ? null : Path.of(shared, "corpus");
    Assumptions.assumeTrue(
        dir != null && Files.isRegularFile(dir.resolve("PROVENANCE.tsv")),
        "corpus not found (system property scompose.shared.dir="
            + shared
            + "): ../shared/corpus is absent, so the corpus tests are skipped");
    return dir;
  }

  static List<Entry> entries(Path corpus) {
    try {
      List<String> lines = Files.readAllLines(corpus.resolve("PROVENANCE.tsv"));
      List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
      List<Entry> out = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        Entry e =
            new Entry(
                f[header.indexOf("file")],
                f[header.indexOf("path")],
                f[header.indexOf("kind")],
                f[header.indexOf("expected")],
                f[header.indexOf("group")]);
        if (e.kind().equals("singularity-compose") || e.kind().equals("docker-compose")) {
          out.add(e);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies each group's files under {@code root/<group>/<original path>}; returns where each corpus
   * file now is.
   */
  static Map<String, Path> layOut(Path corpus, List<Entry> entries, Path root) {
    Map<String, Path> where = new HashMap<>();
    try {
      for (Entry e : entries) {
        Path target = root.resolve(e.group().replaceAll("[^A-Za-z0-9._-]", "_")).resolve(e.path());
        Files.createDirectories(target.getParent());
        Files.copy(corpus.resolve(e.file()), target);
        where.put(e.file(), target);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return where;
  }

  static ComposeLoader loader(String corpusFile) {
    Map<String, String> env = new HashMap<>(BASE_ENVIRONMENT);
    env.putAll(ENVIRONMENT.getOrDefault(corpusFile, Map.of()));
    return ComposeLoader.defaults().withEnvironment(env).withHomeDirectory(Path.of("/home/u"));
  }

  /** Creates an empty file for every env_file the laid-out files name and the corpus lacks. */
  static void placeholderEnvFiles(Path file) {
    Object root;
    try {
      root =
          new Load(LoadSettings.builder().setAllowDuplicateKeys(true).build())
              .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      return; // not YAML: nothing to lay out
    }
    if (!(root instanceof Map<?, ?> top) || !(top.get("services") instanceof Map<?, ?> services)) {
      return;
    }
    for (Object service : services.values()) {
      if (!(service instanceof Map<?, ?> s) || s.get("env_file") == null) {
        continue;
      }
      Object envFile = s.get("env_file");
      List<?> items = envFile instanceof List<?> l ? l : List.of(envFile);
      for (Object item : items) {
        Object path = item instanceof Map<?, ?> m ? m.get("path") : item;
        if (path instanceof String p && !p.contains("$")) {
          Path target = file.getParent().resolve(p).normalize();
          try {
            if (!Files.exists(target)) {
              Files.createDirectories(target.getParent());
              Files.writeString(target, "");
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusFileGetsItsVerdict(@TempDir Path tmp) {
    if (!corpusPresent()) {
      return skippedWithoutCorpus();
    }
    Path corpus = corpus();
    List<Entry> entries = entries(corpus);
    assertFalse(entries.isEmpty(), "PROVENANCE.tsv lists compose files");
    Map<String, Path> where = layOut(corpus, entries, tmp);
    where.values().forEach(CorpusTest::placeholderEnvFiles);
    return entries.stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.expected() + " " + e.file(), () -> check(e, where.get(e.file()))));
  }

  /**
   * The corpus's override files, loaded on top of their base file as their authors run them; the
   * expected results are the ones their projects' tests or docs give.
   */
  @TestFactory
  Stream<DynamicTest> overrideFilesLoadOnTopOfTheirBase(@TempDir Path tmp) {
    if (!corpusPresent()) {
      return skippedWithoutCorpus();
    }
    Path corpus = corpus();
    List<Entry> entries = entries(corpus);
    Map<String, Path> where = layOut(corpus, entries, tmp);
    where.values().forEach(CorpusTest::placeholderEnvFiles);
    String sc = "singularityhub__singularity-compose__scompose__tests__configs__config_merge__";
    String ac = "mherkazandjian__apptainer-compose__examples__09-multi-file-override__";
    String nb = "netbox-community__netbox-docker__";
    return Stream.of(
        DynamicTest.dynamicTest(
            "singularity-compose config_merge (test_config.py)",
            () -> {
              ComposeProject p =
                  loader(sc)
                      .load(
                          where.get(sc + "singularity-compose-1.yml"),
                          where.get(sc + "singularity-compose-2.yml"));
              ServiceSpec echo = p.service("echo").orElseThrow();
              assertTrue(echo.build().isPresent(), "build kept from the base file");
              assertEquals(List.of("fakeroot"), echo.start().orElseThrow().options());
              assertEquals(List.of("arg0 arg1"), echo.start().orElseThrow().args());
              ServiceSpec hello = p.service("hello").orElseThrow();
              assertEquals(List.of("how are you?"), hello.start().orElseThrow().args());
              assertTrue(hello.image().orElseThrow().endsWith("from_the_other_side.sif"));
            }),
        DynamicTest.dynamicTest(
            "apptainer-compose 09-multi-file-override",
            () -> {
              ComposeProject p =
                  loader(ac)
                      .load(
                          where.get(ac + "apptainer-compose.yml"),
                          where.get(ac + "apptainer-compose.override.yml"));
              ServiceSpec web = p.service("web").orElseThrow();
              assertEquals("nginx:alpine", web.image().orElseThrow());
              assertEquals(Map.of("ENV", "development", "DEBUG", "true"), web.environment());
              assertEquals(
                  List.of("8080:80"),
                  web.ports().stream().map(x -> x.toShortForm().orElseThrow()).toList(),
                  "ports unique by target: the override's 8080:80 replaces 80:80");
              ServiceSpec api = p.service("api").orElseThrow();
              assertEquals(Map.of("LOG_LEVEL", "debug"), api.environment());
              assertEquals(
                  List.of("5001:5000"),
                  api.ports().stream().map(x -> x.toShortForm().orElseThrow()).toList());
            }),
        DynamicTest.dynamicTest(
            "netbox-docker test + test.override",
            () -> {
              ComposeProject p =
                  loader(nb)
                      .load(
                          where.get(nb + "docker-compose.test.yml"),
                          where.get(nb + "docker-compose.test.override.yml"));
              assertTrue(
                  p.service("netbox").orElseThrow().ports().stream()
                      .anyMatch(x -> x.hostIp().orElse("").equals("127.0.0.1")),
                  () -> p.service("netbox").orElseThrow().ports().toString());
            }));
  }

  private static void check(Entry e, Path file) {
    boolean lenientDuplicate =
        e.expected().equals("AMBIGUOUS(duplicate-key)") && e.kind().equals("singularity-compose");
    if (lenientDuplicate && !EXPECTED_FAILURES.containsKey(e.file())) {
      ComposeProject p;
      try {
        p = loader(e.file()).load(file);
      } catch (ComposeException ex) {
        fail(e.file() + " is run by singularity-compose but did not load:\n" + ex.getMessage());
        return;
      }
      String label = file.toString();
      assertEquals(
          1,
          p.warnings().stream()
              .filter(
                  w ->
                      w.file().equals(label)
                          && w.line() > 0
                          && w.column() > 0
                          && w.message().startsWith("duplicate key"))
              .count(),
          () -> "one located duplicate-key warning:\n" + summary(p.warnings()));
      return;
    }
    if (!EXPECTED_FAILURES.containsKey(e.file())) {
      assertTrue(
          e.expected().equals("valid") || ACCEPTED_BY_THEIR_TOOL.containsKey(e.file()),
          () ->
              e.file()
                  + " is "
                  + e.expected()
                  + " in PROVENANCE.tsv: list it in EXPECTED_FAILURES with why its own tool"
                  + " rejects it, or in ACCEPTED_BY_THEIR_TOOL with the evidence that it runs");
      try {
        ComposeProject p = loader(e.file()).load(file);
        assertFalse(p.services().isEmpty() && !hasNoServices(file), "services loaded");
      } catch (ComposeException ex) {
        fail(e.file() + " is accepted by its own tool but did not load:\n" + ex.getMessage());
      }
      return;
    }
    ComposeException ex =
        assertThrows(
            ComposeException.class,
            () -> loader(e.file()).load(file),
            () ->
                e.file()
                    + " loaded, but is listed as failing here: "
                    + EXPECTED_FAILURES.get(e.file()));
    List<Problem> errors = ex.errors();
    assertFalse(errors.isEmpty(), "at least one error");
    String label = file.toString();
    if (e.expected().equals("INVALID(empty)")) {
      assertTrue(
          errors.stream().anyMatch(p -> p.file().equals(label) && p.message().contains("empty")),
          () -> "an error naming the empty file:\n" + ex.getMessage());
      return;
    }
    assertTrue(
        errors.stream()
            .anyMatch(
                p ->
                    p.file().equals(label)
                        && p.line() > 0
                        && p.column() > 0
                        && !p.path().isEmpty()),
        () -> "an error located by file, line, column and key path:\n" + ex.getMessage());
    if (e.expected().equals("AMBIGUOUS(duplicate-key)")) {
      assertEquals(
          1,
          errors.stream().filter(p -> p.message().startsWith("duplicate key")).count(),
          () -> "the duplicate key is the error:\n" + ex.getMessage());
    }
  }

  private static boolean hasNoServices(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return !text.contains("services:") && !text.contains("instances:");
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static String summary(List<Problem> problems) {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
