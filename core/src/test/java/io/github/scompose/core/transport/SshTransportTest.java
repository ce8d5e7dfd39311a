package io.github.scompose.core.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.internal.transport.SshRemoteFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SshTransport} against a real OpenSSH server on 127.0.0.1 ({@link ThrowawaySshd}: a
 * throwaway host key and user key on a free port, as the current user). Skipped (with the reason)
 * when {@code /usr/sbin/sshd} is not installed (Debian: {@code apt-get install openssh-server}).
 */
class SshTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ThrowawaySshd server;
  private static Path dir;
  private static int port;
  private static String user;

  private SshTransport transport;

  @BeforeAll
  static void startSshd() throws Exception {
    server = ThrowawaySshd.startOrSkip();
    dir = server.directory();
    port = server.port();
    user = server.user();
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connect() {
    transport = SshTransport.create(config().build());
  }

  @AfterEach
  void disconnect() {
    transport.close();
  }

  private static SshConfig.Builder config() {
    return server.config();
  }

  @Test
  void runsAnArgvWithExitCodeAndBothStreams() {
    CommandRequest request = CommandRequest.of("sh", "-c", "echo out; echo err >&2; exit 3");
    CommandResult result = transport.run(request);
    assertEquals(3, result.exitCode());
    assertEquals("out\n", result.stdout());
    assertEquals("err\n", result.stderr());
    assertEquals(request.argv(), result.argv());
  }

  @Test
  void argvReachesTheRemoteProgramUnchanged() {
    List<String> words =
        List.of("a b", "it's", "$HOME", "`id`", "x\ny", "\"q\"", "; rm -rf /", "ü € 😀", "", "-n");
    StringBuilder expected = new StringBuilder();
    words.forEach(w -> expected.append(w).append('|'));
    CommandResult result =
        transport.run(CommandRequest.builder().addArgv("printf", "%s|").addAllArgv(words).build());
    assertEquals(expected.toString(), result.stdout());
  }

  @Test
  void environmentValuesReachTheCommandButNoCommandLine() {
    String secret = "s3cr3t-" + UUID.randomUUID();
    CommandRequest request =
        CommandRequest.builder()
            .addArgv(
                "sh",
                "-c",
                // the value as the command sees it, then every command line on this host (the
                // server is local: this covers sshd, the remote shell and the local ssh client)
                "printf '%s\\n' \"$SCOMPOSE_SECRET\"; "
                    + "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\"; echo; done")
            .putEnvironment("SCOMPOSE_SECRET", secret)
            .putEnvironment("SCOMPOSE_MULTILINE", "one\ntwo\\three")
            .build();

    // the command line this transport gives ssh
    assertFalse(
        String.join(" ", transport.sshRequest(request).argv()).contains(secret),
        "secret in the ssh argv");

    CommandResult result = transport.run(request);
    assertEquals(0, result.exitCode(), result.stderr());
    String[] lines = result.stdout().split("\n", 2);
    assertEquals(secret, lines[0]);
    assertTrue(lines[1].contains("SCOMPOSE_SECRET"), "the scan saw the remote shell line");
    assertFalse(lines[1].contains(secret), "secret visible in a process's command line");

    CommandResult multiline =
        transport.run(
            CommandRequest.builder()
                .addArgv("printenv", "SCOMPOSE_MULTILINE")
                .putEnvironment("SCOMPOSE_MULTILINE", "one\ntwo\\three")
                .build());
    assertEquals("one\ntwo\\three\n", multiline.stdout());
  }

  @Test
  void stdinFollowsTheEnvironmentUntouched() {
    byte[] input = "first\nsecond line\n\\n not an escape\n".getBytes(StandardCharsets.UTF_8);
    CommandResult result =
        transport.run(
            CommandRequest.builder()
                .addArgv("sh", "-c", "printf '%s:' \"$A\"; cat")
                .putEnvironment("A", "value")
                .stdin(input)
                .build());
    assertEquals("value:" + new String(input, StandardCharsets.UTF_8), result.stdout());

    assertEquals("", transport.run(CommandRequest.of("cat")).stdout(), "no stdin: EOF at once");
  }

  @Test
  void workingDirectoryAndRemovedVariables() {
    CommandResult result =
        transport.run(
            CommandRequest.builder()
                .addArgv("sh", "-c", "printf '%s|%s' \"$(pwd)\" \"${HOME-unset}\"")
                .workingDirectory(dir.toString())
                .addRemoveEnvironment("HOME")
                .build());
    assertEquals(dir + "|unset", result.stdout());
  }

  @Test
  void timeoutKillsTheRemoteCommandAndReportsTheRequestedArgv() throws Exception {
    Path pidFile = Files.createTempFile(dir, "pids", ".txt");
    CommandRequest request =
        CommandRequest.builder()
            .addArgv("sh", "-c", "sleep 300 & echo $! > \"$1\"; echo $$ >> \"$1\"; wait")
            .addArgv("sh", pidFile.toString())
            .timeout(Duration.ofMillis(1500))
            .build();
    CommandTimeoutException e =
        assertThrows(CommandTimeoutException.class, () -> transport.run(request));
    assertEquals(request.argv(), e.argv());
    // the server is this machine: the remote processes can be checked by PID
    for (long pid : ProcessWatch.pids(pidFile, 2)) {
      assertTrue(
          ProcessWatch.waitUntil(() -> !ProcessWatch.running(pid), WAIT),
          "remote process " + pid + " survived the timeout");
    }
    // the shared connection survives a killed command
    assertEquals("ok\n", transport.run(CommandRequest.of("echo", "ok")).stdout());
  }

  @Test
  void writeFileReplacesAtomicallyWithTheModeAndLeavesNoTemporaryFile() throws IOException {
    Path sub = dir.resolve("state dir's 'quoted' $HOME").resolve("etc.hosts");
    byte[] content =
        "10.22.0.2\tweb1\n127.0.0.1\tlocalhost\n$(touch /tmp/pwned)\n"
            .getBytes(StandardCharsets.UTF_8);
    transport.writeFile(
        sub.toString(),
        content,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertArrayEquals(content, Files.readAllBytes(sub));
    assertEquals(
        "rw-r--r--",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)));
    byte[] second = new byte[70_000];
    java.util.Arrays.fill(second, (byte) 'x');
    transport.writeFile(
        sub.toString(),
        second,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertArrayEquals(second, Files.readAllBytes(sub));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)));
    try (Stream<Path> files = Files.list(sub.getParent())) {
      assertEquals(List.of(sub), files.toList());
    }
  }

  @Test
  void writeFileIntoAFileAsDirectoryIsATransportException() throws IOException {
    Path blocker = dir.resolve("plainfile");
    Files.writeString(blocker, "x");
    assertThrows(
        TransportException.class,
        () ->
            transport.writeFile(
                blocker.resolve("etc.hosts").toString(),
                new byte[] {1},
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
    assertEquals("x", Files.readString(blocker));
  }

  @Test
  void createDirectoriesAndDeleteFileWorkOnTheRemoteHostWithHostileNames() throws IOException {
    Path volume = dir.resolve("vol's \"data\" $(touch pwned) ;x").resolve("a b").resolve("c");
    transport.createDirectories(volume.toString());
    assertTrue(Files.isDirectory(volume));
    transport.createDirectories(volume.toString()); // existing: fine
    assertFalse(Files.exists(dir.resolve("pwned")), "no shell expansion");
    Path blocker = Files.writeString(dir.resolve("plain"), "x");
    assertThrows(
        TransportException.class, () -> transport.createDirectories(blocker.toString() + "/sub"));

    Path file = Files.writeString(volume.resolve("-rf *"), "secret");
    transport.deleteFile(file.toString());
    assertFalse(Files.exists(file));
    assertTrue(Files.isDirectory(volume), "only the file went");
    transport.deleteFile(file.toString()); // missing: fine
  }

  @Test
  void statGivesTheRemoteOctalModeAsPermissionsFollowingLinks() throws IOException {
    Path secret = dir.resolve("secret 'pw' $(touch pwned)");
    Files.writeString(secret, "x");
    for (String mode : List.of("rw-------", "rw-r-----", "r--r--r--", "rwx---r-x", "---------")) {
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(mode));
      assertEquals(
          Optional.of(PosixFilePermissions.fromString(mode)),
          transport.stat(secret.toString()).orElseThrow().permissions(),
          mode);
    }
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    assertTrue(transport.stat(secret.toString()).orElseThrow().ownerOnly());
    Path link = dir.resolve("secret-link");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, secret);
    assertTrue(transport.stat(link.toString()).orElseThrow().ownerOnly(), "the target's mode");
    assertFalse(Files.exists(dir.resolve("pwned")), "no shell expansion");
  }

  @Test
  void statGivesSizeAndWholeSecondModificationTimeOfHostileNamesAndEmptyWhenMissing()
      throws IOException {
    Path image = dir.resolve("img's \"x\" $(touch pwned) ;y.sif");
    Files.write(image, new byte[1234]);
    Instant mtime = Instant.parse("2024-02-03T04:05:06Z");
    Files.setLastModifiedTime(image, FileTime.from(mtime.plusMillis(700)));
    assertEquals(Optional.of(FileStamp.of(1234, mtime)), transport.stat(image.toString()));
    assertFalse(Files.exists(dir.resolve("pwned")), "no shell expansion");

    Path sandbox = Files.createDirectories(dir.resolve("-sandbox dir"));
    Files.setLastModifiedTime(sandbox, FileTime.from(mtime));
    assertEquals(mtime, transport.stat(sandbox.toString()).orElseThrow().modified());

    Path link = dir.resolve("link.sif");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, image);
    assertEquals(1234, transport.stat(link.toString()).orElseThrow().size(), "followed");

    assertEquals(Optional.empty(), transport.stat(dir.resolve("missing.sif").toString()));
  }

  @Test
  void theTemporaryDirectoryIsTheRemoteOne() {
    String tmp = transport.temporaryDirectory();
    assertTrue(tmp.startsWith("/"), tmp);
    assertTrue(Files.isDirectory(Path.of(tmp)), tmp);
    assertEquals(tmp, transport.temporaryDirectory(), "remembered");
  }

  @Test
  void octalModes() {
    assertEquals(
        "644",
        SshRemoteFiles.octal(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
    assertEquals(
        "750",
        SshRemoteFiles.octal(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---")));
  }

  @Test
  void readFileReturnsBytesFromAnOffset() throws IOException {
    Path file = dir.resolve("instance.out");
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    Files.write(file, all);

    assertArrayEquals(all, transport.readFile(file.toString(), 0).orElseThrow());
    byte[] tail = new byte[6];
    System.arraycopy(all, 250, tail, 0, 6);
    assertArrayEquals(tail, transport.readFile(file.toString(), 250).orElseThrow());
    assertArrayEquals(new byte[0], transport.readFile(file.toString(), 256).orElseThrow());
    assertArrayEquals(new byte[0], transport.readFile(file.toString(), 9999).orElseThrow());
    assertEquals(Optional.empty(), transport.readFile(dir.resolve("absent").toString(), 0));
  }

  @Test
  void oneConnectionServesManyCommandsUntilClosed() throws Exception {
    long before = acceptedLogins();
    SshTransport fresh = SshTransport.create(config().build());
    try {
      for (int i = 0; i < 4; i++) {
        assertEquals(i + "\n", fresh.run(CommandRequest.of("echo", Integer.toString(i))).stdout());
      }
      assertTrue(ProcessWatch.waitUntil(() -> acceptedLogins() >= before + 1, WAIT));
      assertEquals(before + 1, acceptedLogins(), "commands after the first reuse its connection");
    } finally {
      fresh.close();
    }
    assertFalse(Files.exists(fresh.controlDirectory()), "control directory removed on close");
    fresh.close(); // idempotent
    assertThrows(TransportException.class, () -> fresh.run(CommandRequest.of("true")));
  }

  @Test
  void startStreamsLinesAndCancelKillsTheRemoteCommand() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    List<String> out = new CopyOnWriteArrayList<>();
    List<String> err = new CopyOnWriteArrayList<>();
    RunningCommand command =
        transport.start(
            CommandRequest.of("sh", "-c", "echo warn >&2; echo $$; exec sleep 300"),
            new OutputListener() {
              @Override
              public void onStdout(String line) {
                out.add(line);
                ready.countDown();
              }

              @Override
              public void onStderr(String line) {
                err.add(line);
              }
            });
    assertTrue(ready.await(20, TimeUnit.SECONDS));
    long remotePid = Long.parseLong(out.get(0));
    assertTrue(ProcessWatch.running(remotePid));
    // stdout and stderr travel as separate streams of the channel: the stdout line may come first,
    // and a line still in flight when the client is killed is lost, so wait for stderr's line
    assertTrue(
        ProcessWatch.waitUntil(() -> !err.isEmpty(), WAIT), "stderr line never arrived: " + err);
    assertEquals(List.of("warn"), err, "the PID announcement is taken off stderr");

    command.cancel();
    CommandResult result = command.completion().get(20, TimeUnit.SECONDS);
    assertEquals(128 + 15, result.exitCode());
    assertTrue(
        ProcessWatch.waitUntil(() -> !ProcessWatch.running(remotePid), WAIT),
        "remote process survived cancel");
    assertFalse(command.isAlive());
  }

  @Test
  void parallelFirstCommandsShareOneConnectionWithinMaxSessions() throws Exception {
    long before = acceptedLogins();
    // the server allows 5 sessions per connection (MaxSessions 5): with at most 4 at once the
    // transport never has one refused, which would make ssh open a connection of its own
    SshTransport fresh = SshTransport.create(config().maxSessions(4).build());
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<String>> outputs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String word = "w" + i;
        outputs.add(
            pool.submit(
                () ->
                    fresh.run(CommandRequest.of("sh", "-c", "sleep 0.2; echo " + word)).stdout()));
      }
      for (int i = 0; i < 12; i++) {
        assertEquals("w" + i + "\n", outputs.get(i).get(60, TimeUnit.SECONDS));
      }
      assertTrue(ProcessWatch.waitUntil(() -> acceptedLogins() >= before + 1, WAIT));
      assertEquals(before + 1, acceptedLogins(), "one handshake for all parallel commands");
    } finally {
      pool.shutdownNow();
      fresh.close();
    }
  }

  @Test
  void anInterruptedCallerGetsATransportExceptionAndTheRemoteCommandIsKilled() throws Exception {
    Path pidFile = Files.createTempFile(dir, "pids", ".txt");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                transport.run(
                    CommandRequest.of(
                        "sh", "-c", "echo $$ > \"$1\"; exec sleep 300", "sh", pidFile.toString()));
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    long remotePid = ProcessWatch.pids(pidFile, 1).get(0);
    caller.interrupt();
    caller.join(WAIT.toMillis());
    assertFalse(caller.isAlive());
    assertInstanceOf(TransportException.class, thrown.get());
    assertTrue(
        ProcessWatch.waitUntil(() -> !ProcessWatch.running(remotePid), WAIT),
        "remote process survived the interrupt");
  }

  @Test
  void aStreamedCommandTimesOutExceptionallyAndFreesItsSession() throws Exception {
    SshTransport single = SshTransport.create(config().maxSessions(1).build());
    try {
      RunningCommand command =
          single.start(
              CommandRequest.builder()
                  .addArgv("sleep", "300")
                  .timeout(Duration.ofMillis(800))
                  .build(),
              OutputListener.discarding());
      java.util.concurrent.ExecutionException e =
          assertThrows(
              java.util.concurrent.ExecutionException.class,
              () -> command.completion().get(30, TimeUnit.SECONDS));
      assertInstanceOf(CommandTimeoutException.class, e.getCause());
      // its only session slot is free again
      assertEquals("next\n", single.run(CommandRequest.of("echo", "next")).stdout());
    } finally {
      single.close();
    }
  }

  @Test
  void readFileAtOrPastTheEndUpToLongMaxValueIsEmptyAsLocally() throws IOException {
    Path file = dir.resolve("image.sif");
    Files.write(file, new byte[] {1, 2, 3});
    LocalProcessTransport local = LocalProcessTransport.create();
    // Long.MAX_VALUE is the "exists" probe of up's image steps: offset + 1 overflowed before
    for (long offset : new long[] {3, 4, 1L << 40, Long.MAX_VALUE - 1, Long.MAX_VALUE}) {
      assertArrayEquals(
          local.readFile(file.toString(), offset).orElseThrow(),
          transport.readFile(file.toString(), offset).orElseThrow(),
          "offset " + offset);
      assertArrayEquals(new byte[0], transport.readFile(file.toString(), offset).orElseThrow());
    }
    assertArrayEquals(new byte[] {3}, transport.readFile(file.toString(), 2).orElseThrow());
    assertEquals(
        Optional.empty(), transport.readFile(dir.resolve("absent").toString(), Long.MAX_VALUE));
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    assertArrayEquals(new byte[0], transport.readFile(empty.toString(), 0).orElseThrow());
  }

  @Test
  void readFileOfADirectoryIsATransportException() {
    TransportException e =
        assertThrows(TransportException.class, () -> transport.readFile(dir.toString(), 0));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void describeNamesUserHostAndPortOnly() {
    assertEquals("ssh " + user + "@127.0.0.1:" + port, transport.describe());
  }

  @Test
  void connectionFailureIsATransportException() throws Exception {
    SshTransport nowhere = SshTransport.create(config().port(freePort()).build());
    try {
      TransportException e =
          assertThrows(TransportException.class, () -> nowhere.run(CommandRequest.of("true")));
      assertTrue(e.getMessage().contains("exit 255"), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());

      TransportException streamed =
          assertThrows(
              TransportException.class,
              () -> nowhere.start(CommandRequest.of("true"), OutputListener.discarding()));
      assertTrue(streamed.getMessage().contains("exit 255"), streamed.getMessage());
    } finally {
      nowhere.close();
    }
  }

  private static long acceptedLogins() {
    return server.acceptedLogins();
  }

  private static int freePort() throws IOException {
    return ThrowawaySshd.freePort();
  }
}
