package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing the loader (issue 12, "hostile input"): files are mutated at the byte level (bit flips,
 * bytes set to control characters or invalid UTF-8, truncation, duplicated, deleted and swapped
 * lines, shifted indentation, YAML tokens and deep nesting inserted) and loaded through the stream
 * API, so the UTF-8 decoder, the scanner, the parser, the composer, interpolation, merging, binding
 * and the project checks all see hostile input. For every mutation:
 *
 * <ul>
 *   <li>the only exception that escapes is {@link ComposeException} (no {@code StackOverflowError},
 *       no runtime exception of the YAML library);
 *   <li>every error in it is located: a line and a column, or, for whole-file problems (an empty
 *       file, a limit of the whole file), the file and the reason; no message carries a Java
 *       exception's text;
 *   <li>the load ends within {@link #BOUND_SECONDS} seconds (a guard against hangs, not a speed
 *       goal: speed is measured by the JMH benchmarks in samples).
 * </ul>
 *
 * <p>Each try mutates one seed file {@link #MUTATIONS_PER_TRY} times from a seed jqwik draws (a
 * failure names the file, the seed and the mutation's index, enough to replay it). The corpus
 * property reads every compose file of {@code ../shared/corpus} in place (skipped with a notice
 * when it is absent) and makes {@code 200 × 100 = 20,000} mutations per run; the built-in property
 * runs everywhere on a few files written here.
 */
class LoaderFuzzProperties {

  static final int MUTATIONS_PER_TRY = 100;
  static final int BOUND_SECONDS = 5;

  /** Seeds written here, so that the fuzzer runs without ../shared. */
  static final List<String> BUILT_IN =
      List.of(
          """
          name: fuzz
          x-common: &common
            restart: on-failure:3
            environment:
              A: "1"
              B: ${B:-two}
          services:
            web:
              <<: *common
              image: "nginx:${TAG:-1.25}"
              command: ["serve", "--port", "80"]
              ports:
                - "8080:80"
                - target: 443
                  published: "8443"
              volumes:
                - ./data:/data:ro
                - cache:/cache
              depends_on:
                db:
                  condition: service_healthy
              healthcheck:
                test: ["CMD", "true"]
                interval: 30s
                retries: 3
              secrets: [token]
            db:
              image: postgres:15
              extends: base
            base:
              image: busybox
              labels: {a: b, c: d}
          volumes:
            cache: {}
          secrets:
            token:
              file: ./token.txt
          """,
          """
          version: "2.0"
          instances:
            app:
              build:
                context: ./app
                recipe: Singularity
              start:
                options:
                  - fakeroot
                args: "--port 80"
              volumes:
                - ./app:/code
              ports:
                - 8000:80
              network:
                enable: true
                allocate_ip: true
            nginx:
              image: docker://nginx
              depends_on:
                - app
              run:
                args: hello
          """);

  /** YAML tokens and hostile fragments inserted at random places. */
  private static final List<String> FRAGMENTS =
      List.of(
          ":",
          ": ",
          "- ",
          "? ",
          "&a ",
          "*a",
          "<<: *a\n",
          "!!binary ",
          "!reset ",
          "!override ",
          "!<tag:yaml.org,2002:str> ",
          "|\n",
          ">-\n",
          "'",
          "\"",
          "\t",
          "%YAML 1.2\n",
          "%TAG ! tag:x,2024:\n",
          "---\n",
          "...\n",
          "${",
          "${X:?unset}",
          "$${X}",
          "\uFEFF",
          "\u0085",
          "\u2028",
          "#",
          "{",
          "}",
          "[",
          "]",
          ",",
          "\\",
          "\"\\x",
          "\"\\u12",
          "@",
          "`");

  /** Byte sequences that are not UTF-8, or control characters YAML forbids. */
  private static final List<byte[]> BAD_BYTES =
      List.of(
          new byte[] {(byte) 0xFF},
          new byte[] {(byte) 0xC3},
          new byte[] {(byte) 0x80},
          new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          new byte[] {(byte) 0xC0, (byte) 0xAF},
          new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          new byte[] {0x00},
          new byte[] {0x01},
          new byte[] {0x1B},
          new byte[] {0x7F});

  private static ExecutorService loads;
  private static List<Seed> corpusSeeds;

  record Seed(String name, byte[] bytes) {}

  private static synchronized ExecutorService loads() {
    if (loads == null) {
      loads =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "fuzz-load");
                t.setDaemon(true); // a hung load must not keep the test JVM alive
                return t;
              });
    }
    return loads;
  }

  @AfterContainer
  static void stop() {
    if (loads != null) {
      loads.shutdownNow();
      loads = null;
    }
  }

  private static synchronized List<Seed> corpusSeeds() {
    if (corpusSeeds == null) {
      Path corpus = Path.of(System.getProperty("scompose.shared.dir"), "corpus");
      List<Seed> seeds = new ArrayList<>();
      for (CorpusTest.Entry e : CorpusTest.entries(corpus)) {
        try {
          seeds.add(new Seed(e.file(), Files.readAllBytes(corpus.resolve(e.file()))));
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      }
      corpusSeeds = seeds;
    }
    return corpusSeeds;
  }

  @Provide
  Arbitrary<Seed> corpusSeed() {
    return Arbitraries.of(corpusSeeds());
  }

  @Provide
  Arbitrary<Seed> builtInSeed() {
    List<Seed> seeds = new ArrayList<>();
    for (int i = 0; i < BUILT_IN.size(); i++) {
      seeds.add(new Seed("built-in-" + i, BUILT_IN.get(i).getBytes(StandardCharsets.UTF_8)));
    }
    return Arbitraries.of(seeds);
  }

  /** 200 tries × 100 mutations: 20,000 mutated corpus files per run. */
  @Property(tries = 200)
  @AddLifecycleHook(LoaderProperties.CorpusPresent.class)
  void mutatedCorpusFilesFailOnlyWithLocatedComposeExceptions(
      @ForAll("corpusSeed") Seed seed, @ForAll long randomSeed) {
    fuzz(seed, randomSeed);
  }

  /** 30 tries × 100 mutations of the files written here: runs without ../shared too. */
  @Property(tries = 30)
  void mutatedBuiltInFilesFailOnlyWithLocatedComposeExceptions(
      @ForAll("builtInSeed") Seed seed, @ForAll long randomSeed) {
    fuzz(seed, randomSeed);
  }

  private static void fuzz(Seed seed, long randomSeed) {
    Random random = new Random(randomSeed);
    ComposeLoader loader =
        ComposeLoader.defaults()
            .withEnvironment(Map.of("HOME", "/home/u"))
            .withProjectDirectory(Path.of("/nonexistent/fuzz"))
            .withHomeDirectory(Path.of("/home/u"));
    for (int i = 0; i < MUTATIONS_PER_TRY; i++) {
      byte[] mutated = mutate(seed.bytes(), random);
      String replay = seed.name() + ", seed " + randomSeed + ", mutation " + i;
      Future<Throwable> load =
          loads()
              .submit(
                  () -> {
                    try {
                      loader.load("fuzz.yml", new ByteArrayInputStream(mutated));
                      return null;
                    } catch (Throwable t) {
                      return t;
                    }
                  });
      Throwable thrown;
      try {
        thrown = load.get(BOUND_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        load.cancel(true);
        stop(); // the thread may stay busy: the next load gets a fresh one
        fail("load did not end within " + BOUND_SECONDS + " s: " + replay);
        return;
      } catch (InterruptedException | ExecutionException e) {
        throw new AssertionError(replay, e);
      }
      if (thrown == null) {
        continue;
      }
      if (!(thrown instanceof ComposeException ce)) {
        throw new AssertionError("not a ComposeException: " + replay, thrown);
      }
      assertFalse(ce.errors().isEmpty(), () -> "a ComposeException carries an error: " + replay);
      for (Problem p : ce.errors()) {
        if (!isLocated(p)) {
          fail("error without a place: " + p + " (" + replay + ")");
        }
        if (p.message().contains("java.") || p.message().contains("Exception")) {
          fail("error with a Java exception's text: " + p + " (" + replay + ")");
        }
      }
    }
  }

  /** A line and column, or a problem of the whole file that says so. */
  static boolean isLocated(Problem p) {
    if (p.line() > 0 && p.column() > 0) {
      return true;
    }
    String m = p.message();
    return p.line() == 0
        && p.column() == 0
        && !p.file().isEmpty()
        && (m.startsWith("the file is empty")
            || m.contains("the limit is")
            || m.contains("the limit for"));
  }

  /** One to three mutations of {@code bytes}. */
  static byte[] mutate(byte[] bytes, Random random) {
    byte[] out = bytes;
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      out = mutateOnce(out, random);
    }
    return out;
  }

  private static byte[] mutateOnce(byte[] b, Random random) {
    int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
    switch (random.nextInt(10)) {
      case 0 -> { // flip a bit
        if (b.length == 0) {
          return b;
        }
        byte[] out = b.clone();
        int i = Math.min(at, b.length - 1);
        out[i] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1 -> { // a byte that is not UTF-8, or a control character
        return insert(b, at, BAD_BYTES.get(random.nextInt(BAD_BYTES.size())));
      }
      case 2 -> { // truncate
        return Arrays.copyOf(b, at);
      }
      case 3 -> { // duplicate a line, up to 50 times
        List<String> lines = lines(b);
        int i = random.nextInt(lines.size());
        int times = 1 + random.nextInt(random.nextBoolean() ? 2 : 50);
        for (int t = 0; t < times; t++) {
          lines.add(i, lines.get(i));
        }
        return join(lines);
      }
      case 4 -> { // delete a line
        List<String> lines = lines(b);
        lines.remove(random.nextInt(lines.size()));
        return join(lines);
      }
      case 5 -> { // swap two lines
        List<String> lines = lines(b);
        int i = random.nextInt(lines.size());
        int j = random.nextInt(lines.size());
        String line = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, line);
        return join(lines);
      }
      case 6 -> { // shift a line's indentation
        List<String> lines = lines(b);
        int i = random.nextInt(lines.size());
        String line = lines.get(i);
        lines.set(
            i,
            random.nextBoolean()
                ? " ".repeat(1 + random.nextInt(4)) + line
                : line.substring(Math.min(line.length(), 1 + random.nextInt(2))));
        return join(lines);
      }
      case 7 -> { // deep nesting: at, just over, far over the limit
        int depth = List.of(50, 99, 100, 101, 1_000, 10_000).get(random.nextInt(6));
        String open = List.of("[", "{a: ", "- ", "[{b: ").get(random.nextInt(4));
        String close = open.equals("[") ? "]" : open.equals("{a: ") ? "}" : "";
        String nest = open.repeat(depth) + "x" + close.repeat(depth);
        return insert(b, at, nest.getBytes(StandardCharsets.UTF_8));
      }
      case 8 -> { // a YAML token or hostile fragment
        String f = FRAGMENTS.get(random.nextInt(FRAGMENTS.size()));
        return insert(b, at, f.getBytes(StandardCharsets.UTF_8));
      }
      default -> { // set a byte to a random value
        if (b.length == 0) {
          return b;
        }
        byte[] out = b.clone();
        out[Math.min(at, b.length - 1)] = (byte) random.nextInt(256);
        return out;
      }
    }
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  /** Lines split at {@code \n} (as ISO-8859-1, so that bytes survive unchanged). */
  private static List<String> lines(byte[] b) {
    return new ArrayList<>(
        Arrays.asList(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
  }

  private static byte[] join(List<String> lines) {
    return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
  }
}
