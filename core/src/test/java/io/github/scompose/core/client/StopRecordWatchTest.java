package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@link SingularityClient#stop}: on a local transport, a stop of one instance ends as soon as the
 * binary's record of the instance is gone, without waiting for the binary's own {@code instance
 * stop} (which then only waits for the host's init to reap the dead monitor process); it waits for
 * the binary when the record was not there before, when the binary ends first, and on a transport
 * whose files are not this machine's.
 */
class StopRecordWatchTest {

  private static final String RECORD = "/home/u/.singularity/instances/sing/node1/u/web1/web1.json";

  /** A local transport whose stop processes run until cancelled or finished by the test. */
  private static final class WatchedTransport implements LocalFileTransport {
    final List<List<String>> runs = new ArrayList<>();
    final List<List<String>> starts = new ArrayList<>();
    final List<String> stats = new ArrayList<>();
    final AtomicInteger cancels = new AtomicInteger();

    /** Whether the record exists at the n-th look (0-based). */
    IntPredicate recordAt = n -> true;

    /** What the started stop does: null runs until cancelled. */
    CommandResult finishes;

    String stdoutLine = "";
    String stderrLine = "";

    @Override
    public synchronized CommandResult run(CommandRequest request) {
      runs.add(request.argv());
      return CommandResult.builder()
          .argv(request.argv())
          .exitCode(0)
          .stdout("")
          .stderr("")
          .duration(Duration.ofMillis(1))
          .build();
    }

    @Override
    public synchronized RunningCommand start(CommandRequest request, OutputListener listener) {
      starts.add(request.argv());
      CompletableFuture<CommandResult> done = new CompletableFuture<>();
      if (finishes != null) {
        if (!stdoutLine.isEmpty()) {
          listener.onStdout(stdoutLine);
        }
        if (!stderrLine.isEmpty()) {
          listener.onStderr(stderrLine);
        }
        done.complete(finishes.withArgv(request.argv()));
      }
      return new RunningCommand() {
        @Override
        public CompletableFuture<CommandResult> completion() {
          return done;
        }

        @Override
        public void cancel() {
          cancels.incrementAndGet();
          done.complete(
              CommandResult.builder()
                  .argv(request.argv())
                  .exitCode(143)
                  .stdout("")
                  .stderr("")
                  .duration(Duration.ZERO)
                  .build());
        }

        @Override
        public boolean isAlive() {
          return !done.isDone();
        }
      };
    }

    @Override
    public synchronized Optional<FileStamp> stat(String path) {
      int n = stats.size();
      stats.add(path);
      return path.equals(RECORD) && recordAt.test(n)
          ? Optional.of(FileStamp.of(100, Instant.EPOCH))
          : Optional.empty();
    }

    @Override
    public String describe() {
      return "watched";
    }

    @Override
    public void close() {}
  }

  private static SingularityClient client(io.github.scompose.core.transport.Transport t) {
    return SingularityClient.builder()
        .transport(t)
        .binary(
            SingularityBinary.of("singularity", BinaryVersion.parse("singularity version 3.4.2")))
        .hostIdentity(HostIdentity.of("/home/u", "node1", "u"))
        .sleeper(d -> {})
        .build();
  }

  private static CommandResult exit(int code) {
    return CommandResult.builder()
        .argv(List.of("x"))
        .exitCode(code)
        .stdout("")
        .stderr("")
        .duration(Duration.ofMillis(5))
        .build();
  }

  @Test
  void aStopEndsWhenTheRecordIsGoneAndEndsTheBinarysWaitingStop() {
    WatchedTransport t = new WatchedTransport();
    t.recordAt = n -> n < 3; // present before the stop and at two looks, then gone
    CommandResult r = client(t).stop(InstanceStop.of("web1").withSignal("SIGTERM"));

    assertEquals(0, r.exitCode());
    assertEquals(1, t.cancels.get(), "the binary's stop, left waiting for the reaping, is ended");
    assertEquals(
        List.of(List.of("singularity", "instance", "stop", "--signal", "SIGTERM", "web1")),
        t.starts);
    assertEquals(List.of(), t.runs, "no other process: the identity was given, no listing");
    assertEquals(4, t.stats.size(), "one look before the stop, then one per round until gone");
    assertTrue(t.stats.stream().allMatch(RECORD::equals));
    assertEquals(t.starts.get(0), r.argv());
  }

  @Test
  void aStopThatEndsFirstGivesTheBinarysResult() {
    WatchedTransport t = new WatchedTransport();
    t.finishes = exit(0);
    t.stdoutLine = "Stopping web1 instance of /img/web.sif (PID=4242)";
    CommandResult r = client(t).stop(InstanceStop.of("web1"));

    assertEquals(0, r.exitCode());
    assertEquals("Stopping web1 instance of /img/web.sif (PID=4242)\n", r.stdout());
    assertEquals(0, t.cancels.get());
  }

  @Test
  void aFailedStopIsMappedAsWithoutTheWatch() {
    WatchedTransport t = new WatchedTransport();
    t.finishes = exit(255);
    t.stderrLine = "FATAL:   no instance found";
    SingularityClient c = client(t);

    assertThrows(InstanceNotFoundException.class, () -> c.stop(InstanceStop.of("web1")));
    assertEquals(0, t.cancels.get());
  }

  @Test
  void withoutTheRecordBeforeTheStopTheStopWaitsForTheBinary() {
    WatchedTransport t = new WatchedTransport();
    t.recordAt = n -> false;
    CommandResult r = client(t).stop(InstanceStop.of("web1"));

    assertEquals(0, r.exitCode());
    assertEquals(List.of(), t.starts, "run to its end, not watched");
    assertEquals(List.of(List.of("singularity", "instance", "stop", "web1")), t.runs);
    assertEquals(1, t.stats.size());
  }

  @Test
  void allGlobsAndUnknownLayoutsAreNotWatched() {
    WatchedTransport t = new WatchedTransport();
    SingularityClient c = client(t);
    c.stop(InstanceStop.everything());
    c.stop(InstanceStop.of("web*"));
    SingularityClient v2 =
        SingularityClient.builder()
            .transport(t)
            .binary(
                SingularityBinary.of(
                    "singularity", BinaryVersion.parse("singularity version 2.6.1-dist")))
            .hostIdentity(HostIdentity.of("/home/u", "node1", "u"))
            .sleeper(d -> {})
            .build();
    v2.stop(InstanceStop.of("web1"));

    assertEquals(List.of(), t.starts);
    assertEquals(3, t.runs.size());
    assertEquals(List.of(), t.stats, "no look at any file");
  }

  @Test
  void theRecordPathFollowsTheDialect() {
    assertEquals(
        Optional.of(RECORD),
        Dialect.forVersion(BinaryVersion.parse("singularity version 3.4.2"))
            .instanceRecordPath("/home/u/", "node1", "u", "web1"));
    assertEquals(
        Optional.of("/home/u/.apptainer/instances/app/node1/u/web1/web1.json"),
        Dialect.forVersion(BinaryVersion.parse("apptainer version 1.3.4"))
            .instanceRecordPath("/home/u", "node1", "u", "web1"));
    assertFalse(
        Dialect.forVersion(BinaryVersion.parse("singularity version 2.6.1-dist"))
            .instanceRecordPath("/home/u", "node1", "u", "web1")
            .isPresent());
  }
}
