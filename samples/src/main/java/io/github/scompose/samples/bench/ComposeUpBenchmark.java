package io.github.scompose.samples.bench;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed goal of the compose engine (issue 6): {@code up} of a 50-instance project in 3 levels of
 * {@code depends_on} on the in-JVM fake, every {@code instance start} taking {@link #latencyMs} on
 * the real clock (the fake's system time source really sleeps, in the engine's start thread,
 * outside the fake's lock, so starts overlap as they would on a real binary). Goal: wall time ≤ 1.2
 * × the critical-path bound + 50 ms, and engine overhead ≤ 1 ms per instance.
 *
 * <p>The project: level 0 = services {@code store0..store3} with 4 replicas each (16 instances);
 * level 1 = {@code worker} with 17 replicas, depending on every store; level 2 = {@code
 * web0..web16} (17 instances), each depending on {@code worker}. The critical-path bound is Σ over
 * levels of {@code latency × ceil(width / parallelism)}: 300 ms when parallelism ≥ 17; 2,600 ms at
 * parallelism 2 (8 + 9 + 9 rounds).
 *
 * <ul>
 *   <li>{@code up}: {@link Compose#up} alone ({@code down} runs in a per-invocation tear-down, not
 *       measured);
 *   <li>{@code upAndDown}: {@code up} then {@link ComposeStack#down()}.
 * </ul>
 *
 * <p>{@link #parallelism} {@code 0} is the engine's default ({@link Compose#DEFAULT_PARALLELISM},
 * 16: 1 + 2 + 2 rounds); {@code 17} is the widest level. {@link #latencyMs} {@code 0} gives the
 * engine's own cost: score / 50 = overhead per instance. Run with {@code java -jar
 * samples/target/benchmarks.jar ComposeUp -f 1 -wi 3 -i 5}; scores are milliseconds per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class ComposeUpBenchmark {

  /** Simulated duration of each {@code instance start}, in ms, on the real clock. */
  @Param({"100", "0"})
  public int latencyMs;

  /** Starts at once; 0 = the engine's default ({@link Compose#DEFAULT_PARALLELISM}). */
  @Param({"0", "17"})
  public int parallelism;

  private Path directory;
  private FakeRuntime fake;
  private Compose compose;
  private ComposeProject project;
  private ComposeStack stack;

  /** The fake, the engine and the project, once per trial. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    directory = Files.createTempDirectory("scompose-up-bench-");
    fake =
        FakeRuntime.builder()
            .anyImageExists()
            .startLatency(Duration.ofMillis(latencyMs))
            .build(); // the system time source: latencies are real sleeps
    SingularityClient client =
        SingularityClient.builder()
            .transport(fake.transport())
            .binary(
                BinaryLocator.builder().explicitPath("apptainer").build().locate(fake.transport()))
            .hostIdentity(
                HostIdentity.of(
                    fake.homeDirectory(), "fakehost", System.getProperty("user.name", "user")))
            .build();
    Compose.Builder engine = Compose.builder().client(client);
    if (parallelism > 0) {
      engine.parallelism(parallelism);
    }
    compose = engine.build();
    project = threeLevels(directory);
    int planned = compose.plan(project).instances().size();
    if (planned != 50) {
      throw new IllegalStateException("the project has " + planned + " instances, not 50");
    }
  }

  /** The 50-instance, 3-level project (see the class comment). */
  static ComposeProject threeLevels(Path directory) {
    List<ServiceSpec> services = new ArrayList<>();
    List<DependsOn> onStores = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      services.add(service("store" + i, 4, List.of()));
      onStores.add(DependsOn.on("store" + i));
    }
    services.add(service("worker", 17, onStores));
    for (int i = 0; i < 17; i++) {
      services.add(service("web" + i, 1, List.of(DependsOn.on("worker"))));
    }
    return ComposeProject.builder()
        .name("bench")
        .directory(directory)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .services(services)
        .build();
  }

  private static ServiceSpec service(String name, int replicas, List<DependsOn> dependsOn) {
    return ServiceSpec.builder()
        .name(name)
        .image("/images/" + name + ".sif")
        .replicas(replicas)
        .dependsOn(dependsOn)
        .build();
  }

  /** Goal: ≤ 1.2 × the critical-path bound + 50 ms. */
  @Benchmark
  public ComposeStack up() {
    stack = compose.up(project);
    return stack;
  }

  /** Takes down what {@link #up()} started (not measured). */
  @TearDown(Level.Invocation)
  public void downAfterUp() {
    if (stack != null) {
      stack.down();
      stack = null;
    }
    if (!fake.instances().isEmpty()) {
      throw new IllegalStateException("left running: " + fake.instances().size());
    }
  }

  /** {@code up} then {@code down}; at zero latency, score / 50 = engine overhead per instance. */
  @Benchmark
  public List<String> upAndDown() {
    return compose.up(project).down();
  }

  /** Ends the fake and deletes the project directory. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fake.close();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
