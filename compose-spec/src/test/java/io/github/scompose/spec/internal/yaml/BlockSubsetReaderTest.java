package io.github.scompose.spec.internal.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BlockSubsetReader} against {@link YamlReader#readFully} on real files (this module's test
 * resources, the checkout's own compose files, and {@code ../shared/corpus}, read in place) and on
 * hand-written documents: wherever the fast reader returns a tree, it is the full reader's, and the
 * full reader reports nothing.
 */
class BlockSubsetReaderTest {

  private static final AtomicInteger FILES = new AtomicInteger();
  private static final AtomicInteger ACCEPTED = new AtomicInteger();

  @AfterAll
  static void report() {
    System.out.println(
        "BlockSubsetReaderTest: the fast reader accepted "
            + ACCEPTED.get()
            + " of "
            + FILES.get()
            + " real YAML files");
  }

  private static void checkFile(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FILES.incrementAndGet();
    if (FastReaderEquivalence.check(file.toString(), content)) {
      ACCEPTED.incrementAndGet();
    }
  }

  /**
   * The .yml and .yaml files under {@code dir}, sorted; with {@code skipBuildOutput}, none under a
   * {@code target} or hidden directory.
   */
  private static List<Path> yamlFiles(Path dir, boolean skipBuildOutput) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".yml") || name.endsWith(".yaml");
              })
          .filter(p -> !skipBuildOutput || !inBuildOutput(dir.relativize(p)))
          .map(p -> p.toAbsolutePath().normalize())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean inBuildOutput(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      String dir = relative.getName(i).toString();
      if (dir.equals("target") || dir.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * This module's test resources and every compose file of the checkout (samples, testkit
   * stacks...), outside build output and hidden directories.
   */
  @TestFactory
  Stream<DynamicTest> everyYamlFileOfTheCheckout() {
    Set<Path> files = new TreeSet<>(yamlFiles(Path.of("src", "test", "resources"), false));
    Path root = Path.of("..").toAbsolutePath().normalize();
    if (Files.isRegularFile(root.resolve("pom.xml"))) {
      files.addAll(yamlFiles(root, true));
    }
    assertTrue(!files.isEmpty(), "the checkout holds compose files");
    return files.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> checkFile(p)));
  }

  /** Every YAML file of {@code ../shared/corpus}, read in place. */
  @TestFactory
  Stream<DynamicTest> everyYamlFileOfTheSharedCorpus() {
    String shared = System.getProperty("scompose.shared.dir");
    Path corpus = shared == null ? null : Path.of(shared, "corpus");
    if (corpus == null || !Files.isDirectory(corpus)) {
      return Stream.of(
          DynamicTest.dynamicTest(
              "corpus absent",
              () ->
                  Assumptions.assumeTrue(
                      false,
                      "corpus not found (system property scompose.shared.dir="
                          + shared
                          + "): ../shared/corpus is absent, so the corpus files are skipped")));
    }
    List<Path> files = yamlFiles(corpus, false);
    assertTrue(files.size() > 50, "../shared/corpus holds compose files");
    return files.stream()
        .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> checkFile(p)));
  }

  private static void sameAsFull(String doc) {
    FastReaderEquivalence.check("compose.yml", doc);
    assertTrue(
        FastReaderEquivalence.full("compose.yml", doc).clean(),
        "the full reader reads the document cleanly");
  }

  @Test
  void indentlessSequenceThenEmptyValueAtTheEnd() {
    String doc = "a:\n- 1\n- x\nb:\n";
    sameAsFull(doc);
    YNode full = FastReaderEquivalence.full("compose.yml", doc).root().orElseThrow();
    // what the fast reader must reproduce: the null of "b:" is located where the full reader puts
    // it, after the colon
    assertEquals(
        """
        map{2} 1:1("compose.yml",/project) keyLocs=["a"@1:1("compose.yml",/project), \
        "b"@4:1("compose.yml",/project)]
          key "a"
            seq[2] 2:1("compose.yml",/project)
              scalar INT "1" 2:3("compose.yml",/project)
              scalar STRING "x" 3:3("compose.yml",/project)
          key "b"
            scalar NULL "" 4:3("compose.yml",/project)
        """,
        YNodeDump.of(full));
  }

  /** The full reader's tree without the file and base directory, which every location shares. */
  private static String compact(String doc) {
    sameAsFull(doc);
    return YNodeDump.of(FastReaderEquivalence.full("compose.yml", doc).root().orElseThrow())
        .replace("(\"compose.yml\",/project)", "");
  }

  /**
   * What the fast reader must reproduce where the full reader's choices are not obvious: an empty
   * value is a null located just after its colon (or dash), whatever follows on the line or below;
   * a sequence and a compact mapping start at their first dash and key; columns count code points
   * (a character outside the BMP is one column); a byte order mark takes no column; CR LF is one
   * line break.
   */
  @Test
  void locationsTheFastReaderMustReproduce() {
    assertEquals(
        """
        map{2} 1:1 keyLocs=["a"@1:1, "b"@3:1]
          key "a"
            scalar NULL "" 1:3
          key "b"
            scalar NULL "" 3:3
        """,
        compact("a:   # c\n  # own line\nb:"));
    assertEquals(
        """
        seq[3] 1:1
          scalar NULL "" 1:2
          scalar NULL "" 2:2
          scalar STRING "x" 3:3
        """,
        compact("- \n-   # c\n- x\n"));
    assertEquals(
        """
        map{1} 1:1 keyLocs=["k"@1:1]
          key "k"
            seq[2] 2:5
              map{2} 2:7 keyLocs=["a"@2:7, "b"@3:7]
                key "a"
                  scalar NULL "" 2:9
                key "b"
                  scalar INT "1" 3:10
              scalar NULL "" 4:6
        """,
        compact("k:\n    - a:\n      b: 1\n    -\n"));
    assertEquals(
        """
        map{2} 1:1 keyLocs=["\\u{1F600}"@1:1, "b"@2:1]
          key "\\u{1F600}"
            scalar STRING "\\u{1F600} x" 1:4
          key "b"
            scalar STRING "y" 2:4
        """,
        compact("\uD83D\uDE00: \uD83D\uDE00 x\nb: y\n"));
    assertEquals(
        """
        map{2} 1:1 keyLocs=["a"@1:1, "b"@2:1]
          key "a"
            scalar INT "1" 1:4
          key "b"
            scalar NULL "" 2:3
        """,
        compact("\uFEFFa: 1\r\nb:\r\n"));
    assertEquals(
        """
        map{2} 1:1 keyLocs=["a"@1:1, "b"@2:1]
          key "a"
            scalar INT "1" 1:6
          key "b"
            scalar STRING "2" 2:6
        """,
        compact("'a': 1\n\"b\": '2'\n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n",
        "services:\n  web:\n    image: nginx  # pinned\n    volumes:\n    - ./a:/b:ro\n",
        "x-foo: &x\n  a: 1\n",
        "a:\n\n# c\nb: ''\n",
        "a: [a, \"b\", 'c']\nb: []\nc: {}\n",
        "- name: x\n  image: y\n- name: z\n",
        "a:   # c\n  b: 1\n",
        "a:\n  # c\n",
        "a: 'it''s'\nb: \"tab\\t\"\n",
      })
  void handWrittenDocumentsReadAsTheFullReaderReadsThem(String doc) {
    FastReaderEquivalence.check("compose.yml", doc);
  }

  /**
   * Documents the full reader rejects for its limits: a simple key longer than 1024 characters,
   * nesting deeper than {@link YamlReader#MAX_DEPTH}.
   */
  @Test
  void beyondTheFullReadersLimitsTheFastReaderDeclines() {
    String longKey = "k" + "x".repeat(1100) + ": v\n";
    assertTrue(!FastReaderEquivalence.full("compose.yml", longKey).clean());
    assertNull(BlockSubsetReader.read("compose.yml", FastReaderEquivalence.BASE, longKey));
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i <= YamlReader.MAX_DEPTH; i++) {
      deep.append(" ".repeat(i)).append("k:\n");
    }
    String tooDeep = deep.toString();
    assertTrue(!FastReaderEquivalence.full("compose.yml", tooDeep).clean());
    assertNull(BlockSubsetReader.read("compose.yml", FastReaderEquivalence.BASE, tooDeep));
    FastReaderEquivalence.check("compose.yml", tooDeep);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "base: &b\n  a: 1\nweb:\n  <<: *b\n",
        "a: &x 1\nb: *x\n",
        "ports: !reset []\n",
        "a:\n\tb: 1\n",
        "a: 1\na: 2\n",
        "a: {x: 1, x: 2}\n",
        "a:\tb\n",
        "a: 1\n\t\nb: 2\n",
        "a: \"\\L\"\n",
        "a: x\u0085b: 1\n",
        "a: 1\nb:\n  c: 1\n  c: 2\n",
        "cmd: |\n  echo\n",
        "cmd: >\n  echo\n",
        "a: plain\n  continued\n",
        "a: \"quoted\n  continued\"\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "a: 1\n---\nb: 2\n",
        "? x\n: y\n",
        "a: b: c\n",
        "- - x\n",
        "a: \u0001\n",
        "a: [x, y,]\n",
        "a: \"\\q\"\n",
        "",
        "# only a comment\n",
      })
  void outsideTheSubsetOrReportedTheFastReaderDeclines(String doc) {
    assertNull(
        BlockSubsetReader.read("compose.yml", FastReaderEquivalence.BASE, doc),
        () -> "the fast reader must decline " + FastReaderEquivalence.show(doc));
  }
}
