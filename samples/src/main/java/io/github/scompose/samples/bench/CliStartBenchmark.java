package io.github.scompose.samples.bench;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * Issue 11, "fast CLI start": one whole {@code scompose} process per operation, cold JVM, started
 * through the launcher {@code samples/scompose} (with its class-data sharing archive when the
 * package step made one) in {@code samples/bench/five-instances}, a singularity-compose file of
 * five instances. The score is milliseconds from the process's start to its exit; the goal is at
 * most 0.7× singularity-compose 0.1.19's time for the same command (about 0.3 s on the 2-core
 * machine it was measured on). {@link #command} is {@code config} (load, check and print the
 * project), {@code check} (load and check) or {@code ps} (no saved state: nothing to list); none of
 * them looks for a binary.
 *
 * <p>Run from the repository root, after {@code mvn -B -q -DskipTests package}, with {@code java
 * -jar samples/target/benchmarks.jar CliStart -f 1 -wi 3 -i 5}. The setup fails, saying what to do,
 * when the launcher or the jar is not there. A process that exits with anything but 0 fails the run
 * with its standard error. The processes run through the project's own {@link
 * LocalProcessTransport}, so the score includes its cost of starting and reaping a process (on the
 * 2-core machine of issue 11: {@code config} 89.5 ms here, 85–91 ms timed from outside); hyperfine
 * (README, "Benchmarks") times the same commands without a JVM around them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class CliStartBenchmark {

  /** The command run, without options. */
  @Param({"config", "check", "ps"})
  public String command;

  private LocalProcessTransport transport;
  private CommandRequest request;

  /** Finds the launcher from the working directory or one of its parents. */
  @Setup
  public void setUp() {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isRegularFile(root.resolve("samples/scompose"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException(
          "samples/scompose not found in the working directory or above it: run the benchmark"
              + " from the repository root");
    }
    if (!Files.isRegularFile(root.resolve("samples/target/scompose.jar"))) {
      throw new IllegalStateException(
          "samples/target/scompose.jar is missing: build it with mvn -B -q -DskipTests package");
    }
    transport = LocalProcessTransport.create();
    request =
        CommandRequest.builder()
            .addArgv(root.resolve("samples/scompose").toString(), command)
            .workingDirectory(root.resolve("samples/bench/five-instances").toString())
            .timeout(Duration.ofMinutes(1))
            .build();
  }

  /** Closes the transport. */
  @TearDown
  public void tearDown() {
    transport.close();
  }

  /**
   * One cold {@code scompose} process.
   *
   * @return its standard output, so that it is not optimised away
   */
  @Benchmark
  public String start() {
    CommandResult result = transport.run(request);
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "scompose " + command + " exited with " + result.exitCode() + ": " + result.stderr());
    }
    return result.stdout();
  }
}
