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
 * Speed goals of the compose-spec module (issue 2): load and validate a generated 100-service
 * Compose file in at most 5 ms, a 1,000-service file in at most 50 ms. Each service has an image, a
 * command, two environment variables (one interpolated), a published port, a bind, a restart
 * policy, a healthcheck and up to two {@code depends_on} on earlier services, so parsing,
 * interpolation, binding, every check and the topological order all run. Run with {@code java -jar
 * samples/target/benchmarks.jar ComposeLoad -f 1 -wi 3 -i 5}; scores are milliseconds per load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ComposeLoadBenchmark {

  /** Number of services in the generated file. */
  @Param({"100", "1000"})
  public int services;

  private String text;
  private ComposeLoader loader;

  /** Generates the file once. */
  @Setup
  public void setUp() {
    text = generate(services);
    loader =
        ComposeLoader.defaults()
            .withEnvironment(Map.of("TAG", "1.25"))
            .withProjectDirectory(Path.of("/srv/bench"))
            .withHomeDirectory(Path.of("/home/bench"));
    ComposeProject check = loader.loadString("compose.yaml", text);
    if (check.services().size() != services) {
      throw new IllegalStateException("generated file has " + check.services().size());
    }
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

  /** Goal: ≤ 5 ms for 100 services, ≤ 50 ms for 1,000. */
  @Benchmark
  public ComposeProject loadAndValidate() {
    return loader.loadString("compose.yaml", text);
  }
}
