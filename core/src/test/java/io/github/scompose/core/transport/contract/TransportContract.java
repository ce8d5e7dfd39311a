package io.github.scompose.core.transport.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.CommandTimeoutException;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Transport} must do, as one abstract test run against each implementation (the
 * shape of docker-java's {@code DockerHttpClientTCK}): argv with exit code and both streams, large
 * outputs whole and streamed, timeouts, cancellation, atomic {@link Transport#writeFile}, {@link
 * Transport#readFile} from offsets, {@link Transport#stat}, directories, deletion and the temporary
 * directory.
 *
 * <p>A subclass gives the transport and, when it runs no real programs (the in-JVM fake runs only
 * the emulated ones), three scripted commands. The file tests work in a JUnit temporary directory
 * of this machine, so the transport's host must see this machine's files (local, in-JVM, SSH to
 * 127.0.0.1). No test sleeps; waits are bounded by {@link #WAIT}.
 */
public abstract class TransportContract {

  /** Lines {@link #largeOutputCommand()} prints, each {@link #LARGE_LINE} and a newline. */
  public static final int LARGE_LINES = 200_000;

  /** The line {@link #largeOutputCommand()} repeats. */
  public static final String LARGE_LINE = "0123456789abcdef";

  /** The longest a test waits for something that should happen. */
  protected static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path scratch;

  private Transport transport;

  /** The transport for one test; given to {@link #releaseTransport} after it. */
  protected abstract Transport createTransport() throws Exception;

  /**
   * Called after each test with the transport {@link #createTransport} gave; closes it. A subclass
   * that shares one transport between tests (to keep one SSH connection) closes it itself.
   */
  protected void releaseTransport(Transport transport) {
    transport.close();
  }

  /**
   * An argv printing exactly {@code out\n} on stdout and {@code err\n} on stderr, exiting 3. The
   * default is a POSIX {@code sh} line, for transports that run real programs.
   */
  protected List<String> echoCommand() {
    return List.of("sh", "-c", "echo out; echo err >&2; exit 3");
  }

  /** An argv printing {@link #LARGE_LINES} lines of {@link #LARGE_LINE} on stdout, exiting 0. */
  protected List<String> largeOutputCommand() {
    return List.of("sh", "-c", "yes " + LARGE_LINE + " | head -n " + LARGE_LINES);
  }

  /** An argv that runs until it is killed, printing nothing; default {@code sleep 600}. */
  protected List<String> neverEndingCommand() {
    return List.of("sleep", "600");
  }

  @BeforeEach
  final void openTransport() throws Exception {
    transport = createTransport();
  }

  @AfterEach
  final void closeTransport() {
    if (transport != null) {
      releaseTransport(transport);
    }
  }

  /** The transport of the running test. */
  protected final Transport transport() {
    return transport;
  }

  private String file(String name) {
    return scratch.resolve(name).toString();
  }

  // ---- commands --------------------------------------------------------------------------------

  @Test
  void runGivesTheExitCodeAndBothStreams() {
    CommandResult r = transport.run(CommandRequest.of(echoCommand()));
    assertEquals(3, r.exitCode());
    assertEquals("out\n", r.stdout());
    assertEquals("err\n", r.stderr());
    assertEquals(echoCommand(), r.argv());
  }

  @Test
  void runReturnsALargeOutputWhole() {
    CommandResult r = transport.run(CommandRequest.of(largeOutputCommand()));
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals((LARGE_LINE.length() + 1) * LARGE_LINES, r.stdout().length());
    assertTrue(r.stdout().equals((LARGE_LINE + "\n").repeat(LARGE_LINES)), "output changed");
  }

  @Test
  void startStreamsEveryLineOfALargeOutputInOrder() throws Exception {
    AtomicInteger lines = new AtomicInteger();
    AtomicReference<String> wrong = new AtomicReference<>();
    RunningCommand running =
        transport.start(
            CommandRequest.of(largeOutputCommand()),
            new OutputListener() {
              @Override
              public void onStdout(String line) {
                lines.incrementAndGet();
                if (!line.equals(LARGE_LINE)) {
                  wrong.compareAndSet(null, line);
                }
              }

              @Override
              public void onStderr(String line) {
                wrong.compareAndSet(null, "stderr: " + line);
              }
            });
    CommandResult r = running.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(0, r.exitCode());
    assertEquals(LARGE_LINES, lines.get());
    assertEquals(null, wrong.get());
    assertEquals("", r.stdout(), "streamed lines are not kept in the result");
    assertFalse(running.isAlive());
  }

  @Test
  void startDeliversBothStreams() throws Exception {
    List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> err = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunningCommand running =
        transport.start(
            CommandRequest.of(echoCommand()),
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
    CommandResult r = running.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(3, r.exitCode());
    assertEquals(List.of("out"), out);
    assertEquals(List.of("err"), err);
  }

  @Test
  void runPastItsTimeoutThrowsCommandTimeoutException() {
    CommandRequest request =
        CommandRequest.builder()
            .addAllArgv(neverEndingCommand())
            .timeout(Duration.ofMillis(300))
            .build();
    CommandTimeoutException e =
        assertThrows(CommandTimeoutException.class, () -> transport.run(request));
    assertTrue(e.getMessage().contains(neverEndingCommand().get(0)), e.getMessage());
  }

  @Test
  void aStartedCommandPastItsTimeoutCompletesExceptionally() throws Exception {
    CommandRequest request =
        CommandRequest.builder()
            .addAllArgv(neverEndingCommand())
            .timeout(Duration.ofMillis(300))
            .build();
    CompletableFuture<CommandResult> completion =
        transport.start(request, OutputListener.discarding()).completion();
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> completion.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertInstanceOf(CommandTimeoutException.class, e.getCause());
  }

  @Test
  void cancelEndsAStartedCommand() throws Exception {
    RunningCommand running =
        transport.start(CommandRequest.of(neverEndingCommand()), OutputListener.discarding());
    assertTrue(running.isAlive());
    running.cancel();
    CommandResult r = running.completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotEquals(0, r.exitCode(), "a cancelled command did not succeed");
    assertFalse(running.isAlive());
    running.cancel(); // idempotent
  }

  // ---- files -----------------------------------------------------------------------------------

  @Test
  void readFileReadsFromAnOffsetToTheEnd() {
    String path = file("log.out");
    transport.writeFile(path, bytes("0123456789"), perms("rw-r--r--"));
    assertEquals("0123456789", text(transport.readFile(path, 0)));
    assertEquals("456789", text(transport.readFile(path, 4)));
    assertEquals("", text(transport.readFile(path, 10)), "at the end: empty, present");
    assertEquals("", text(transport.readFile(path, 11)));
    assertEquals("", text(transport.readFile(path, Long.MAX_VALUE)));
    assertEquals(Optional.empty(), transport.readFile(file("absent"), 0));
    assertThrows(IllegalArgumentException.class, () -> transport.readFile(path, -1));
  }

  @Test
  void readFileOfADirectoryIsATransportException() {
    TransportException e =
        assertThrows(TransportException.class, () -> transport.readFile(scratch.toString(), 0));
    assertTrue(e.getMessage().contains(scratch.toString()), e.getMessage());
  }

  @Test
  void writeFileCreatesParentsAndAppliesTheModeWhateverTheUmask() {
    for (String mode : List.of("rw-------", "rwxr-x---")) {
      String path = scratch.resolve("new dir's $HOME").resolve("a b").resolve(mode).toString();
      transport.writeFile(path, bytes(mode), perms(mode));
      assertEquals(mode, text(transport.readFile(path, 0)));
      FileStamp stamp = transport.stat(path).orElseThrow();
      assertEquals(mode.length(), stamp.size());
      assertEquals(Optional.of(perms(mode)), stamp.permissions(), mode);
    }
  }

  @Test
  void writeFileReplacesLargeContentWholeAndLeavesNoTemporaryFile() throws Exception {
    String path = file("image.sif");
    byte[] first = filled(4 * 1024 * 1024 + 3, (byte) 'a');
    byte[] second = filled(1024 * 1024, (byte) 'b');
    transport.writeFile(path, first, perms("rw-r--r--"));
    assertArrayEquals(first, transport.readFile(path, 0).orElseThrow());
    transport.writeFile(path, second, perms("rw-r--r--"));
    assertArrayEquals(second, transport.readFile(path, 0).orElseThrow());
    try (Stream<Path> files = Files.list(scratch)) {
      assertEquals(List.of(Path.of(path)), files.toList(), "only the file itself is left");
    }
  }

  @Test
  void readersSeeTheOldOrTheWholeNewFileNeverAPart() throws Exception {
    String path = file("hosts");
    byte[] a = filled(256 * 1024, (byte) 'a');
    byte[] b = filled(128 * 1024, (byte) 'b');
    transport.writeFile(path, a, perms("rw-r--r--"));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 4; i++) {
                  transport.writeFile(path, i % 2 == 0 ? b : a, perms("rw-r--r--"));
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "contract-writer");
    writer.start();
    int reads = 0;
    while (writer.isAlive() || reads == 0) {
      byte[] seen = transport.readFile(path, 0).orElseThrow();
      assertTrue(
          Arrays.equals(seen, a) || Arrays.equals(seen, b),
          "a reader saw " + seen.length + " bytes, neither the old nor the new file");
      reads++;
    }
    writer.join(WAIT.toMillis());
    assertEquals(null, failure.get());
  }

  @Test
  void writeFileWhereADirectoryCannotBeIsATransportException() throws Exception {
    String blocker = file("plain");
    transport.writeFile(blocker, bytes("x"), perms("rw-r--r--"));
    assertThrows(
        TransportException.class,
        () -> transport.writeFile(blocker + "/under", bytes("y"), perms("rw-r--r--")));
    assertEquals("x", text(transport.readFile(blocker, 0)), "nothing half-written");
  }

  @Test
  void statGivesSizeModificationTimeAndMode() throws Exception {
    String path = file("image.sif");
    transport.writeFile(path, bytes("12345"), perms("rw-r-----"));
    Instant local = Files.getLastModifiedTime(Path.of(path)).toInstant();
    FileStamp stamp = transport.stat(path).orElseThrow();
    assertEquals(5, stamp.size());
    assertTrue(
        Duration.between(stamp.modified(), local).abs().compareTo(Duration.ofSeconds(1)) < 0,
        stamp.modified() + " vs " + local);
    assertEquals(Optional.of(perms("rw-r-----")), stamp.permissions());
    assertTrue(transport.stat(scratch.toString()).isPresent(), "a directory has a stamp");
    assertEquals(Optional.empty(), transport.stat(file("missing.sif")));
  }

  @Test
  void createDirectoriesIsIdempotentAndRefusesAFileInTheWay() {
    String dir = scratch.resolve("vol's \"data\" $(touch pwned)").resolve("a b").toString();
    transport.createDirectories(dir);
    transport.createDirectories(dir);
    assertTrue(Files.isDirectory(Path.of(dir)));
    assertFalse(Files.exists(scratch.resolve("pwned")), "no shell expansion");
    String blocker = file("plain");
    transport.writeFile(blocker, bytes("x"), perms("rw-r--r--"));
    assertThrows(TransportException.class, () -> transport.createDirectories(blocker));
  }

  @Test
  void deleteFileRemovesAFileAndIgnoresAMissingOne() {
    String path = file("env-file");
    transport.writeFile(path, bytes("A=1\n"), perms("rw-------"));
    transport.deleteFile(path);
    assertEquals(Optional.empty(), transport.readFile(path, 0));
    transport.deleteFile(path);
  }

  @Test
  void temporaryDirectoryIsAnAbsoluteExistingDirectory() {
    String tmp = transport.temporaryDirectory();
    assertTrue(tmp.startsWith("/"), tmp);
    assertTrue(transport.stat(tmp).isPresent(), tmp);
  }

  @Test
  void describeNamesTheTransport() {
    assertFalse(transport.describe().isBlank());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Optional<byte[]> b) {
    return new String(b.orElseThrow(), StandardCharsets.UTF_8);
  }

  private static byte[] filled(int size, byte value) {
    byte[] b = new byte[size];
    Arrays.fill(b, value);
    return b;
  }

  private static Set<PosixFilePermission> perms(String mode) {
    return PosixFilePermissions.fromString(mode);
  }
}
