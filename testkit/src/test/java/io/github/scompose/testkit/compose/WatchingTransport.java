package io.github.scompose.testkit.compose;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A {@link Transport} around the fake runtime's that watches what the engine does: counts commands,
 * measures how many {@code instance start}s are in flight at once (optionally holding each start at
 * a latch until {@code n} are in flight, so parallelism is observed, not inferred from timing), and
 * can rewrite an argv before the fake sees it (e.g. make a healthcheck fail twice).
 */
final class WatchingTransport implements Transport {

  private final Transport fake;
  private final AtomicInteger inStart = new AtomicInteger();
  final AtomicInteger maxInStart = new AtomicInteger();
  final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());
  final Map<String, AtomicInteger> startsByName = new ConcurrentHashMap<>();
  volatile CountDownLatch startGate;
  volatile UnaryOperator<List<String>> rewrite = UnaryOperator.identity();

  /**
   * When set, the {@code instance start} of this instance runs on the fake, and then the calling
   * thread stops for good (it parks, deaf to interrupts): nothing after the start command runs, as
   * when the JVM that ran {@code up} is killed right after the binary started the instance.
   */
  volatile String haltAfterStartOf;

  /**
   * With {@link #haltAfterStartOf}: halt the whole JVM ({@link Runtime#halt}, exit code 137, as
   * {@code kill -9} gives) instead of parking the thread; no shutdown hook or finally block runs.
   */
  volatile boolean haltJvm;

  /**
   * When set, the {@code instance start} of this instance waits at {@link #releaseStart} before it
   * runs on the fake ({@link #startHeld} counted down), then the calling thread stops for good
   * ({@link #startDone} counted down): an {@code up} whose JVM was killed while its {@code instance
   * start} child still runs, and registers the instance later.
   */
  volatile String holdStartOf;

  final CountDownLatch startHeld = new CountDownLatch(1);
  final CountDownLatch releaseStart = new CountDownLatch(1);
  final CountDownLatch startDone = new CountDownLatch(1);

  /** Counted down once a thread has halted after {@link #haltAfterStartOf}'s start. */
  final CountDownLatch halted = new CountDownLatch(1);

  WatchingTransport(Transport fake) {
    this.fake = fake;
  }

  int count(String... words) {
    List<String> w = List.of(words);
    synchronized (commands) {
      return (int) commands.stream().filter(c -> Collections.indexOfSubList(c, w) >= 0).count();
    }
  }

  int starts(String instance) {
    AtomicInteger n = startsByName.get(instance);
    return n == null ? 0 : n.get();
  }

  @Override
  public CommandResult run(CommandRequest request) {
    List<String> argv = rewrite.apply(request.argv());
    commands.add(argv);
    CommandRequest r = request.withArgv(argv);
    int start = Collections.indexOfSubList(argv, List.of("instance", "start"));
    if (start < 0) {
      return fake.run(r);
    }
    // the services of these tests have no command, so the instance name is the last word
    startsByName
        .computeIfAbsent(argv.get(argv.size() - 1), k -> new AtomicInteger())
        .incrementAndGet();
    int now = inStart.incrementAndGet();
    maxInStart.accumulateAndGet(now, Math::max);
    try {
      CountDownLatch gate = startGate;
      if (gate != null) {
        gate.countDown();
        if (!gate.await(20, TimeUnit.SECONDS)) {
          throw new AssertionError("fewer starts in flight than the gate expects");
        }
      }
      if (holdStartOf != null && argv.contains(holdStartOf)) {
        startHeld.countDown();
        releaseStart.await();
        fake.run(r);
        startDone.countDown();
        haltForGood();
      }
      CommandResult result = fake.run(r);
      if (haltAfterStartOf != null && argv.contains(haltAfterStartOf)) {
        halted.countDown();
        if (haltJvm) {
          Runtime.getRuntime().halt(137);
        }
        haltForGood();
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      inStart.decrementAndGet();
    }
  }

  private static void haltForGood() {
    CountDownLatch never = new CountDownLatch(1);
    while (true) {
      try {
        never.await();
      } catch (InterruptedException ignored) {
        // a killed process does not come back either
      }
    }
  }

  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    commands.add(request.argv());
    return fake.start(request, listener);
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    return fake.readFile(path, offset);
  }

  @Override
  public void writeFile(
      String path,
      byte[] content,
      java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions) {
    fake.writeFile(path, content, permissions);
  }

  @Override
  public void createDirectories(String path) {
    fake.createDirectories(path);
  }

  @Override
  public void deleteFile(String path) {
    fake.deleteFile(path);
  }

  @Override
  public java.util.Optional<io.github.scompose.core.transport.FileStamp> stat(String path) {
    return fake.stat(path);
  }

  @Override
  public String temporaryDirectory() {
    return fake.temporaryDirectory();
  }

  @Override
  public String describe() {
    return "watching " + fake.describe();
  }

  @Override
  public void close() {
    fake.close();
  }
}
