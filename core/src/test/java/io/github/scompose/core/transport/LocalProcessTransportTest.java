package io.github.scompose.core.transport;

import static io.github.scompose.core.transport.ProcessWatch.gone;
import static io.github.scompose.core.transport.ProcessWatch.pids;
import static io.github.scompose.core.transport.ProcessWatch.running;
import static io.github.scompose.core.transport.ProcessWatch.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final LocalProcessTransport transport =
      LocalProcessTransport.builder().killGracePeriod(Duration.ofMillis(300)).build();

  @TempDir Path tmp;

  private static CommandRequest.Builder sh(String script, String... args) {
    return CommandRequest.builder().addArgv("sh", "-c", script, "sh").addArgv(args);
  }

  @Test
  void theDefaultStatReadsPosixPermissionsFollowingLinks() throws IOException {
    Path secret = Files.writeString(tmp.resolve("db password"), "x");
    Files.setPosixFilePermissions(
        secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), secret);
    FileStamp s = transport.stat(link.toString()).orElseThrow();
    assertEquals(
        Optional.of(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----")),
        s.permissions());
    assertFalse(s.ownerOnly());
    Files.setPosixFilePermissions(
        secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertTrue(transport.stat(secret.toString()).orElseThrow().ownerOnly());
  }

  @Test
  void theDefaultStatReadsSizeAndModificationTimeHereAndIsEmptyWhenMissing() throws IOException {
    Path image = Files.write(tmp.resolve("a b.sif"), new byte[77]);
    java.time.Instant t = java.time.Instant.parse("2025-06-07T08:09:10.250Z");
    Files.setLastModifiedTime(image, java.nio.file.attribute.FileTime.from(t));
    assertEquals(Optional.of(FileStamp.of(77, t)), transport.stat(image.toString()));
    Files.setLastModifiedTime(image, java.nio.file.attribute.FileTime.from(t.plusSeconds(1)));
    assertEquals(t.plusSeconds(1), transport.stat(image.toString()).orElseThrow().modified());
    assertTrue(transport.stat(tmp.toString()).isPresent(), "a sandbox directory has a stamp");
    assertEquals(Optional.empty(), transport.stat(tmp.resolve("missing.sif").toString()));
  }

  @Test
  void exitCodesAndBothStreamsAreReported() {
    CommandResult ok = transport.run(CommandRequest.of("true"));
    assertEquals(0, ok.exitCode());
    assertTrue(ok.succeeded());

    CommandResult failed = transport.run(sh("echo out; echo err >&2; exit 7").build());
    assertEquals(7, failed.exitCode());
    assertFalse(failed.succeeded());
    assertEquals("out\n", failed.stdout());
    assertEquals("err\n", failed.stderr());
    assertEquals(List.of("sh", "-c", "echo out; echo err >&2; exit 7", "sh"), failed.argv());
    assertFalse(failed.duration().isNegative());
  }

  @Test
  void argvIsNotInterpretedByAShell() {
    String tricky = "$HOME `id` ; rm -rf / 'quoted' \"double\" \n end";
    CommandResult result = transport.run(CommandRequest.of("printf", "%s", tricky));
    assertEquals(tricky, result.stdout());
  }

  @Test
  void stdinIsFedAndClosed() {
    byte[] input = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
    CommandResult result =
        transport.run(CommandRequest.builder().addArgv("cat").stdin(input).build());
    assertEquals("line one\nline two\n", result.stdout());

    // no stdin given: the child reads end-of-file at once instead of hanging
    assertEquals("", transport.run(CommandRequest.of("cat")).stdout());
  }

  @Test
  void largeStdinWhileTheChildWritesAsMuchBackDoesNotDeadlock() {
    byte[] input = new byte[8 * 1024 * 1024];
    Arrays.fill(input, (byte) 'x');
    CommandResult result =
        transport.run(CommandRequest.builder().addArgv("cat").stdin(input).build());
    assertEquals(input.length, result.stdout().length());
  }

  @Test
  void environmentIsAddedAndRemoved() {
    CommandResult result =
        transport.run(
            sh("printf '%s|%s' \"$SCOMPOSE_TEST_VALUE\" \"${HOME-unset}\"")
                .putEnvironment("SCOMPOSE_TEST_VALUE", "a b $c 'd'")
                .addRemoveEnvironment("HOME")
                .build());
    assertEquals("a b $c 'd'|unset", result.stdout());
  }

  @Test
  void workingDirectoryIsUsed() throws IOException {
    CommandResult result =
        transport.run(
            CommandRequest.builder().addArgv("pwd").workingDirectory(tmp.toString()).build());
    assertEquals(tmp.toRealPath().toString(), result.stdout().trim());

    TransportException e =
        assertThrows(
            TransportException.class,
            () ->
                transport.run(
                    CommandRequest.builder()
                        .addArgv("pwd")
                        .workingDirectory(tmp.resolve("absent").toString())
                        .build()));
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
  }

  @Test
  void fiftyMegabytesOnEachStreamAreDrainedConcurrently() {
    int size = 50 * 1024 * 1024;
    CommandResult result =
        transport.run(
            sh(
                    "head -c \"$1\" /dev/zero >&2 & head -c \"$1\" /dev/zero; wait",
                    Integer.toString(size))
                .build());
    assertEquals(0, result.exitCode());
    assertEquals(size, result.stdout().length());
    assertEquals(size, result.stderr().length());
  }

  @Test
  void programNotFoundNamesTheProgramAndPath() {
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> transport.run(CommandRequest.of("scompose-no-such-program-42", "x")));
    assertTrue(e.getMessage().contains("scompose-no-such-program-42"), e.getMessage());
    assertTrue(e.getMessage().contains("PATH="), e.getMessage());
  }

  @Test
  void timeoutKillsTheWholeTreeAndLeavesNoZombie() throws Exception {
    Path pidFile = tmp.resolve("pids");
    CommandRequest request =
        sh(
                "echo $$ > \"$1\"; sleep 300 & echo $! >> \"$1\"; "
                    + "sh -c 'sleep 300 & echo $! >> \"$1\"; wait' inner \"$1\" & echo $! >> \"$1\"; wait",
                pidFile.toString())
            .timeout(Duration.ofMillis(1500))
            .build();

    CommandTimeoutException e =
        assertThrows(CommandTimeoutException.class, () -> transport.run(request));
    assertEquals(Duration.ofMillis(1500), e.timeout());
    assertEquals(request.argv(), e.argv());

    List<Long> tree = pids(pidFile, 4);
    for (long pid : tree) {
      assertFalse(running(pid), "process " + pid + " of the tree survived");
    }
    // the direct child has been reaped: no zombie left behind
    assertTrue(gone(tree.get(0)), "direct child " + tree.get(0) + " is still in /proc");
  }

  @Test
  void aChildIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    Path pidFile = tmp.resolve("pids");
    CommandRequest request =
        sh(
                "trap '' TERM; sleep 300 & echo $! > \"$1\"; echo $$ >> \"$1\"; wait",
                pidFile.toString())
            .timeout(Duration.ofMillis(1000))
            .build();

    assertThrows(CommandTimeoutException.class, () -> transport.run(request));

    for (long pid : pids(pidFile, 2)) {
      assertFalse(running(pid), "process " + pid + " ignoring SIGTERM survived");
    }
  }

  @Test
  void anInterruptedCallerGetsATransportExceptionAndTheProcessIsKilled() throws Exception {
    Path pidFile = tmp.resolve("pids");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagSetAgain = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                transport.run(
                    sh("echo $$ > \"$1\"; sleep 300 & echo $! >> \"$1\"; wait", pidFile.toString())
                        .build());
              } catch (Throwable t) {
                thrown.set(t);
                flagSetAgain.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    List<Long> tree = pids(pidFile, 2);
    caller.interrupt();
    caller.join(WAIT.toMillis());

    assertFalse(caller.isAlive(), "the interrupted caller is still blocked");
    assertInstanceOf(TransportException.class, thrown.get());
    assertFalse(thrown.get() instanceof CommandTimeoutException);
    assertTrue(flagSetAgain.get(), "interrupt flag not restored");
    for (long pid : tree) {
      assertTrue(
          waitUntil(() -> !running(pid), WAIT), "process " + pid + " survived the interrupt");
    }
  }

  @Test
  void startStreamsLinesAsTheyCome() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    List<String> err = new CopyOnWriteArrayList<>();
    RunningCommand command =
        transport.start(
            sh("echo one; echo warn >&2; printf 'two\\r\\nthree'; exit 4").build(),
            new OutputListener() {
              @Override
              public void onStdout(String line) {
                out.add(line);
              }

              @Override
              public void onStderr(String line) {
                err.add(line);
              }
            });
    CommandResult result = command.completion().get(20, TimeUnit.SECONDS);
    assertEquals(4, result.exitCode());
    assertEquals(List.of("one", "two", "three"), out);
    assertEquals(List.of("warn"), err);
    assertEquals("", result.stdout());
    assertFalse(command.isAlive());
  }

  @Test
  void startDeliversAMillionLinesInOrder() throws Exception {
    List<String> last = new ArrayList<>();
    long[] count = {0};
    RunningCommand command =
        transport.start(
            CommandRequest.of("seq", "1", "1000000"),
            new OutputListener() {
              @Override
              public synchronized void onStdout(String line) {
                count[0]++;
                last.clear();
                last.add(line);
              }

              @Override
              public void onStderr(String line) {}
            });
    assertEquals(0, command.completion().get(60, TimeUnit.SECONDS).exitCode());
    synchronized (command) {
      assertEquals(1_000_000L, count[0]);
      assertEquals(List.of("1000000"), last);
    }
  }

  @Test
  void cancelKillsTheStreamedTree() throws Exception {
    CountDownLatch twoPids = new CountDownLatch(2);
    List<Long> pids = new CopyOnWriteArrayList<>();
    RunningCommand command =
        transport.start(
            sh("echo $$; sleep 300 & echo $!; wait").build(),
            new OutputListener() {
              @Override
              public void onStdout(String line) {
                pids.add(Long.parseLong(line.trim()));
                twoPids.countDown();
              }

              @Override
              public void onStderr(String line) {}
            });
    assertTrue(twoPids.await(20, TimeUnit.SECONDS));
    assertTrue(command.isAlive());

    command.cancel();
    command.cancel(); // idempotent

    CommandResult result = command.completion().get(20, TimeUnit.SECONDS);
    assertEquals(128 + 15, result.exitCode(), "killed by SIGTERM");
    for (long pid : pids) {
      assertTrue(waitUntil(() -> !running(pid), WAIT), "process " + pid + " survived cancel");
    }
    assertFalse(command.isAlive());
  }

  @Test
  void startTimesOutExceptionally() throws Exception {
    RunningCommand command =
        transport.start(
            CommandRequest.builder()
                .addArgv("sleep", "300")
                .timeout(Duration.ofMillis(300))
                .build(),
            OutputListener.discarding());
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> command.completion().get(20, TimeUnit.SECONDS));
    assertInstanceOf(CommandTimeoutException.class, e.getCause());
    assertFalse(command.isAlive());
  }

  @Test
  void startOfAMissingProgramThrowsAtOnce() {
    assertThrows(
        TransportException.class,
        () ->
            transport.start(
                CommandRequest.of("scompose-no-such-program-42"), OutputListener.discarding()));
  }

  @Test
  void readFileFromAnOffset() throws IOException {
    Path file = tmp.resolve("log.out");
    Files.write(file, "hello world".getBytes(StandardCharsets.UTF_8));

    assertArrayEquals(bytes("hello world"), transport.readFile(file.toString(), 0).orElseThrow());
    assertArrayEquals(bytes("world"), transport.readFile(file.toString(), 6).orElseThrow());
    assertArrayEquals(new byte[0], transport.readFile(file.toString(), 11).orElseThrow());
    assertArrayEquals(new byte[0], transport.readFile(file.toString(), 1000).orElseThrow());
    assertEquals(Optional.empty(), transport.readFile(tmp.resolve("absent").toString(), 0));
    assertThrows(IllegalArgumentException.class, () -> transport.readFile(file.toString(), -1));
  }

  @Test
  void manyThreadsShareOneTransport() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String value = "call-" + i;
        results.add(pool.submit(() -> transport.run(CommandRequest.of("echo", value)).stdout()));
      }
      for (int i = 0; i < 40; i++) {
        assertEquals("call-" + i + "\n", results.get(i).get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void describesItselfAsLocal() {
    assertEquals("local", transport.describe());
    transport.close();
    transport.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void defaultWriteFileIsAtomicWithTheModeAndCreatesParents() throws IOException {
    try (LocalProcessTransport t = LocalProcessTransport.create()) {
      Path target = tmp.resolve("state/sub/resolv.conf");
      t.writeFile(
          target.toString(),
          "nameserver 1.1.1.1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
      assertEquals("nameserver 1.1.1.1\n", Files.readString(target));
      assertEquals(
          "rw-r-----",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(target)));
      t.writeFile(
          target.toString(),
          "nameserver 9.9.9.9\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      assertEquals("nameserver 9.9.9.9\n", Files.readString(target));
      try (java.util.stream.Stream<Path> files = Files.list(target.getParent())) {
        assertEquals(List.of(target), files.toList());
      }
      // a directory in the way: an error, and the directory is untouched
      Files.createDirectories(tmp.resolve("taken"));
      assertThrows(
          TransportException.class,
          () ->
              t.writeFile(
                  tmp.resolve("taken").toString(),
                  new byte[] {1},
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
      assertTrue(Files.isDirectory(tmp.resolve("taken")));
    }
  }

  @Test
  void theDefaultFileOperationsActOnThisMachine(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    try (LocalProcessTransport t = LocalProcessTransport.create()) {
      Path nested = tmp.resolve("a b").resolve("c");
      t.createDirectories(nested.toString());
      t.createDirectories(nested.toString());
      assertTrue(Files.isDirectory(nested));
      Path file = Files.writeString(nested.resolve("f"), "x");
      t.deleteFile(file.toString());
      t.deleteFile(file.toString());
      assertFalse(Files.exists(file));
      assertThrows(
          TransportException.class,
          () -> t.createDirectories(Files.writeString(tmp.resolve("plain"), "x") + "/sub"));
      assertEquals(
          Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString(),
          t.temporaryDirectory());
    }
  }
}
