package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.ImageCache;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-user image cache (issue 14): one {@code pull} per reference, also for two threads asking
 * at once; safe file names; the temporary file and atomic rename with a local binary (the
 * out-of-process emulator).
 */
class ImageCacheOnFakeRuntimeTest {

  @TempDir Path dir;
  private FakeRuntime fake;

  @AfterEach
  void closeFake() {
    if (fake != null) {
      fake.close();
    }
  }

  private SingularityClient client(Transport transport) {
    return SingularityClient.builder()
        .transport(transport)
        .binary(
            BinaryLocator.builder()
                .explicitPath(FakeDialect.SINGULARITY_CE_3_4.program())
                .build()
                .locate(transport))
        .hostIdentity(HostIdentity.of("/home/tester", "fakehost", "tester"))
        .build();
  }

  private WatchingTransport watched() {
    fake = FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).build();
    return new WatchingTransport(fake.transport());
  }

  @Test
  void twoGetsOfOneReferencePullOnce() {
    WatchingTransport transport = watched();
    ImageCache cache = ImageCache.in(dir.resolve("images"));
    Path first = cache.get(client(transport), "docker://redis:7-alpine");
    Path second = cache.get(client(transport), "docker://redis:7-alpine");
    assertEquals(first, second);
    assertEquals(cache.path("docker://redis:7-alpine"), first);
    assertEquals(1, transport.count("pull"), "pull calls: " + transport.commands);
    assertTrue(cache.lookup(client(transport), "docker://redis:7-alpine").isPresent());
    // another reference is another entry
    Path other = cache.get(client(transport), "docker://redis:7");
    assertNotEquals(first, other);
    assertEquals(2, transport.count("pull"));
  }

  @Test
  void twoThreadsAskingAtOncePullOnce() throws Exception {
    WatchingTransport transport = watched();
    CountDownLatch pulling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    transport.rewrite =
        argv -> {
          if (argv.contains("pull")) {
            pulling.countDown();
            try {
              assertTrue(release.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return argv;
        };
    ImageCache cache = ImageCache.in(dir.resolve("images"));
    SingularityClient client = client(transport);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Path> a = pool.submit(() -> cache.get(client, "docker://busybox:1.36"));
      assertTrue(pulling.await(20, TimeUnit.SECONDS), "the first get pulls");
      Thread[] second = new Thread[1];
      CountDownLatch secondStarted = new CountDownLatch(1);
      Future<Path> b =
          pool.submit(
              () -> {
                second[0] = Thread.currentThread();
                secondStarted.countDown();
                return cache.get(client, "docker://busybox:1.36");
              });
      assertTrue(secondStarted.await(20, TimeUnit.SECONDS));
      // wait until the second get is blocked on the reference's lock, then let the pull finish
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (second[0].getState() != Thread.State.WAITING
          && second[0].getState() != Thread.State.BLOCKED) {
        assertTrue(System.nanoTime() < deadline, "the second get never waited");
        Thread.onSpinWait();
      }
      release.countDown();
      assertEquals(a.get(20, TimeUnit.SECONDS), b.get(20, TimeUnit.SECONDS));
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertEquals(1, transport.count("pull"), "pull calls: " + transport.commands);
  }

  @Test
  void aFailedPullCachesNothing() {
    WatchingTransport transport = watched();
    ImageCache cache = ImageCache.in(dir.resolve("images"));
    assertThrows(RuntimeException.class, () -> cache.get(client(transport), "nosuch://image"));
    assertTrue(cache.lookup(client(transport), "nosuch://image").isEmpty());
  }

  @Test
  void fileNamesAreSafeAndDistinct() {
    List<String> refs =
        List.of(
            "docker://redis:7-alpine",
            "docker://library/redis:7-alpine",
            "docker://a/b",
            "docker://a_b",
            "../../etc/passwd",
            ".hidden",
            "-rf",
            "library://x/y/z:" + "v".repeat(300),
            "oras://ghcr.io/org/img@sha256:" + "0".repeat(64));
    List<String> names = refs.stream().map(ImageCache::fileName).toList();
    for (String n : names) {
      assertTrue(n.matches("[A-Za-z0-9_][A-Za-z0-9._-]*\\.sif"), n);
      assertTrue(n.length() <= ImageCache.MAX_READABLE_LENGTH + 21, n);
    }
    assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    assertEquals(
        "docker___redis_7-alpine-",
        ImageCache.fileName("docker://redis:7-alpine").substring(0, 24));
    assertThrows(IllegalArgumentException.class, () -> ImageCache.fileName(" "));
  }

  @Test
  void defaultDirectoryFollowsXdgCacheHome() {
    assertEquals(
        Path.of("/xdg/cache/scompose/images"),
        ImageCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/xdg/cache"), "/home/u"));
    assertEquals(
        Path.of("/home/u/.cache/scompose/images"),
        ImageCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"));
    assertEquals(
        Path.of("/home/u/.cache/scompose/images"),
        ImageCache.defaultDirectory(Map.of(), "/home/u"));
  }

  @Test
  void aLocalBinaryPullsToATemporaryFileRenamedOntoTheCachedName() throws Exception {
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .stateDirectory(dir.resolve("state"))
            .build();
    Path program = fake.installExecutable(dir.resolve("bin"), "singularity");
    Transport transport = LocalProcessTransport.create();
    SingularityClient client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                BinaryLocator.builder().explicitPath(program.toString()).build().locate(transport))
            .hostIdentity(HostIdentity.of("/home/tester", "fakehost", "tester"))
            .build();
    ImageCache cache = ImageCache.in(dir.resolve("images"));
    Path file = cache.get(client, "docker://alpine:3.19");
    assertTrue(Files.isRegularFile(file), file.toString());
    try (Stream<Path> listed = Files.list(cache.directory())) {
      List<String> left = listed.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of(file.getFileName().toString(), file.getFileName() + ".lock"), left);
    }
    // a second get finds it: no new pull, so the file is the same one
    Files.setLastModifiedTime(file, FileTime.fromMillis(0));
    assertEquals(file, cache.get(client, "docker://alpine:3.19"));
    assertEquals(0, Files.getLastModifiedTime(file).toMillis());
    assertFalse(Files.exists(cache.directory().resolve(".partial")));
  }
}
