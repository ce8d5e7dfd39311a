package io.github.scompose.samples.bench;

import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Speed goals of the compose-spec module (issue 2, tightened by issue 11: "a loader that is
 * linear"): load and validate a generated 100-service Compose file in at most 5 ms, a 1,000-service
 * file in at most 25 ms, a file with one 5,000,000-character scalar in under 1 s, and long lists
 * and long chains in time linear in their length. Inputs ({@link #input}):
 *
 * <ul>
 *   <li>{@code 100-services}, {@code 1000-services}: each service has an image, a command, two
 *       environment variables (one interpolated), a published port, a bind, a restart policy, a
 *       healthcheck and up to two {@code depends_on} on earlier services, so parsing,
 *       interpolation, binding, every check and the topological order all run;
 *   <li>{@code 5M-scalar}: one service whose command is a double-quoted 5,000,000-character string
 *       (quadratic before issue 11: 13.8 s);
 *   <li>{@code 100k-list}: one service with 100,000 environment entries;
 *   <li>{@code 20001-chain}: 20,001 services, each depending on the next, declared head first (the
 *       deepest dependency walk).
 * </ul>
 *
 * Run with {@code java -jar samples/target/benchmarks.jar ComposeLoad -f 1 -wi 3 -i 5}; scores are
 * milliseconds per load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ComposeLoadBenchmark {

  /** Which generated input is loaded (see the type's documentation). */
  @Param({"100-services", "1000-services", "5M-scalar", "100k-list", "20001-chain"})
  public String input;

  private String text;
  private ComposeLoader loader;

  /** Generates the file once. */
  @Setup
  public void setUp() {
    text =
        switch (input) {
          case "100-services" -> generate(100);
          case "1000-services" -> generate(1000);
          case "5M-scalar" -> longScalar(5_000_000);
          case "100k-list" -> longList(100_000);
          case "20001-chain" -> chain(20_001);
          default -> throw new IllegalArgumentException("unknown input " + input);
        };
    loader =
        ComposeLoader.defaults()
            .withEnvironment(Map.of("TAG", "1.25"))
            .withProjectDirectory(Path.of("/srv/bench"))
            .withHomeDirectory(Path.of("/home/bench"));
    loader.loadString("compose.yaml", text); // fails the run if the input is not valid
  }

  /** One service whose command is a double-quoted string of {@code length} characters. */
  static String longScalar(int length) {
    return "services:\n  web:\n    image: nginx\n    command: \"" + "a".repeat(length) + "\"\n";
  }

  /** One service with {@code n} environment entries. */
  static String longList(int n) {
    StringBuilder b = new StringBuilder(n * 20).append("services:\n  web:\n    image: nginx\n");
    b.append("    environment:\n");
    for (int i = 0; i < n; i++) {
      b.append("      - V").append(i).append('=').append(i).append('\n');
    }
    return b.toString();
  }

  /** {@code n} services, each depending on the next one, the head declared first. */
  static String chain(int n) {
    StringBuilder b = new StringBuilder(n * 40).append("services:\n");
    for (int i = 0; i < n; i++) {
      b.append("  s").append(i).append(":\n    image: nginx\n");
      if (i < n - 1) {
        b.append("    depends_on: [s").append(i + 1).append("]\n");
      }
    }
    return b.toString();
  }

  /** A Compose file with {@code n} services, each depending on up to two earlier ones. */
  static String generate(int n) {
    StringBuilder b = new StringBuilder(n * 400).append("services:\n");
    for (int i = 0; i < n; i++) {
      b.append("  svc").append(i).append(":\n");
      b.append("    image: \"registry.example/app").append(i % 7).append(":${TAG}\"\n");
      b.append("    command: [\"serve\", \"--id\", \"").append(i).append("\"]\n");
      b.append("    environment:\n");
      b.append("      INDEX: \"").append(i).append("\"\n");
      b.append("      HOME_DIR: \"${HOME_DIR:-/home/svc}\"\n");
      b.append("    ports:\n      - \"").append(10000 + i).append(":8080\"\n");
      b.append("    volumes:\n      - ./data/svc").append(i).append(":/data:ro\n");
      b.append("    restart: on-failure:3\n");
      b.append("    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 30s\n");
      if (i > 0) {
        b.append("    depends_on:\n      - svc").append(i - 1).append('\n');
        if (i > 1) {
          b.append("      - svc").append(i / 2 - 1).append('\n');
        }
      }
    }
    return b.toString();
  }

  /** Goals: ≤ 5 ms for 100 services, ≤ 25 ms for 1,000, < 1 s for the 5 M-character scalar. */
  @Benchmark
  public ComposeProject loadAndValidate() {
    return loader.loadString("compose.yaml", text);
  }
}
