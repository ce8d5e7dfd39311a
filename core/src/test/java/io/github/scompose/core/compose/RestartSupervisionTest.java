package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.internal.compose.EngineSettings;
import io.github.scompose.core.internal.compose.Events;
import io.github.scompose.core.internal.compose.InstanceRecords;
import io.github.scompose.core.internal.compose.ProjectState;
import io.github.scompose.core.internal.compose.StateFile;
import io.github.scompose.core.internal.compose.Supervision;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart supervision against the project's files written by other processes: a {@code down}, an
 * {@code up} of another session, a state file without the instance, a stop mark written while the
 * round lists.
 */
class RestartSupervisionTest {

  @TempDir Path dir;
  final RecordingTransport runtime = new RecordingTransport();
  final ListHook transport = new ListHook(runtime);
  final ExecutorService pool = Executors.newCachedThreadPool();
  final ComposeEngineTest.ManualClock clock = new ComposeEngineTest.ManualClock();

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  SingularityClient client() {
    return SingularityClient.builder()
        .transport(transport)
        .binary(ReferenceToolUpPlanTest.V342)
        .hostIdentity(HostIdentity.of("/home/u", "host", "u"))
        .clock(clock)
        .sleeper(clock::sleep)
        .build();
  }

  Compose.Builder engine() {
    return Compose.builder()
        .client(client())
        .executor(pool)
        .parallelism(4)
        .clock(clock)
        .sleeper(clock::sleep)
        .goneWait(Duration.ofSeconds(5))
        .supervisionInterval(Duration.ZERO)
        .networkPlanner(NetworkPlanner.create());
  }

  static ServiceSpec always(String name) {
    return UpPlannerTest.service(name)
        .withRestart(RestartPolicy.builder().condition(RestartPolicy.Condition.ALWAYS).build());
  }

  ComposeProject project(ServiceSpec... services) {
    return ComposeProject.builder()
        .name("shop")
        .directory(dir)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(services)
        .build();
  }

  Path stateDirectory() {
    return dir.resolve(".scompose");
  }

  Supervision supervision(UpPlan plan) {
    return new Supervision(
        new EngineSettings(
            client(),
            pool,
            4,
            List.of(),
            clock,
            clock::sleep,
            3,
            20,
            Optional.empty(),
            Optional.empty(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10)),
        plan,
        new Events("shop", List.of(), clock));
  }

