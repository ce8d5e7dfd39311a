package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.ImmutableRuntimeFacts;
import io.github.scompose.core.compose.PlanOptions;
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
 * differs from singularity-compose on purpose"), one rule each in {@link #expected}, and by the
 * {@link #DIVERGENCES} listed with their reason. Skips with a notice when ../shared is absent.
 */
class CompatDryRunTest {

  /**
   * Corpus files whose golden cannot match for a principled reason, file → reason. Each is still
   * compared, with the rule named in {@link #expected} applied.
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
    for (String line : Files.readAllLines(root.resolve("corpus/PROVENANCE.tsv"))) {
      String[] f = line.split("\t");
      if (f.length < 8 || !f[6].equals("singularity-compose") || !f[7].equals("valid")) {
        continue;
      }
      Path golden =
          root.resolve("reference/singularity-compose-argv").resolve(f[0] + ".golden.txt");
      Path file = root.resolve("corpus").resolve(f[0]).toAbsolutePath();
      tests.add(DynamicTest.dynamicTest(f[0], () -> compare(file, golden)));
    }
    assertTrue(tests.size() >= 20, "found " + tests.size() + " corpus files");
    return tests.stream();
  }

  private void compare(Path file, Path golden) throws IOException {
    List<String> starts = new ArrayList<>();
    for (String l : section(golden, "## up")) {
      if (l.contains(" instance start ")) {
        starts.add(l.startsWith("sudo ") ? l.substring(5) : l);
      }
    }
    Assumptions.assumeFalse(
        starts.isEmpty(), golden.getFileName() + ": the reference tool started nothing");
    Path wd = temp.resolve("project");
    Files.createDirectories(wd);
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
    CliRuntime.factsOverride = f -> ImmutableRuntimeFacts.copyOf(f).withRoot(true);
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

    boolean noPorts = starts.stream().noneMatch(s -> s.contains("portmap="));
    List<String> expected = new ArrayList<>();
    for (String s : starts) {
      expected.add(String.join(" ", expected(fromInstance(words(s)), wd, noPorts)));
    }
    List<String> actual = new ArrayList<>();
    for (String l : printed.lines().toList()) {
      List<String> w = words(l);
      int k = w.indexOf("instance");
      if (k >= 0 && k + 1 < w.size() && w.get(k + 1).equals("start")) {
        actual.add(String.join(" ", fromInstance(w)));
      }
    }
    assertEquals(String.join("\n", expected), String.join("\n", actual), file.toString());
  }

  private static List<String> section(Path golden, String header) throws IOException {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : Files.readAllLines(golden)) {
      if (l.startsWith("## ")) {
        in = l.equals(header);
      } else if (in) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * The words from {@code instance} on: the program and its global options ({@code --quiet}, which
   * only silences the binary's own messages) are where the binary was found, not part of the start.
   */
  private static List<String> fromInstance(List<String> words) {
    int k = words.indexOf("instance");
    return words.subList(k, words.size());
  }

  /** Splits a golden or dry-run line: single spaces, single-quoted words (shell style). */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          out.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      out.add(w.toString());
    }
    return out;
  }

  /**
   * The reference's start words with the deliberate differences of README.md applied, one rule
   * each, then the {@link #DIVERGENCES}.
   */
  static List<String> expected(List<String> reference, Path wd, boolean noPorts) {
    String state = wd.resolve(PlanOptions.STATE_DIRECTORY).toString();
    String home = System.getProperty("user.home");
    boolean netns = reference.contains("--net");
    List<String> out = new ArrayList<>();
    for (int k = 0; k < reference.size(); k++) {
      String w = reference.get(k);
      // divergence "no-resolver-bind-without-network-namespace"
      if (!netns
          && w.equals("--bind")
          && reference.get(k + 1).equals("WD/resolv.conf:/etc/resolv.conf")) {
        k++;
        continue;
      }
      // "--network-args values are passed without literal quotes"
      if (w.length() > 1 && w.startsWith("\"") && w.endsWith("\"")) {
        w = w.substring(1, w.length() - 1);
      }
      // "Variables are interpolated (${HOME})": the reference bound WD/${HOME} literally
      w = w.replace("WD/${HOME}", home);
      // "etc.hosts and resolv.conf live in the project's .scompose/ state folder" and "are bound
      // read-only (:ro)"
      w = w.replace("WD/resolv.conf:/etc/resolv.conf", state + "/resolv.conf:/etc/resolv.conf:ro");
      w = w.replace("WD/etc.hosts:/etc/hosts", state + "/etc.hosts:/etc/hosts:ro");
      // placeholders of the goldens (the recording's paths)
      w = w.replace("WD/..", wd.getParent().toString()).replace("WD", wd.toString());
      w = w.replaceAll("(^|:)HOME", "$1" + home);
      // "A start option written with dashes (--contain) is passed as written"
      if (w.startsWith("----")) {
        w = w.substring(2);
      }
      out.add(w);
    }
    List<String> adapted = new ArrayList<>();
    for (int k = 0; k < out.size(); k++) {
      String w = out.get(k);
      adapted.add(w);
      if (!w.equals("--net")) {
        continue;
      }
      if (k + 2 < out.size() && out.get(k + 1).equals("--network")) {
        // divergence "no-ports-network-none"
        if (noPorts && out.get(k + 2).equals("none")) {
          adapted.add("--network");
          adapted.add("bridge");
          k += 2;
        }
        continue;
      }
      // "the bridge network named": as root, --network bridge where the reference left it to the
      // binary's default
      adapted.add("--network");
      adapted.add("bridge");
    }
    return adapted;
  }
}
