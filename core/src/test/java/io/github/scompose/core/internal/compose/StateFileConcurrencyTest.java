package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StateFile} written by several threads and processes at once: no update lost, no write
 * failing, owner-only modes.
 */
class StateFileConcurrencyTest {

  static final int UPDATES = 40;

  @TempDir Path dir;

  static ProjectState state(int restarts) {
    return new ProjectState(
        "shop",
        "/home/u/shop",
        "1@host",
        Instant.parse("2026-01-01T00:00:00Z"),
        List.of(
            new ProjectState.Entry(
                "worker", "shop-worker-1", 1, 0, "/x.sif", 7, "", restarts, "abc")));
  }

  /** One more restart of the only instance, under the lock. */
  static void increment(Path file) {
    StateFile.update(
        file,
        st -> {
          ProjectState.Entry e = st.instances().get(0);
          return new ProjectState(
              st.project(),
              st.directory(),
              st.session(),
              st.updatedAt(),
              List.of(
                  new ProjectState.Entry(
                      e.service(),
                      e.name(),
                      e.replica(),
                      e.level(),
                      e.image(),
                      e.pid(),
                      e.ip(),
                      e.restarts() + 1,
                      e.config())));
        });
  }

  /**
   * A second writer process: {@code STATE_FILE GO_FILE READY_FILE}; waits until {@code GO_FILE}
   * exists, then increments {@value #UPDATES} times.
   */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Path go = Path.of(args[1]);
    Files.createFile(Path.of(args[2]));
    while (!Files.exists(go)) {
      Thread.sleep(1); // wait-until: another JVM starting
    }
    for (int i = 0; i < UPDATES; i++) {
      increment(file);
    }
  }

  @Test
  @Timeout(120)
  void twoThreadsAndTwoProcessesLoseNoUpdate() throws Exception {
    Path stateDirectory = dir.resolve(".scompose");
    Path file = StateFile.in(stateDirectory);
    StateFile.write(file, state(0));
    Path go = dir.resolve("go");
    List<Process> writers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      writers.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  StateFileConcurrencyTest.class.getName(),
                  file.toString(),
                  go.toString(),
                  dir.resolve("ready-" + p).toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("writer-" + p + ".log").toFile())
              .start());
    }
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < UPDATES; i++) {
                    increment(file);
                  }
                  return null;
                }));
      }
      while (!(Files.exists(dir.resolve("ready-0")) && Files.exists(dir.resolve("ready-1")))) {
        assertTrue(writers.stream().allMatch(Process::isAlive), "a writer died early");
        Thread.sleep(1); // wait-until: another JVM starting
      }
      Files.createFile(go);
      start.countDown();
      for (Future<?> f : done) {
        f.get(); // a failed update fails the test here
      }
      for (int p = 0; p < 2; p++) {
        assertTrue(writers.get(p).waitFor(60, TimeUnit.SECONDS));
        assertEquals(
            0,
            writers.get(p).exitValue(),
            () -> {
              try {
                return Files.readString(dir.resolve("writer-0.log"))
                    + Files.readString(dir.resolve("writer-1.log"));
              } catch (IOException e) {
                return e.toString();
              }
            });
      }
    } finally {
      threads.shutdownNow();
      writers.forEach(Process::destroyForcibly);
    }
    assertEquals(4 * UPDATES, StateFile.read(file).orElseThrow().instances().get(0).restarts());
    try (Stream<Path> left = Files.list(stateDirectory)) {
      assertEquals(
          List.of("lock", "state.json"),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  @Timeout(60)
  void concurrentWritesNeverFailAndLeaveOneWholeFile() throws Exception {
    Path file = StateFile.in(dir.resolve(".scompose"));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int n = t;
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 100; i++) {
                    StateFile.write(file, state(n * 1000 + i));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    int last = StateFile.read(file).orElseThrow().instances().get(0).restarts();
    assertEquals(99, last % 1000, "the last write of some thread");
    try (Stream<Path> left = Files.list(file.getParent())) {
      assertEquals(List.of("state.json"), left.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void theStateFileIsOwnerOnlyInAnOwnerOnlyFolder() throws IOException {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "SKIPPED: no POSIX permissions on this file system");
    Path file = StateFile.in(dir.resolve("project/.scompose"));
    StateFile.write(file, state(0));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    increment(file);
    assertEquals(1, StateFile.read(file).orElseThrow().instances().get(0).restarts());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(file.resolveSibling(StateDirectoryLock.NAME))));
  }

  @Test
  void anUpdateWithoutAStateFileWritesNothing() {
    Path file = StateFile.in(dir.resolve("gone/.scompose"));
    increment(file);
    assertFalse(Files.exists(file.getParent()), "a project taken down stays down");
    Path present = StateFile.in(dir.resolve(".scompose"));
    StateFile.write(present, state(0));
    StateFile.delete(present);
    increment(present);
    assertFalse(Files.exists(present));
  }
}
