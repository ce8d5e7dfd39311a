package io.github.scompose.samples.bench;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.LatencyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Issue 11: {@code up} and {@code down} of {@link #instances} independent instances on the bridge
 * network (as root: {@code instance start --net}), on the in-JVM fake with the latency model of a
 * real SingularityCE 3.4.2 ({@link LatencyModel#singularityCe342()}: start 0.31–0.34 s, with {@code
 * --net} 0.40–0.48 s, stop: the instance and its record gone after 0.2–0.3 s, the binary's stop
 * returning 1.0–2.0 s later once the host's init reaped the monitor process, CPU parts shared by 2
 * cores) at the engine's default parallelism ({@link Compose#DEFAULT_PARALLELISM}), so the scores
 * predict the real binary; with {@link #latency} {@code off}, score / instances is the engine's own
 * cost per instance (goal ≤ 1 ms).
 *
 * <p>The binary's floor measured on the real 3.4.2 (2 cores): 10 bridge starts in parallel 0.96 s
 * in all, 10 stops in parallel 2.1 s; the model extrapolates 20 to about 1.6 s and 2.8 s. {@code
 * down} ends when the records are gone, not when the binary's stops return (see {@code
 * SingularityClient#stop}).
 *
 * <ul>
 *   <li>{@code up}: {@link Compose#up} ({@code down} in a per-invocation tear-down, not measured);
 *   <li>{@code down}: {@link ComposeStack#down()} of a stack brought up in a per-invocation set-up
 *       (not measured).
 * </ul>
 *
 * Run with {@code java -jar samples/target/benchmarks.jar ComposeLatency -f 1 -wi 1 -i 3}; scores
 * are seconds per operation (single shots).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class ComposeLatencyBenchmark {

  /** Independent instances (one service each). */
  @Param({"20", "100"})
  public int instances;

  /** {@code real}: the SingularityCE 3.4.2 model; {@code off}: no latency (engine overhead). */
  @Param({"real", "off"})
  public String latency;

  /**
   * Starts or stops at once; 0 (the default) = the engine's default ({@link
   * Compose#DEFAULT_PARALLELISM}); e.g. {@code -p parallelism=32} to compare.
   */
  @Param({"0"})
  public int parallelism;

  private Path directory;
  private FakeRuntime fake;
  private Compose compose;
  private ComposeProject project;
  private ComposeStack stack;

  /** The fake, the engine and the project, once per trial. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    directory = Files.createTempDirectory("scompose-latency-bench-");
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .anyImageExists()
            .latencyModel(LatencyModel.named(latency).orElse(null))
            .build(); // the system time source: latencies really pass
    SingularityClient client =
        SingularityClient.builder()
            .transport(fake.transport())
            .binary(
                BinaryLocator.builder()
                    .explicitPath("singularity")
                    .build()
                    .locate(fake.transport()))
            .hostIdentity(
                HostIdentity.of(
                    fake.homeDirectory(), "fakehost", System.getProperty("user.name", "user")))
            .build();
    HostPorts anyPort = fake.hostPorts();
    Compose.Builder engine =
        Compose.builder()
            .client(client)
            .facts(RuntimeFacts.builder().dialect(client.dialect()).root(true).build())
            .networkPlanner(NetworkPlanner.create().withHostPorts(anyPort));
    if (parallelism > 0) {
      engine.parallelism(parallelism);
    }
    compose = engine.build();
    project = independent(directory, instances);
    if (compose.plan(project).instances().size() != instances) {
      throw new IllegalStateException("the project does not have " + instances + " instances");
    }
  }

  /** {@code n} services {@code s0..s<n-1>} of one instance each, none depending on another. */
  static ComposeProject independent(Path directory, int n) {
    List<ServiceSpec> services = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      services.add(ServiceSpec.builder().name("s" + i).image("/images/svc.sif").build());
    }
    return ComposeProject.builder()
        .name("bench")
        .directory(directory)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .services(services)
        .build();
  }

  /** {@code up} of every instance. */
  @Benchmark
  public ComposeStack up() {
    stack = compose.up(project);
    return stack;
  }

  /** Brings the stack up for {@link #down()} (not measured). */
  @Setup(Level.Invocation)
  public void upBeforeDown(org.openjdk.jmh.infra.BenchmarkParams params) {
    if (params.getBenchmark().endsWith(".down")) {
      stack = compose.up(project);
    }
  }

  /** {@code down} of every instance. */
  @Benchmark
  public List<String> down() {
    List<String> stopped = stack.down();
    stack = null;
    return stopped;
  }

  /** Takes down what {@link #up()} started (not measured) and checks nothing is left. */
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
