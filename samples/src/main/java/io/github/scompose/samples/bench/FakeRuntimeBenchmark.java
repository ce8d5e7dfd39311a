package io.github.scompose.samples.bench;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.VirtualTimeSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Speed goal of the testkit (issue 5): 1,000 instances started and stopped on the in-JVM fake in
 * under 1 s. Run with {@code java -jar samples/target/benchmarks.jar FakeRuntime -f 1 -wi 3 -i 5};
 * the score is milliseconds for all 1,000 starts and 1,000 stops, through the {@link Transport} SPI
 * as a client would call it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FakeRuntimeBenchmark {

  private static final int INSTANCES = 1_000;

  /**
   * Starts 1,000 instances on a new fake runtime, then stops them all.
   *
   * @return the number of instances still listed (0), so the work is not optimised away
   */
  @Benchmark
  public int startAndStop1000Instances() {
    try (FakeRuntime fake =
        FakeRuntime.builder().anyImageExists().timeSource(VirtualTimeSource.create()).build()) {
      Transport transport = fake.transport();
      for (int i = 0; i < INSTANCES; i++) {
        run(transport, "apptainer", "instance", "start", "/images/app.sif", "app" + i);
      }
      for (int i = 0; i < INSTANCES; i++) {
        run(transport, "apptainer", "instance", "stop", "app" + i);
      }
      return fake.instances().size();
    }
  }

  private static void run(Transport transport, String... argv) {
    int exit = transport.run(CommandRequest.of(argv)).exitCode();
    if (exit != 0) {
      throw new IllegalStateException("exit " + exit + " from " + String.join(" ", argv));
    }
  }
}
