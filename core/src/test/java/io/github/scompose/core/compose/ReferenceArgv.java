package io.github.scompose.core.compose;

import io.github.scompose.network.NetworkMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recordings of singularity-compose 0.1.19 in ../shared and the one list of deliberate
 * differences between its {@code instance start} argv and ours (README.md, "How this differs from
 * singularity-compose on purpose"; Javadoc of {@link UpPlanner}). Shared, through core's test-jar,
 * by the engine's golden test ({@code ReferenceToolUpPlanTest}), the client's ({@code
 * ReferenceToolArgvTest}) and the CLI's ({@code CompatDryRunTest} of samples): each rule exists
 * here only.
 */
public final class ReferenceArgv {

  private ReferenceArgv() {}

  /**
   * Corpus files that the schema rejects ({@code run.args: {}}) or a strict YAML parser rejects (a
   * duplicate key: PyYAML keeps the last value) but singularity-compose 0.1.19 ran (their goldens:
   * build, up and down exit 0); the loader accepts them with a warning.
   */
  static final java.util.Set<String> RUN_BY_THEIR_TOOL =
      java.util.Set.of(
          "parallelworks__activate-rag-vllm__singularity-compose.yml",
          "parallelworks__activate-rag-vllm__singularity__singularity-compose.yml",
          "cleemesser__cvat__singularity-compose.yml");

  /**
   * The valid singularity-compose files (and those of {@link #RUN_BY_THEIR_TOOL}) of {@code
   * shared/corpus}, by file name, in the order of {@code corpus/PROVENANCE.tsv}.
   *
   * @throws IOException if {@code PROVENANCE.tsv} cannot be read
   */
  public static List<String> corpusFiles(Path shared) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(shared.resolve("corpus/PROVENANCE.tsv"))) {
      String[] f = line.split("\t");
      if (f.length >= 8
          && f[6].equals("singularity-compose")
          && (f[7].equals("valid") || RUN_BY_THEIR_TOOL.contains(f[0]))) {
        out.add(f[0]);
      }
    }
    return out;
  }

  /** The golden of a corpus file: what 0.1.19 ran for it. */
  public static Path golden(Path shared, String corpusFile) {
    return shared.resolve("reference/singularity-compose-argv").resolve(corpusFile + ".golden.txt");
  }

  /**
   * The lines of one section ({@code "## up"}, …) of a golden, without its header.
   *
   * @throws IOException if the golden cannot be read
   */
  public static List<String> section(Path golden, String header) throws IOException {
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
   * The {@code instance start} lines that 0.1.19 ran in {@code up}, without its {@code sudo}.
   *
   * @throws IOException if the golden cannot be read
   */
  public static List<String> upStarts(Path golden) throws IOException {
    return section(golden, "## up").stream()
        .filter(l -> l.contains(" instance start "))
        .map(l -> l.startsWith("sudo ") ? l.substring(5) : l)
        .toList();
  }

  /**
   * Whether 0.1.19 ran the starts of {@code up} with {@code sudo} (it decides from the ports).
   *
   * @throws IOException if the golden cannot be read
   */
  public static boolean upRanAsRoot(Path golden) throws IOException {
    return section(golden, "## up").stream()
        .anyMatch(l -> l.contains(" instance start ") && l.startsWith("sudo "));
  }

  /** Splits a golden or dry-run line: words separated by spaces; {@code '…'} is one word. */
  public static List<String> words(String line) {
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
   * Rule 1: a {@code --network-args} value is passed without the reference's literal double quotes
   * ({@code "IP=10.22.0.2"}).
   */
  public static String unquote(String word) {
    return word.length() > 1 && word.startsWith("\"") && word.endsWith("\"")
        ? word.substring(1, word.length() - 1)
        : word;
  }

  /**
   * The reference's start words with our deliberate differences applied, one rule each.
   *
   * @param reference the words of a golden start line (see {@link #words})
   * @param wd the project directory that replaces the golden's {@code WD} placeholder
   * @param home the home directory that replaces the golden's {@code HOME} placeholder and
   *     interpolates {@code ${HOME}}
   * @param mode the network mode of the plan
   * @param cniNetwork the CNI network of the plan's networked instances ({@code bridge} as root,
   *     {@code fakeroot} with {@code --fakeroot}); ignored unless {@code mode} is {@link
   *     NetworkMode#BRIDGE}
   */
  public static List<String> expected(
      List<String> reference, Path wd, String home, NetworkMode mode, String cniNetwork) {
    String state = wd.resolve(PlanOptions.STATE_DIRECTORY).toString();
    boolean bridge = mode == NetworkMode.BRIDGE;
    List<String> out = new ArrayList<>();
    for (String r : reference) {
      // 1. network-args values are passed without the reference's literal double quotes
      String w = unquote(r);
      // 2. variables are interpolated: the reference passed "${HOME}" literally, relative to WD
      w = w.replace("WD/${HOME}", home);
      // 3. the hosts and resolver files live in the state directory, not in the project folder,
      //    and they are bound read-only (":ro"): issue 6 asks for read-only binds, the reference
      //    tool bound them read-write
      w = w.replace("WD/resolv.conf:/etc/resolv.conf", state + "/resolv.conf:/etc/resolv.conf:ro");
      w = w.replace("WD/etc.hosts:/etc/hosts", state + "/etc.hosts:/etc/hosts:ro");
      // placeholders of the goldens (the recording's paths)
      w = w.replace("WD/..", wd.getParent().toString()).replace("WD", wd.toString());
      w = w.replaceAll("(^|:)HOME", "$1" + home);
      // 4. an option written "--contain" stays "--contain" (the reference made it "----contain")
      if (w.startsWith("----")) {
        w = w.substring(2);
      }
      // 7. on the fakeroot network, addresses of its own subnet (10.23.0.0/16, SingularityCE's
      //    40_fakeroot.conflist): the reference gave bridge addresses, which a real 3.4.2 refuses
      //    there ("failed to allocate all requested IPs")
      if (w.startsWith("IP=10.22.") && bridge && cniNetwork.equals("fakeroot")) {
        w = "IP=10.23." + w.substring("IP=10.22.".length());
      }
      out.add(w);
    }
    List<String> adapted = new ArrayList<>();
    for (int k = 0; k < out.size(); k++) {
      String w = out.get(k);
      if (mode == NetworkMode.HOST) {
        // 5. not root and no fakeroot (or no networked instance): host networking, not the
        //    reference's "--network none" with an address that nothing routes to; so no --net
        //    flags, no --hostname (the host's) and no resolver bind (below)
        if (w.equals("--net")) {
          continue;
        }
        if (w.equals("--network") || w.equals("--network-args") || w.equals("--hostname")) {
          k++;
          continue;
        }
      }
      adapted.add(w);
      if (bridge && w.equals("--net")) {
        if (k + 2 < out.size() && out.get(k + 1).equals("--network")) {
          // divergence "no-ports-network-none" of CompatDryRunTest: 0.1.19 decides sudo from the
          // ports: without
          //    ports it ran "--network none", loopback only with an address nothing routes to;
          //    on a bridge we name the bridge, so the instances reach each other
          if (out.get(k + 2).equals("none")) {
            adapted.add("--network");
            adapted.add(cniNetwork);
            k += 2;
          }
        } else {
          // 6. bridge: the CNI network is named ("--network bridge" as root, "--network fakeroot"
          //    with --fakeroot) instead of relying on the binary's default
          adapted.add("--network");
          adapted.add(cniNetwork);
        }
      }
    }
    if (!adapted.contains("--net")) {
      // 5. and divergence "no-resolver-bind-without-network-namespace" of CompatDryRunTest: an
      //    instance without a network namespace (host networking, or network.enable: false)
      //    shares the host's network, so the host's own resolver applies; 0.1.19 bound a
      //    resolv.conf naming 8.8.8.8
      for (int k = 0; k + 1 < adapted.size(); k++) {
        if (adapted.get(k).equals("--bind")
            && adapted.get(k + 1).equals(state + "/resolv.conf:/etc/resolv.conf:ro")) {
          adapted.subList(k, k + 2).clear();
          break;
        }
      }
    }
    return adapted;
  }
}