  @Test
  void aDownFromAnotherProcessEndsSupervision() {
    Compose compose = engine().build();
    UpPlan plan = compose.plan(project(always("worker")));
    try (ComposeStack stack = compose.up(plan)) {
      Supervision own = supervision(plan);
      runtime.running.remove("shop-worker-1");
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce(), "supervised while up");

      assertEquals(List.of("shop-worker-1"), engine().build().down(dir)); // another process
      assertFalse(runtime.running.containsKey("shop-worker-1"));
      assertEquals(List.of(), stack.superviseOnce());
      assertEquals(List.of(), own.pollOnce());
      assertTrue(own.stopped(), "the loop ends with it");
      assertFalse(runtime.running.containsKey("shop-worker-1"), "down stays down");
      assertEquals(2, runtime.startCalls.get("shop-worker-1"), "up, then one restart before down");
    }
  }

  @Test
  void aRestartRacingWithADownElsewhereIsStoppedWhenTheStateIsGone() {
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(project(always("worker"), always("cron")))) {
      // another process's down stopped worker; its state file is not deleted yet
      runtime.running.remove("shop-worker-1");
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      // then it stops cron and deletes the state file (worker, restarted meanwhile, still runs)
      runtime.running.remove("shop-cron-1");
      StateFile.delete(StateFile.in(stateDirectory()));
      InstanceRecords.delete(stateDirectory());
      assertEquals(List.of(), stack.superviseOnce());
      assertFalse(runtime.running.containsKey("shop-worker-1"), "nothing outlives the project");
      assertFalse(runtime.running.containsKey("shop-cron-1"));
      assertEquals(List.of(), stack.superviseOnce());
      assertTrue(runtime.running.isEmpty());
    }
  }

  @Test
  void anUpOfAnotherSessionEndsSupervision() {
    Compose compose = engine().build();
    UpPlan plan = compose.plan(project(always("worker")));
    try (ComposeStack stack = compose.up(plan)) {
      Supervision own = supervision(plan);
      Path file = StateFile.in(stateDirectory());
      ProjectState st = StateFile.read(file).orElseThrow();
      StateFile.write(
          file,
          new ProjectState(
              st.project(), st.directory(), "4242@elsewhere", st.updatedAt(), st.instances()));
      runtime.running.remove("shop-worker-1");
      assertEquals(List.of(), stack.superviseOnce());
      assertEquals(List.of(), own.pollOnce());
      assertTrue(own.stopped());
      assertFalse(runtime.running.containsKey("shop-worker-1"));
    }
  }

  @Test
  void anInstanceTheStateNoLongerRecordsIsNotRestarted() {
    Compose compose = engine().build();
    UpPlan plan = compose.plan(project(always("worker"), always("cron")));
    try (ComposeStack stack = compose.up(plan)) {
      Path file = StateFile.in(stateDirectory());
      ProjectState st = StateFile.read(file).orElseThrow();
      List<ProjectState.Entry> kept = new ArrayList<>(st.instances());
      kept.removeIf(e -> e.name().equals("shop-worker-1"));
      StateFile.write(
          file, new ProjectState(st.project(), st.directory(), st.session(), st.updatedAt(), kept));
      runtime.running.remove("shop-worker-1");
      runtime.running.remove("shop-cron-1");
      assertEquals(List.of("shop-cron-1"), stack.superviseOnce());
      assertFalse(runtime.running.containsKey("shop-worker-1"));

      // with none of its instances recorded, supervision ends
      StateFile.write(
          file,
          new ProjectState(st.project(), st.directory(), st.session(), st.updatedAt(), List.of()));
      Supervision own = supervision(plan);
      runtime.running.remove("shop-cron-1");
      assertEquals(List.of(), own.pollOnce());
      assertTrue(own.stopped());
    }
  }

  @Test
  void aStopMarkWrittenWhileTheRoundListsIsHonoured() {
    Compose compose = engine().build();
    try (ComposeStack stack = compose.up(project(always("worker")))) {
      // another process's stop: the mark, then the instance stop, just before our listing
      transport.beforeNextList =
          () -> {
            InstanceRecords.write(
                stateDirectory(),
                InstanceRecords.read(stateDirectory())
                    .orElseThrow()
                    .withStopped(Set.of("shop-worker-1"), true));
            runtime.running.remove("shop-worker-1");
          };
      assertEquals(List.of(), stack.superviseOnce());
      assertFalse(runtime.running.containsKey("shop-worker-1"), "stopped by the user stays so");
      assertEquals(List.of(), stack.superviseOnce());
      assertFalse(runtime.running.containsKey("shop-worker-1"));
    }
  }

  @Test
  void theSupervisionLoopEndsWhenTheProjectIsDownElsewhere() throws Exception {
    Duration interval = Duration.ofMillis(7);
    // the loop runs on a thread of its own or as a task of the executor: either ending counts
    CountDownLatch taskEnded = new CountDownLatch(1);
    CountDownLatch polled = new CountDownLatch(2);
    AtomicReference<Thread> loop = new AtomicReference<>();
    ThreadLocal<Boolean> isLoop = ThreadLocal.withInitial(() -> false);
    Executor tracking =
        r ->
            pool.execute(
                () -> {
                  r.run();
                  if (isLoop.get()) {
                    isLoop.remove();
                    taskEnded.countDown();
                  }
                });
    Compose compose =
        engine()
            .executor(tracking)
            .sleeper(
                d -> {
                  if (d.equals(interval)) {
                    isLoop.set(true);
                    loop.set(Thread.currentThread());
                    polled.countDown();
                    Thread.sleep(1);
                  }
                  clock.sleep(d);
                })
            .supervisionInterval(interval)
            .build();
    try (ComposeStack stack = compose.up(project(always("worker")))) {
      assertTrue(polled.await(30, TimeUnit.SECONDS), "the loop polls");
      engine().build().down(dir);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // hang guard only
      while (loop.get().isAlive() && taskEnded.getCount() > 0 && System.nanoTime() < deadline) {
        loop.get().join(10); // wait-until the loop's thread or task ends
      }
      assertTrue(
          !loop.get().isAlive() || taskEnded.getCount() == 0, "the loop ended without the handle");
    }
  }

  /** Runs a hook right before the next {@code instance list} (another process acting then). */
  static final class ListHook implements Transport {
    private final Transport inner;
    volatile Runnable beforeNextList;

    ListHook(Transport inner) {
      this.inner = inner;
    }

    @Override
    public CommandResult run(CommandRequest request) {
      Runnable hook = beforeNextList;
      if (hook != null && request.argv().contains("instance") && request.argv().contains("list")) {
        beforeNextList = null;
        hook.run();
      }
      return inner.run(request);
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      return inner.start(request, listener);
    }

    @Override
    public Optional<byte[]> readFile(String path, long offset) {
      return inner.readFile(path, offset);
    }

    @Override
    public void writeFile(
        String path, byte[] content, Set<java.nio.file.attribute.PosixFilePermission> permissions) {
      inner.writeFile(path, content, permissions);
    }

    @Override
    public void createDirectories(String path) {
      inner.createDirectories(path);
    }

    @Override
    public void deleteFile(String path) {
      inner.deleteFile(path);
    }

    @Override
    public java.util.Optional<io.github.scompose.core.transport.FileStamp> stat(String path) {
      return inner.stat(path);
    }

    @Override
    public String temporaryDirectory() {
      return inner.temporaryDirectory();
    }

    @Override
    public String describe() {
      return inner.describe();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
