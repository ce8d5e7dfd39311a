package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Properties of the loader: rendering a loaded project and loading the text gives an equal project
 * ({@code load(render(p)) == p}), for corpus projects and generated ones; and mutated corpus files
 * (lines deleted, types swapped, text truncated) never make it throw anything but {@link
 * ComposeException}, nor hang.
 */
class LoaderProperties {

  /** Skips (visibly) the corpus properties when ../shared/corpus is absent. */
  static final class CorpusPresent implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      String shared = System.getProperty("scompose.shared.dir");
      return shared != null && Files.isRegularFile(Path.of(shared, "corpus", "PROVENANCE.tsv"))
          ? SkipResult.doNotSkip()
          : SkipResult.skip(
              "corpus not found (system property scompose.shared.dir="
                  + shared
                  + "): ../shared/corpus is absent, so the corpus properties are skipped");
    }
  }

  private static Path layout;
  private static List<Path> corpusFiles;

  /** The corpus laid out once (see {@link CorpusTest}); the files and their corpus names. */
  private static synchronized List<Path> corpusFiles() {
    if (corpusFiles == null) {
      Path corpus = Path.of(System.getProperty("scompose.shared.dir"), "corpus");
      List<CorpusTest.Entry> entries = CorpusTest.entries(corpus);
      try {
        layout = Files.createTempDirectory("scompose-corpus");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, Path> where = CorpusTest.layOut(corpus, entries, layout);
      where.values().forEach(CorpusTest::placeholderEnvFiles);
      List<Path> files = new ArrayList<>();
      for (CorpusTest.Entry e : entries) {
        files.add(where.get(e.file()));
      }
      corpusFiles = files;
    }
    return corpusFiles;
  }

  private static String corpusName(Path laidOut) {
    return CorpusTest.entries(Path.of(System.getProperty("scompose.shared.dir"), "corpus")).stream()
        .filter(e -> laidOut.toString().endsWith("/" + e.path()))
        .map(CorpusTest.Entry::file)
        .findFirst()
        .orElse("");
  }

  @AfterContainer
  static void removeLayout() throws IOException {
    if (layout != null) {
      try (Stream<Path> walk = Files.walk(layout)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
      layout = null;
      corpusFiles = null;
    }
  }

  // ---- load(render(p)) == p ----

  private static void assertRoundTrip(ComposeLoader loader, ComposeProject p) {
    String text = p.render();
    ComposeProject again =
        loader
            .withProjectDirectory(p.directory())
            .withProjectName(p.name())
            .loadString("rendered.yml", text);
    assertEquals(p, again, () -> "rendered:\n" + text);
    assertEquals(text, again.render(), "rendering is stable");
  }

  @Provide
  Arbitrary<Path> corpusFile() {
    return Arbitraries.of(corpusFiles());
  }

  @Property(generation = GenerationMode.EXHAUSTIVE)
  @AddLifecycleHook(CorpusPresent.class)
  void corpusProjectsRenderBackToThemselves(@ForAll("corpusFile") Path file) {
    ComposeLoader loader = CorpusTest.loader(corpusName(file));
    ComposeProject p;
    try {
      p = loader.load(file);
    } catch (ComposeException invalid) {
      return; // invalid files are CorpusTest's business
    }
    assertRoundTrip(loader, p);
  }

  @Provide
  Arbitrary<String> composeText() {
    Arbitrary<String> names =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
    return names
        .list()
        .uniqueElements()
        .ofMinSize(1)
        .ofMaxSize(6)
        .flatMap(
            list -> {
              List<Arbitrary<String>> services = new ArrayList<>();
              for (int i = 0; i < list.size(); i++) {
                services.add(service(list, i));
              }
              return Combinators.combine(services)
                  .as(parts -> "services:\n" + String.join("", parts) + "volumes:\n  vol:\n");
            });
  }

  private static Arbitrary<String> service(List<String> names, int index) {
    String name = names.get(index);
    Arbitrary<String> image =
        Arbitraries.of("nginx", "redis:7", "docker://busybox", "library/pg:15", "x.sif")
            .map(i -> "    image: \"" + i + "\"\n");
    Arbitrary<String> command =
        Arbitraries.of(
            "", "    command: echo hi\n", "    command: [\"sh\", \"-c\", \"echo $$HOME\"]\n");
    Arbitrary<String> ports =
        Arbitraries.integers()
            .between(1, 3)
            .map(
                n -> {
                  StringBuilder b = new StringBuilder("    ports:\n");
                  for (int k = 0; k < n; k++) {
                    int host = 10000 + index * 10 + k;
                    b.append("      - \"").append(host).append(':').append(80 + k);
                    b.append(k == 2 ? "/udp" : "").append("\"\n");
                  }
                  return b.toString();
                })
            .injectNull(0.3)
            .map(s -> s == null ? "" : s);
    Arbitrary<String> env =
        Arbitraries.of(
            "", "    environment:\n      A: \"1\"\n      B: x y\n", "    environment: [C=3]\n");
    Arbitrary<String> volumes =
        Arbitraries.of(
            "",
            "    volumes:\n      - ./data:/data:ro\n",
            "    volumes:\n      - vol:/var/lib\n      - /tmp:/tmp\n");
    Arbitrary<String> restart =
        Arbitraries.of(
            "", "    restart: always\n", "    restart: on-failure:3\n", "    restart: \"no\"\n");
    Arbitrary<String> deps =
        index == 0
            ? Arbitraries.just("")
            : Arbitraries.of(names.subList(0, index))
                .set()
                .ofMaxSize(index)
                .map(
                    set ->
                        set.isEmpty() ? "" : "    depends_on: [" + String.join(", ", set) + "]\n");
    Arbitrary<String> health =
        Arbitraries.of(
            "",
            "    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 1m30s\n      retries: 3\n");
    return Combinators.combine(image, command, ports, env, volumes, restart, deps, health)
        .as((i, c, p, e, v, r, d, h) -> "  " + name + ":\n" + i + c + p + e + v + r + d + h);
  }

  @Property(tries = 150)
  void generatedComposeProjectsRenderBackToThemselves(@ForAll("composeText") String text) {
    ComposeLoader loader =
        ComposeLoader.defaults()
            .withEnvironment(Map.of())
            .withProjectDirectory(Path.of("/srv/p"))
            .withHomeDirectory(Path.of("/home/u"));
    assertRoundTrip(loader, loader.loadString("compose.yml", text));
  }

  @Provide
  Arbitrary<String> scText() {
    Arbitrary<String> names =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
    return names
        .list()
        .uniqueElements()
        .ofMinSize(1)
        .ofMaxSize(5)
        .flatMap(
            list -> {
              List<Arbitrary<String>> instances = new ArrayList<>();
              for (int i = 0; i < list.size(); i++) {
                instances.add(instance(list, i));
              }
              return Combinators.combine(instances)
                  .as(parts -> "version: \"2.0\"\ninstances:\n" + String.join("", parts));
            });
  }

  private static Arbitrary<String> instance(List<String> names, int index) {
    String name = names.get(index);
    Arbitrary<String> image =
        Arbitraries.of(
            "    image: docker://nginx\n",
            "    build:\n      context: ./" + name + "\n      recipe: Singularity\n");
    Arbitrary<String> start =
        Arbitraries.of(
            "",
            "    start:\n      options:\n        - fakeroot\n        - workdir=/x\n      args: \"--port 80\"\n",
            "    start:\n      background: true\n");
    Arbitrary<String> ports =
        Arbitraries.of("", "    ports:\n      - " + (20000 + index) + ":80\n");
    Arbitrary<String> volumes = Arbitraries.of("", "    volumes:\n      - ./" + name + ":/data\n");
    Arbitrary<String> network =
        Arbitraries.of("", "    network:\n      enable: true\n      allocate_ip: true\n");
    Arbitrary<String> run = Arbitraries.of("", "    run: []\n", "    run:\n      args: hello\n");
    Arbitrary<String> deps =
        index == 0
            ? Arbitraries.just("")
            : Arbitraries.of(names.subList(0, index))
                .map(d -> "    depends_on:\n      - " + d + "\n")
                .injectNull(0.4)
                .map(s -> s == null ? "" : s);
    return Combinators.combine(image, start, ports, volumes, network, run, deps)
        .as((i, s, p, v, n, r, d) -> "  " + name + ":\n" + i + s + p + v + n + r + d);
  }

  @Property(tries = 100)
  void generatedSingularityComposeProjectsRenderBackToThemselves(@ForAll("scText") String text) {
    ComposeLoader loader =
        ComposeLoader.defaults()
            .withEnvironment(Map.of())
            .withProjectDirectory(Path.of("/srv/p"))
            .withHomeDirectory(Path.of("/home/u"));
    assertRoundTrip(loader, loader.loadString("singularity-compose.yml", text));
  }

  // ---- mutations ----

  @Provide
  Arbitrary<String> mutatedCorpusText() {
    Arbitrary<String> texts =
        Arbitraries.of(corpusFiles())
            .map(
                f -> {
                  try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    return texts.flatMap(
        text ->
            Arbitraries.oneOf(
                deleteLines(text), truncate(text), swapTypes(text), duplicateLine(text)));
  }

  private static Arbitrary<String> deleteLines(String text) {
    List<String> lines = List.of(text.split("\n", -1));
    return Arbitraries.integers()
        .between(0, Math.max(0, lines.size() - 1))
        .set()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            drop -> {
              List<String> kept = new ArrayList<>();
              for (int i = 0; i < lines.size(); i++) {
                if (!drop.contains(i)) {
                  kept.add(lines.get(i));
                }
              }
              return String.join("\n", kept);
            });
  }

  private static Arbitrary<String> truncate(String text) {
    return Arbitraries.integers().between(0, text.length()).map(n -> text.substring(0, n));
  }

  private static Arbitrary<String> duplicateLine(String text) {
    List<String> lines = List.of(text.split("\n", -1));
    return Arbitraries.integers()
        .between(0, Math.max(0, lines.size() - 1))
        .map(
            i -> {
              List<String> out = new ArrayList<>(lines);
              if (!out.isEmpty()) {
                out.add(i, out.get(i));
              }
              return String.join("\n", out);
            });
  }

  /** Replaces the value after one {@code key:} with a value of another YAML type. */
  private static Arbitrary<String> swapTypes(String text) {
    List<String> lines = List.of(text.split("\n", -1));
    Arbitrary<String> replacement =
        Arbitraries.of(
            " 42",
            " true",
            " null",
            " [a, 1]",
            " {x: 1}",
            " \"\"",
            " -1",
            " 99999999999",
            " ~/x",
            " ${UNSET}",
            " ${UNSET:?gone}",
            " *nope",
            " !reset []",
            " \"$$\"");
    return Combinators.combine(
            Arbitraries.integers().between(0, Math.max(0, lines.size() - 1)), replacement)
        .as(
            (i, r) -> {
              List<String> out = new ArrayList<>(lines);
              if (out.isEmpty()) {
                return text;
              }
              String line = out.get(i);
              int colon = line.indexOf(':');
              int dash = line.indexOf("- ");
              if (colon >= 0) {
                out.set(i, line.substring(0, colon + 1) + r);
              } else if (dash >= 0) {
                out.set(i, line.substring(0, dash + 1) + r);
              } else {
                out.set(i, r.trim());
              }
              return String.join("\n", out);
            });
  }

  @Property(tries = 200)
  @AddLifecycleHook(CorpusPresent.class)
  void mutatedCorpusFilesFailOnlyWithComposeException(@ForAll("mutatedCorpusText") String text) {
    ComposeLoader loader =
        ComposeLoader.defaults()
            .withEnvironment(Map.of("HOME", "/home/u"))
            .withProjectDirectory(layout)
            .withHomeDirectory(Path.of("/home/u"));
    // a guard against a hang (a bounded wait, not a speed assertion)
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          try {
            loader.loadString("mutated.yml", text);
          } catch (ComposeException expected) {
            assertEquals(false, expected.errors().isEmpty(), "a ComposeException carries an error");
          }
        });
  }
}
