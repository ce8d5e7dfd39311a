package io.github.scompose.samples.bench;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's own cost per {@code instance list}, next to the cost of the process it runs.
 *
 * <ul>
 *   <li>{@code processOnly}: {@link LocalProcessTransport} runs a stub {@code singularity} (a tiny
 *       shell script that prints a recorded {@code instance list --json} at once): the floor set by
 *       fork/exec and the shell.
 *   <li>{@code clientOverLocalProcess}: {@link SingularityClient#list()} over the same stub: what a
 *       user pays.
 *   <li>{@code clientOverInJvmTransport}: {@link SingularityClient#list()} over a transport that
 *       answers from memory: the client's own overhead (argv rendering, logging, parsing) alone.
 * </ul>
 *
 * <p>Run: {@code java -jar samples/target/benchmarks.jar InstanceList -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InstanceListOverheadBenchmark {

  /** Recorded from SingularityCE 3.4.2 ({@code singularity instance list --json}, one instance). */
  static final String RECORDED_LIST_JSON =
      "{\n"
          + "\t\"instances\": [\n"
          + "\t\t{\n"
          + "\t\t\t\"instance\": \"app1\",\n"
          + "\t\t\t\"pid\": 26306,\n"
          + "\t\t\t\"img\": \"/images/busybox.sif\"\n"
          + "\t\t}\n"
          + "\t]\n"
          + "}\n";

  private Path directory;
  private Path stub;
  private LocalProcessTransport local;
  private SingularityClient overProcess;
  private SingularityClient inJvm;

  @Setup
  public void setUp() throws IOException {
    directory = Files.createTempDirectory("scompose-bench-");
    stub = directory.resolve("singularity");
    Files.writeString(
        stub,
        "#!/bin/sh\n"
            + "case \"$*\" in\n"
            + "  *version*) echo 'singularity version 3.4.2' ;;\n"
            + "  *) cat <<'EOF'\n"
            + RECORDED_LIST_JSON
            + "EOF\n"
            + "  ;;\n"
            + "esac\n");
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    BinaryVersion version = BinaryVersion.parse("singularity version 3.4.2");
    local = LocalProcessTransport.create();
    overProcess =
        SingularityClient.builder()
            .transport(local)
            .binary(SingularityBinary.of(stub.toString(), version))
            .build();
    inJvm =
        SingularityClient.builder()
            .transport(new AnsweringTransport())
            .binary(SingularityBinary.of(stub.toString(), version))
            .build();
    List<InstanceInfo> check = overProcess.list();
    if (check.size() != 1 || !check.get(0).name().equals("app1")) {
      throw new IllegalStateException("the stub's list did not parse: " + check);
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  @Benchmark
  public CommandResult processOnly() {
    return local.run(CommandRequest.of(stub.toString(), "instance", "list", "--json"));
  }

  @Benchmark
  public List<InstanceInfo> clientOverLocalProcess() {
    return overProcess.list();
  }

  @Benchmark
  public List<InstanceInfo> clientOverInJvmTransport() {
    return inJvm.list();
  }

  /** Answers every command at once with the recorded list. */
  private static final class AnsweringTransport implements LocalFileTransport {
    @Override
    public CommandResult run(CommandRequest request) {
      return CommandResult.builder()
          .argv(request.argv())
          .exitCode(0)
          .stdout(RECORDED_LIST_JSON)
          .stderr("")
          .duration(Duration.ZERO)
          .build();
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      throw new UnsupportedOperationException("not needed by instance list");
    }

    @Override
    public Optional<byte[]> readFile(String path, long offset) {
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "in-JVM answers";
    }

    @Override
    public void close() {}
  }
}
