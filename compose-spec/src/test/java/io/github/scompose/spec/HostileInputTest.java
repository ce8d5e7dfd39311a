package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests for each class of hostile file of issue 12 (generated here; nothing large is kept in
 * the repository): the exact errors, each located by line and column, or by the file and the limit
 * for whole-file limits. Each load runs under a bounded wait of 30 s, a guard against a hang on a
 * busy CI machine, not a speed goal (speed is measured by samples' ComposeLoadBenchmark; the CLI
 * figures are in the note).
 */
class HostileInputTest {

  private static final ComposeLoader LOADER =
      ComposeLoader.defaults().withEnvironment(Map.of()).withProjectDirectory(Path.of("/p"));

  private static final ComposeLoader FILES = ComposeLoader.defaults().withEnvironment(Map.of());

  private static final int N = 10_000;

  private static final String COMPOSE = "services:\n  web:\n    image: nginx\n    labels: ";
  private static final String SC =
      "version: \"2.0\"\ninstances:\n  web:\n    image: a.sif\n    x: ";

  private static <T> T bounded(Supplier<T> load) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), load::get);
  }

  private static List<String> errors(ComposeLoader loader, String text) {
    ComposeException e =
        bounded(() -> assertThrows(ComposeException.class, () -> loader.loadString("c.yml", text)));
    return e.errors().stream().map(Problem::toString).toList();
  }

  private static String tooDeep(int line, int column) {
    return "c.yml:"
        + line
        + ":"
        + column
        + ": lists and mappings are nested more than 100 deep here; the limit is 100 levels";
  }

  static Stream<Arguments> deepNesting() {
    String flowSeq = "[".repeat(N) + "]".repeat(N);
    String flowMap = "{a: ".repeat(N) + "1" + "}".repeat(N);
    String blockSeq = "\n      " + "- ".repeat(N) + "x";
    // the root mapping is level 1, the service mappings 2 and 3: the 98th nested list is level 101
    return Stream.of(
        arguments("flow sequences, Compose", COMPOSE + flowSeq, tooDeep(4, 13 + 97)),
        arguments("flow mappings, Compose", COMPOSE + flowMap, tooDeep(4, 13 + 97 * 4)),
        arguments("block sequences, Compose", COMPOSE + blockSeq, tooDeep(5, 7 + 97 * 2)),
        arguments("flow sequences, singularity-compose", SC + flowSeq, tooDeep(5, 8 + 97)),
        arguments("flow mappings, singularity-compose", SC + flowMap, tooDeep(5, 8 + 97 * 4)),
        arguments("block sequences, singularity-compose", SC + blockSeq, tooDeep(6, 7 + 97 * 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deepNesting")
  void tenThousandNestedCollectionsStopAtTheDepthLimit(String name, String text, String error) {
    assertEquals(List.of(error), errors(LOADER, text));
  }

  @Test
  void nestingUpToTheLimitLoads() {
    // root (1) > x-deep's value: 99 lists = level 100
    String at =
        "x-deep: " + "[".repeat(99) + "]".repeat(99) + "\nservices:\n  web:\n    image: a\n";
    assertEquals(1, LOADER.loadString("c.yml", at).services().size());
    String over = "x-deep: " + "[".repeat(100) + "]".repeat(100) + "\nservices: {}\n";
    assertEquals(List.of(tooDeep(1, 9 + 99)), errors(LOADER, over));
  }

  @Test
  void anAliasCannotNestDeeperThanTheLimit() {
    String text =
        "x-a: &a "
            + "[".repeat(60)
            + "]".repeat(60)
            + "\nx-b: "
            + "[".repeat(60)
            + "*a"
            + "]".repeat(60)
            + "\nservices: {}\n";
    assertEquals(
        List.of(
            "c.yml:1:6: x-b"
                + "[0]".repeat(60)
                + ": an alias of the collection anchored here nests lists and mappings more than"
                + " 100 deep; the limit is 100 levels"),
        errors(LOADER, text));
  }

  /** 20,001 services, each depending on the next: declared head first, so the walk is deepest. */
  private static String chain(int n, boolean cycle) {
    StringBuilder b = new StringBuilder("services:\n");
    for (int i = 0; i < n; i++) {
      b.append("  s").append(i).append(":\n    image: a\n");
      if (i < n - 1 || cycle) {
        b.append("    depends_on: [s").append((i + 1) % n).append("]\n");
      }
    }
    return b.toString();
  }

  @Test
  void aTwentyThousandServiceDependsOnChainLoadsInOrder() {
    ComposeProject p = bounded(() -> LOADER.loadString("c.yml", chain(20_001, false)));
    assertEquals(20_001, p.services().size());
    assertEquals("s20000", p.services().get(0).name());
    assertEquals("s0", p.services().get(20_000).name());
  }

  @Test
  void aTwentyThousandServiceCycleIsOneErrorWithItsEndsNamed() {
    assertEquals(
        List.of(
            "c.yml:60004:18: services.s20000.depends_on: dependency cycle: s0 -> s1 -> s2 -> s3 ->"
                + " s4 -> ... (19992 more) -> s19997 -> s19998 -> s19999 -> s20000 -> s0"),
        errors(LOADER, chain(20_001, true)));
  }

  @Test
  void aTwentyThousandLinkExtendsChainLoads() {
    int n = 20_001;
    StringBuilder b = new StringBuilder("services:\n");
    for (int i = 0; i < n; i++) {
      b.append("  s").append(i).append(":\n");
      if (i < n - 1) {
        b.append("    extends: s").append(i + 1).append("\n    environment: [V=").append(i);
        b.append("]\n");
      } else {
        b.append("    image: base\n");
      }
    }
    ComposeProject p = bounded(() -> LOADER.loadString("c.yml", b.toString()));
    ServiceSpec first = p.service("s0").orElseThrow();
    assertEquals("base", first.image().orElseThrow());
    assertEquals(Map.of("V", "0"), first.environment());
  }

  @Test
  void includeAndExtendsOfADeviceAreRefusedWithoutReadingIt(@TempDir Path dir) throws IOException {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero on this system");
    Path include = dir.resolve("include.yml");
    Files.writeString(include, "include: [/dev/zero]\nservices:\n  web:\n    image: a\n");
    Path ext = dir.resolve("extends.yml");
    Files.writeString(
        ext, "services:\n  web:\n    image: a\n    extends: {file: /dev/zero, service: b}\n");
    String refused =
        "it is not a regular file (a device, pipe or socket); only regular files are read";
    assertEquals(
        List.of(include + ":1:11: include[0]: cannot read /dev/zero: " + refused),
        fileErrors(include));
    assertEquals(
        List.of(ext + ":4:15: services.web.extends.file: cannot read /dev/zero: " + refused),
        fileErrors(ext));
  }

  @Test
  void aDirectoryGivenAsAComposeFileIsNamed(@TempDir Path dir) {
    assertEquals(
        List.of(dir + ": cannot read " + dir + ": it is a directory, not a file"), fileErrors(dir));
  }

  private static List<String> fileErrors(Path file) {
    ComposeException e =
        bounded(() -> assertThrows(ComposeException.class, () -> FILES.load(file)));
    return e.errors().stream().map(Problem::toString).toList();
  }

  @Test
  void aFileOverTheSizeLimitIsRefusedAfterReadingOnlyTheLimit(@TempDir Path dir)
      throws IOException {
    Path big = dir.resolve("big.yml");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1L << 30); // sparse: 1 GiB that costs no disk
    }
    Path included = dir.resolve("c.yml");
    Files.writeString(included, "include: [big.yml]\nservices:\n  web:\n    image: a\n");
    String limit = "the file is larger than 8388608 bytes (8 MiB), the limit for a compose file";
    assertEquals(List.of(big + ": cannot read " + big + ": " + limit), fileErrors(big));
    assertEquals(
        List.of(included + ":1:11: include[0]: cannot read big.yml: " + limit),
        fileErrors(included));
    ComposeException fromStream =
        assertThrows(
            ComposeException.class,
            () -> FILES.load("s.yml", new java.io.ByteArrayInputStream(new byte[(8 << 20) + 1])));
    assertEquals(
        List.of("s.yml: " + limit), fromStream.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void aFiveMillionCharacterScalarLoads() {
    String value = "a".repeat(5_000_000);
    for (String quote : List.of("", "\"", "'")) {
      String text = "services:\n  web:\n    image: a\n    command: " + quote + value + quote + "\n";
      ComposeProject p = bounded(() -> LOADER.loadString("c.yml", text));
      assertEquals(
          5_000_000, p.services().get(0).command().orElseThrow().get(0).length(), "quote " + quote);
    }
  }

  @Test
  void longListsAndLongTextsLoad() {
    StringBuilder b = new StringBuilder("services:\n  web:\n    image: a\n    environment:\n");
    for (int i = 0; i < 100_000; i++) {
      b.append("      - V").append(i).append("=").append(i).append('\n');
    }
    ComposeProject p = bounded(() -> LOADER.loadString("c.yml", b.toString()));
    assertEquals(100_000, p.services().get(0).environment().size());
  }

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        arguments(
            "a Latin-1 byte",
            new byte[] {'x', (byte) 0xE9, 'y'},
            "3:13: invalid UTF-8: byte 0xE9 cannot appear here; save the file as UTF-8 (Latin-1"
                + " and UTF-16 are not read)"),
        arguments(
            "a lone continuation byte",
            new byte[] {'x', (byte) 0x80},
            "3:13: invalid UTF-8: byte 0x80 cannot appear here; save the file as UTF-8 (Latin-1"
                + " and UTF-16 are not read)"),
        arguments(
            "a character cut at the end",
            new byte[] {'x', (byte) 0xC3},
            "3:13: invalid UTF-8: the file ends inside a character (byte 0xC3)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8IsLocatedAtTheBadByte(String name, byte[] tail, String error, @TempDir Path dir)
      throws IOException {
    // "é" on line 2 counts as one column: columns are characters
    byte[] head = "services:\n  wé:\n    image: ".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + tail.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(tail, 0, bytes, head.length, tail.length);
    Path file = dir.resolve("c.yml");
    Files.write(file, bytes);
    assertEquals(List.of(file + ":" + error), fileErrors(file));
    ComposeException fromStream =
        assertThrows(
            ComposeException.class, () -> FILES.load("c.yml", new ByteArrayInputStream(bytes)));
    assertEquals(
        List.of("c.yml:" + error), fromStream.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void controlCharactersAreLocated() {
    assertEquals(
        List.of(
            "c.yml:3:13: character U+0001 is not allowed in YAML (control characters other than"
                + " tab and line breaks are not)"),
        errors(LOADER, "services:\n  web:\n    image: x\u0001y\n"));
    assertEquals(
        List.of(
            "c.yml:2:1: character U+001B is not allowed in YAML (control characters other than"
                + " tab and line breaks are not)"),
        errors(LOADER, "services: {}\r\n\u001b[31m\n"));
  }

  static Stream<Arguments> scannerErrors() {
    return Stream.of(
        arguments("a tab as indentation", "services:\n\tweb:\n"),
        arguments("an unclosed quote", "services:\n  web:\n    image: \"abc\n"),
        arguments("a character that starts no token", "services:\n  web:\n    image: @x\n"),
        arguments("a bad escape", "services:\n  web:\n    image: \"\\q\"\n"),
        arguments("an undefined alias", "services:\n  web: *nowhere\n"),
        arguments("a bad directive", "%YAML 9\n---\nservices: {}\n"),
        arguments("two documents", "services: {}\n---\nservices: {}\n"),
        arguments("a bad tag", "services: !<x y> {}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scannerErrors")
  void yamlScannerAndParserErrorsAreLocated(String name, String text) {
    List<String> errors = errors(LOADER, text);
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).matches("c\\.yml:[1-9][0-9]*:[1-9][0-9]*: .*"), errors::toString);
    assertTrue(
        !errors.get(0).contains("Exception") && !errors.get(0).contains("java."), errors::toString);
  }
}
