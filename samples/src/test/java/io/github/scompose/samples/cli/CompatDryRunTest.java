package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.ReferenceArgv;
import io.github.scompose.network.NetworkMode;
import io.github.scompose.testkit.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scompose --compat singularity-compose up --dry-run}, run in-process as the CLI on the fake
 * runtime and planned as root ({@link CliRuntime#factsOverride}), prints the same {@code instance
 * start} lines, in the same order, as singularity-compose 0.1.19 ran
 * (../shared/reference/singularity-compose-argv/*.golden.txt, recorded as root) for every valid
 * singularity-compose file of ../shared/corpus: binds, hostname, portmaps, start options, start
 * args. The golden lines are changed by exactly the deliberate differences of README.md ("How this
 * differs from singularity-compose on purpose"), one rule each in {@link ReferenceArgv#expected},
 * and by the {@link #DIVERGENCES} listed with their reason. Skips with a notice when ../shared is
 * absent.
 */
class CompatDryRunTest {

  /**
   * Corpus files whose golden cannot match for a principled reason, file → reason. Each is still
   * compared, with the rule named in {@link ReferenceArgv#expected} applied.
   */
  static final Map<String, String> DIVERGENCES =
      Map.of(
          "no-ports-network-none",
          "0.1.19 decides sudo from the ports (not from the user): a project without ports gets"
              + " '--net --network none --network-args IP=…', loopback only with an address"
              + " nothing routes to, even as root; as root we use the bridge, so the instances"
              + " reach each other at the addresses etc.hosts names",
          "no-resolver-bind-without-network-namespace",
          "an instance with network.enable: false shares the host's network, so the host's own"
              + " resolver applies (SingularityCE binds it); 0.1.19 bound a resolv.conf naming"
              + " 8.8.8.8, which compute nodes often cannot reach, and a copy of the host's (with"
              + " systemd-resolved, its upstream servers) would only go stale",
          "option-missing-in-3.4.2",
          "the file gives run/exec options that SingularityCE 3.4.2 does not have (--env,"
              + " --env-file: 3.6 and later); the plan is refused before anything starts, naming"
              + " the option, where 0.1.19 launched the instances and the binary failed later");

  /** Corpus files of the divergence "option-missing-in-3.4.2", file → the refused option. */
  static final Map<String, String> REFUSED =
      Map.of(
          "TomeMD__CPUCollector__singularity-compose.yml",
          "--env is not supported by singularity version 3.4.2 run",
          "singularityhub__singularity-compose-examples__v2.0__ping__singularity-compose.yml",
          "--env-file is not supported by singularity version 3.4.2 exec");

  @TempDir Path temp;

  @AfterEach
  void clear() {
    CliRuntime.factsOverride = UnaryOperator.identity();
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusFilePlansTheReferenceToolsStartLinesThroughTheCli()
      throws IOException {
    String shared = System.getProperty("scompose.shared.dir");
    Path root = shared == null ? null : Path.of(shared);
    Assumptions.assumeTrue(
        root != null && Files.isDirectory(root.resolve("corpus")),
        "../shared is absent: --compat dry runs not compared with singularity-compose 0.1.19");
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : ReferenceArgv.corpusFiles(root)) {
      Path golden = ReferenceArgv.golden(root, name);
      Path file = root.resolve("corpus").resolve(name).toAbsolutePath();
      tests.add(DynamicTest.dynamicTest(name, () -> compare(file, golden)));
    }
    assertTrue(tests.size() >= 20, "found " + tests.size() + " corpus files");
    return tests.stream();
  }

  private void compare(Path file, Path golden) throws IOException {
    List<String> starts = ReferenceArgv.upStarts(golden);
    Assumptions.assumeFalse(
        starts.isEmpty(), golden.getFileName() + ": the reference tool started nothing");
    Path wd = temp.resolve("project");
    Files.createDirectories(wd);
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
    CliRuntime.factsOverride = f -> f.withRoot(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      code =
          ScomposeCommand.run(
              new String[] {
                "--runtime",
                "fake",
                "--compat",
                "singularity-compose",
                "-f",
                file.toString(),
                "--project-directory",
                wd.toString(),
                "up",
                "--dry-run"
              },
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              false);
    } finally {
      FakeRuntime.builder().stateDirectory(temp.resolve("fake")).build().close();
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    String refused = REFUSED.get(file.getFileName().toString());
    if (refused != null) {
      // divergence "option-missing-in-3.4.2"
      assertEquals(1, code, printed);
      // the network line (mode and reason) comes first, then the one-line refusal
      assertEquals(
          List.of("scompose: " + refused),
          err.toString(StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.startsWith("network: "))
              .toList());
      assertEquals("", printed);
      return;
    }
    assertEquals(0, code, () -> printed + err.toString(StandardCharsets.UTF_8));

    // planned as root: the bridge network, named "bridge"
    String home = System.getProperty("user.home");
    List<String> expected = new ArrayList<>();
    for (String s : starts) {
      List<String> words =
          ReferenceArgv.expected(
              fromInstance(ReferenceArgv.words(s)), wd, home, NetworkMode.BRIDGE, "bridge");
      expected.add(String.join(" ", words));
    }
    List<String> actual = new ArrayList<>();
    for (String l : printed.lines().toList()) {
      List<String> w = ReferenceArgv.words(l);
      int k = w.indexOf("instance");
      if (k >= 0 && k + 1 < w.size() && w.get(k + 1).equals("start")) {
        actual.add(String.join(" ", fromInstance(w)));
      }
    }
    assertEquals(String.join("\n", expected), String.join("\n", actual), file.toString());
  }

  /**
   * The words from {@code instance} on: the program and its global options ({@code --quiet}, which
   * only silences the binary's own messages) are where the binary was found, not part of the start.
   */
  private static List<String> fromInstance(List<String> words) {
    int k = words.indexOf("instance");
    return words.subList(k, words.size());
  }
}
