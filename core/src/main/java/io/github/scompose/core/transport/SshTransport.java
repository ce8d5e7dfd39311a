package io.github.scompose.core.transport;

import io.github.scompose.core.internal.transport.LocalProcess;
import io.github.scompose.core.internal.transport.LocalRunningCommand;
import io.github.scompose.core.internal.transport.ProcessHooks;
import io.github.scompose.core.internal.transport.RawResult;
import io.github.scompose.core.internal.transport.RemoteProcessGroup;
import io.github.scompose.core.internal.transport.SshRemoteCommand;
import io.github.scompose.core.internal.transport.SshRemoteFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands on a remote host through the system OpenSSH client ({@code ssh}), e.g. on a
 * cluster's login node.
 *
 * <p><b>Connection.</b> Every command is one {@code ssh -T} invocation with {@code BatchMode=yes}
 * (never a password prompt: keys or an agent only), {@code ConnectTimeout}, and connection sharing:
 * {@code ControlMaster=auto}, {@code ControlPath} in a private directory this transport creates
 * (mode 0700, under {@code java.io.tmpdir}, or {@code /tmp} when that path is too long for a
 * socket), {@code ControlPersist} from the {@link SshConfig}. The first command opens the master
 * connection (first commands started in parallel wait for it rather than each opening their own);
 * the following ones reuse it without a new handshake. At most {@link SshConfig#maxSessions()}
 * commands run at once (the server's {@code MaxSessions} caps a shared connection); more wait.
 * {@link #close()} ends it ({@code ssh -O exit}) and removes the directory.
 *
 * <p><b>Command line.</b> The remote side of SSH is always a shell, so the argv is joined with
 * POSIX single-quote quoting and run with {@code exec}; the remote login shell must be a POSIX
 * shell (sh, dash, bash, ksh, zsh).
 *
 * <p><b>Environment.</b> Values never appear in any command line (local {@code ssh}'s argv or the
 * remote shell's, both visible in {@code ps}): only variable names do. The values are sent on the
 * channel's stdin ahead of the command's own stdin, one encoded line each, read by the remote
 * shell's {@code read} builtin and exported before the {@code exec}. {@code SendEnv} is not used:
 * servers accept only the names their {@code AcceptEnv} lists. {@link
 * CommandRequest#removeEnvironment()} names are {@code unset} in the remote shell. Names must be
 * shell names ({@code [A-Za-z_][A-Za-z0-9_]*}), else {@link IllegalArgumentException}.
 *
 * <p><b>Errors.</b> Exit code 255 is ssh's own failure (connection refused, authentication, host
 * key): {@link #run} throws a {@link TransportException} with ssh's last stderr line instead of
 * returning it (a remote command that itself exits 255 is reported the same way).
 *
 * <p><b>Timeout, cancel, interrupt.</b> Killing the local {@code ssh} client alone would not stop
 * the remote command (sshd sends no signal to a session without a terminal, and with connection
 * sharing the control master keeps the channel), so the transport kills the remote side itself: the
 * remote line announces its PID on stderr first (a marker line taken off the stream), and on
 * timeout, cancel or interrupt a second ssh command sends SIGTERM to that process group (sshd
 * starts each session's command as a process group leader), then SIGKILL after 2 s, before the
 * local client is stopped.
 *
 * <p>Thread-safe.
 */
public final class SshTransport implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(SshTransport.class);

  /** Exit code of {@code ssh} itself when it failed (ssh(1), EXIT STATUS). */
  static final int SSH_FAILED = 255;

  /** Exit code of a command this transport killed (cancel): 128 + SIGTERM. */
  static final int KILLED_EXIT_CODE = 128 + 15;

  private final SshConfig config;
  private final Path controlDirectory;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Semaphore sessions;
  private final Object connectLock = new Object();
  private volatile long lastUseNanos;
  private volatile boolean used;

  private SshTransport(SshConfig config, Path controlDirectory) {
    this.config = config;
    this.controlDirectory = controlDirectory;
    this.sessions = new Semaphore(config.maxSessions(), true);
  }

  /**
   * A transport for {@code config}. Creates the private control-socket directory; connects only
   * when the first command runs.
   *
   * @throws TransportException when the directory cannot be created
   */
  public static SshTransport create(SshConfig config) {
    Objects.requireNonNull(config, "config");
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    if (base.toString().length() > 40) {
      // a Unix socket path has ~104 bytes room; "%C" alone expands to 40
      base = Path.of("/tmp");
    }
    try {
      Path dir =
          Files.createTempDirectory(
              base,
              "scompose-ssh-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return new SshTransport(config, dir);
    } catch (IOException | UnsupportedOperationException e) {
      throw new TransportException("cannot create a control directory for ssh in " + base, e);
    }
  }

  /** The configuration this transport connects with. */
  public SshConfig config() {
    return config;
  }

  /**
   * {@inheritDoc}
   *
   * @throws TransportException also when ssh itself fails (exit code 255), with its message
   * @throws IllegalArgumentException when an environment name is not a shell name or a value or
   *     argument contains NUL
   */
  @Override
  public CommandResult run(CommandRequest request) {
    Objects.requireNonNull(request, "request");
    RemoteProcessGroup group = new RemoteProcessGroup();
    RawResult raw = runRaw(request, hooksFor(group));
    return checkConnection(raw.toCommandResult(), group);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Throws {@link TransportException} at once when no connection can be opened. When ssh itself
   * fails later (exit code 255) the completion fails with a {@link TransportException}. After
   * {@link RunningCommand#cancel()} it completes with exit code 143 (128 + SIGTERM; ssh does not
   * tell which signal ended the remote command).
   */
  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    CommandRequest local = sshRequest(request);
    RemoteProcessGroup group = new RemoteProcessGroup();
    acquireSession(request);
    LocalRunningCommand inner;
    try {
      ensureConnected();
      inner =
          new LocalRunningCommand(
              LocalProcess.start(
                  local,
                  request.argv(),
                  listener,
                  killGracePeriod(),
                  drainTimeout(),
                  false,
                  hooksFor(group)));
    } catch (RuntimeException e) {
      sessions.release();
      throw e;
    }
    CompletableFuture<CommandResult> completion =
        inner
            .completion()
            .whenComplete((result, failure) -> releaseSession())
            .thenApply(result -> checkConnection(result, group));
    return new RunningCommand() {
      @Override
      public CompletableFuture<CommandResult> completion() {
        return completion;
      }

      @Override
      public void cancel() {
        inner.cancel();
      }

      @Override
      public boolean isAlive() {
        return inner.isAlive();
      }
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs {@code tail -c +N} on the remote host (N = offset + 1) when {@code offset} is inside
   * the file (its size read with {@code wc -c} first), with a 10 minute timeout; an offset at or
   * past the end, up to {@link Long#MAX_VALUE}, gives an empty array, as {@link
   * LocalProcessTransport#readFile} does.
   */
  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " is negative");
    }
    RawResult raw = runRaw(SshRemoteFiles.readFile(path, offset));
    if (raw.exitCode() == 0) {
      return Optional.of(raw.stdout());
    }
    if (raw.exitCode() == SshRemoteFiles.MISSING_FILE) {
      return Optional.empty();
    }
    String reason = SshRemoteFiles.lastLine(raw.stderr());
    if (raw.exitCode() == SSH_FAILED) {
      throw new TransportException(describe() + " failed (exit 255): " + reason);
    }
    throw new TransportException(
        "cannot read " + path + " on " + describe() + " (exit " + raw.exitCode() + "): " + reason);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the remote host: {@code sh -c SCRIPT sh PATH MODE} (arguments quoted with POSIX single
   * quotes like every command of this transport), the content on the channel's stdin, never in a
   * command line. The script writes a temporary file next to {@code path} ({@code mktemp}, mode
   * 0600 while written), runs {@code sync FILE} where supported, sets the mode and renames it over
   * {@code path} with {@code mv -f}; on failure it removes the temporary file.
   */
  @Override
  public void writeFile(
      String path,
      byte[] content,
      java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) {
    Objects.requireNonNull(content, "content");
    RawResult raw = runRaw(SshRemoteFiles.writeFile(path, content, mode));
    if (raw.exitCode() == 0) {
      return;
    }
    String reason = SshRemoteFiles.lastLine(raw.stderr());
    if (raw.exitCode() == SSH_FAILED) {
      throw new TransportException(describe() + " failed (exit 255): " + reason);
    }
    throw new TransportException(
        "cannot write " + path + " on " + describe() + " (exit " + raw.exitCode() + "): " + reason);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the remote host: {@code mkdir -p -- PATH} (the path quoted with POSIX single quotes like
   * every argument of this transport).
   */
  @Override
  public void createDirectories(String path) {
    remoteFileCommand("create the directory " + path, "mkdir", "-p", "--", path);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the remote host: {@code rm -f -- PATH} (quoted).
   */
  @Override
  public void deleteFile(String path) {
    remoteFileCommand("delete " + path, "rm", "-f", "--", path);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the remote host: {@code stat -L -c '%s %Y %a' -- PATH} (every argument quoted with POSIX
   * single quotes like every command of this transport): size in bytes, the modification time in
   * whole seconds since the epoch and the access rights in octal (GNU coreutils {@code stat(1)}
   * {@code %a}; set-user-ID, set-group-ID and sticky bits are dropped). A non-zero exit of {@code
   * stat} (no such file, no permission) gives empty.
   *
   * @throws TransportException when {@code ssh} itself failed (exit 255) or {@code stat} printed
   *     something else than three numbers (the third octal)
   */
  @Override
  public Optional<FileStamp> stat(String path) {
    RawResult raw = runRaw(SshRemoteFiles.stat(path));
    if (raw.exitCode() == SSH_FAILED) {
      throw new TransportException(
          describe() + " failed (exit 255): " + SshRemoteFiles.lastLine(raw.stderr()));
    }
    if (raw.exitCode() != 0) {
      return Optional.empty();
    }
    String out = new String(raw.stdout(), java.nio.charset.StandardCharsets.UTF_8).strip();
    Optional<FileStamp> stamp = SshRemoteFiles.parseStat(out);
    if (stamp.isPresent()) {
      return stamp;
    }
    throw new TransportException(
        "unexpected output of stat for "
            + path
            + " on "
            + describe()
            + ": "
            + SshRemoteFiles.lastLine(raw.stdout()));
  }

  private volatile String temporaryDirectory;

  /**
   * {@inheritDoc}
   *
   * <p>The remote {@code $TMPDIR}, else {@code /tmp} (asked once per transport with {@code sh -c
   * 'printf %s "${TMPDIR:-/tmp}"'}, then remembered).
   */
  @Override
  public String temporaryDirectory() {
    String dir = temporaryDirectory;
    if (dir == null) {
      RawResult raw = runRaw(CommandRequest.of("sh", "-c", "printf %s \"${TMPDIR:-/tmp}\""));
      String out = new String(raw.stdout(), java.nio.charset.StandardCharsets.UTF_8);
      if (raw.exitCode() != 0 || !out.startsWith("/") || out.contains("\n")) {
        throw new TransportException(
            "cannot find the temporary directory on "
                + describe()
                + " (exit "
                + raw.exitCode()
                + "): "
                + SshRemoteFiles.lastLine(raw.stderr()));
      }
      dir = out;
      temporaryDirectory = dir;
    }
    return dir;
  }

  private void remoteFileCommand(String what, String... argv) {
    RawResult raw = runRaw(CommandRequest.of(argv));
    if (raw.exitCode() == 0) {
      return;
    }
    String reason = SshRemoteFiles.lastLine(raw.stderr());
    if (raw.exitCode() == SSH_FAILED) {
      throw new TransportException(describe() + " failed (exit 255): " + reason);
    }
    throw new TransportException(
        "cannot " + what + " on " + describe() + " (exit " + raw.exitCode() + "): " + reason);
  }

  /**
   * {@code ssh [user@]host[:port]}, with the parts that were configured; never a secret (keys are
   * named by nothing here).
   */
  @Override
  public String describe() {
    StringBuilder text = new StringBuilder("ssh ");
    config.user().ifPresent(user -> text.append(user).append('@'));
    text.append(config.host());
    if (config.port().isPresent()) {
      text.append(':').append(config.port().getAsInt());
    }
    return text.toString();
  }

  /** Ends the shared connection ({@code ssh -O exit}) and removes the socket directory. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<String> argv = new ArrayList<>(commonOptions());
    argv.addAll(List.of("-O", "exit", "--", config.host()));
    try {
      RawResult raw =
          LocalProcess.start(
                  CommandRequest.builder().argv(argv).timeout(Duration.ofSeconds(10)).build(),
                  null,
                  killGracePeriod(),
                  drainTimeout(),
                  false)
              .await();
      LOG.debug("{}: control master exit: {}", describe(), SshRemoteFiles.lastLine(raw.stderr()));
    } catch (TransportException e) {
      LOG.debug("{}: could not end the control master", describe(), e);
    } finally {
      deleteControlDirectory();
    }
  }

  @Override
  public String toString() {
    return "SshTransport[" + describe() + "]";
  }

  /** The private directory of the control socket. Visible for tests. */
  Path controlDirectory() {
    return controlDirectory;
  }

  /** The local argv that runs {@code remoteLine} on the host. Visible for tests. */
  List<String> sshArgv(String remoteLine) {
    List<String> argv = new ArrayList<>(commonOptions());
    argv.add("-T");
    argv.add("--");
    argv.add(config.host());
    argv.add(remoteLine);
    return argv;
  }

  /** The local request (ssh's argv, stdin with the environment prefix) for {@code request}. */
  CommandRequest sshRequest(CommandRequest request) {
    SshRemoteCommand remote = SshRemoteCommand.of(request);
    CommandRequest.Builder local =
        CommandRequest.builder().argv(sshArgv(remote.line())).timeout(request.timeout());
    byte[] prefix = remote.stdinPrefix();
    if (prefix.length > 0 || request.stdin().isPresent()) {
      ByteArrayOutputStream stdin = new ByteArrayOutputStream();
      stdin.writeBytes(prefix);
      request.stdin().ifPresent(stdin::writeBytes);
      local.stdin(stdin.toByteArray());
    }
    return local.build();
  }

  private RawResult runRaw(CommandRequest request) {
    return runRaw(request, hooksFor(new RemoteProcessGroup()));
  }

  private RawResult runRaw(CommandRequest request, ProcessHooks hooks) {
    CommandRequest local = sshRequest(request);
    acquireSession(request);
    try {
      ensureConnected();
      return launch(local, request.argv(), hooks);
    } finally {
      releaseSession();
    }
  }

  /** Runs without taking a session slot: for the kill of a command that holds one. */
  private RawResult runUngated(CommandRequest request) {
    return launch(sshRequest(request), request.argv(), ProcessHooks.NONE);
  }

  private RawResult launch(CommandRequest local, List<String> reportedArgv, ProcessHooks hooks) {
    return LocalProcess.start(
            local, reportedArgv, null, killGracePeriod(), drainTimeout(), false, hooks)
        .await();
  }

  /**
   * Waits for one of the {@link SshConfig#maxSessions()} slots, at most the request's timeout.
   *
   * @throws CommandTimeoutException when no slot freed up in time
   * @throws TransportException when closed or interrupted (the interrupt flag is set again)
   */
  private void acquireSession(CommandRequest request) {
    if (closed.get()) {
      throw new TransportException(describe() + " is closed");
    }
    try {
      if (!sessions.tryAcquire(request.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new CommandTimeoutException(request.argv(), request.timeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException(
          "interrupted while waiting for a session on "
              + describe()
              + " for "
              + request.argv().get(0),
          e);
    }
  }

  private void releaseSession() {
    lastUseNanos = System.nanoTime();
    sessions.release();
  }

  /**
   * Opens the shared connection once, under a lock, before commands that would otherwise race to
   * open one each (N parallel first commands would mean N handshakes, and sshd's {@code
   * MaxStartups} may drop some). Done again once the master may have expired ({@code
   * ControlPersist} after the last use).
   *
   * @throws TransportException when the connection fails (ssh exit 255), with ssh's message
   */
  private void ensureConnected() {
    if (connectionFresh()) {
      return;
    }
    synchronized (connectLock) {
      if (connectionFresh()) {
        return;
      }
      CommandRequest probe =
          CommandRequest.builder()
              .addArgv("true")
              .timeout(config.connectTimeout().plusSeconds(30))
              .build();
      RawResult raw = launch(sshRequest(probe), probe.argv(), ProcessHooks.NONE);
      if (raw.exitCode() == SSH_FAILED) {
        throw new TransportException(
            describe() + " failed (exit 255) connecting: " + SshRemoteFiles.lastLine(raw.stderr()));
      }
      lastUseNanos = System.nanoTime();
      used = true;
    }
  }

  private boolean connectionFresh() {
    long margin = TimeUnit.SECONDS.toNanos(1);
    return used
        // another command is running right now (the caller holds one slot itself)
        && (sessions.availablePermits() < config.maxSessions() - 1
            || System.nanoTime() - lastUseNanos < config.controlPersist().toNanos() - margin);
  }

  /**
   * Hooks that take the remote PID off stderr and, on timeout, cancel or interrupt, kill the remote
   * process group before the local client: with connection sharing the control master holds the
   * channel (and our output pipes), so killing the client alone would neither stop the remote
   * command nor end the output.
   */
  private ProcessHooks hooksFor(RemoteProcessGroup group) {
    return new ProcessHooks() {
      @Override
      public InputStream stderr(InputStream stderr) {
        return group.strip(stderr);
      }

      @Override
      public void beforeKill() {
        group.markKilled();
        // a kill right after the start may come before the stderr reader took the PID off
        group.awaitPid(PID_ANNOUNCEMENT_WAIT).ifPresent(SshTransport.this::killRemoteGroup);
      }
    };
  }

  /** SIGTERM to the remote process group, SIGKILL after the grace period if it still runs. */
  private void killRemoteGroup(long pid) {
    long polls = Math.max(1, killGracePeriod().toMillis() / 100);
    CommandRequest kill = SshRemoteFiles.killGroup(pid, polls, killGracePeriod().plusSeconds(15));
    try {
      RawResult raw = runUngated(kill);
      LOG.debug("{}: killed remote process group {} (exit {})", describe(), pid, raw.exitCode());
    } catch (TransportException e) {
      LOG.debug("{}: could not kill remote process group {}", describe(), pid, e);
    }
  }

  private CommandResult checkConnection(CommandResult result, RemoteProcessGroup group) {
    if (result.exitCode() == SSH_FAILED && group.killed()) {
      // ssh exits 255 when the remote command died of a signal: ours
      return result.withExitCode(KILLED_EXIT_CODE);
    }
    if (result.exitCode() == SSH_FAILED) {
      throw new TransportException(
          describe()
              + " failed (exit 255) running "
              + result.argv().get(0)
              + ": "
              + SshRemoteFiles.lastLine(result.stderr().getBytes(StandardCharsets.UTF_8)));
    }
    return result;
  }

  private List<String> commonOptions() {
    List<String> argv = new ArrayList<>();
    argv.add(config.sshExecutable());
    config.configFile().ifPresent(file -> argv.addAll(List.of("-F", file)));
    for (Map.Entry<String, String> option : config.options().entrySet()) {
      argv.add("-o");
      argv.add(option.getKey() + "=" + option.getValue());
    }
    argv.addAll(
        List.of(
            "-o",
            "BatchMode=yes",
            "-o",
            "ControlMaster=auto",
            "-o",
            "ControlPath=" + controlDirectory.resolve("%C"),
            "-o",
            "ControlPersist=" + config.controlPersist().getSeconds(),
            "-o",
            "ConnectTimeout=" + config.connectTimeout().getSeconds()));
    config.user().ifPresent(user -> argv.addAll(List.of("-l", user)));
    if (config.port().isPresent()) {
      argv.addAll(List.of("-p", Integer.toString(config.port().getAsInt())));
    }
    config
        .identityFile()
        .ifPresent(file -> argv.addAll(List.of("-i", file, "-o", "IdentitiesOnly=yes")));
    return argv;
  }

  private void deleteControlDirectory() {
    // a master's socket may vanish while the folder is walked (ssh removes it as the master
    // exits), which the walk reports as an UncheckedIOException: walk again, a few times at most
    for (int attempt = 1; attempt <= 3; attempt++) {
      try (Stream<Path> files = Files.walk(controlDirectory)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
        return;
      } catch (java.nio.file.NoSuchFileException e) {
        return;
      } catch (IOException | java.io.UncheckedIOException e) {
        LOG.debug("could not remove {} (attempt {})", controlDirectory, attempt, e);
      }
    }
  }

  private static Duration killGracePeriod() {
    return LocalProcessTransport.DEFAULT_KILL_GRACE_PERIOD;
  }

  /**
   * How long a kill waits for the remote PID announcement the stderr reader has not read yet: it is
   * the first thing the remote line prints, so only a busy machine makes this wait at all.
   */
  private static final Duration PID_ANNOUNCEMENT_WAIT = Duration.ofSeconds(5);

  private static Duration drainTimeout() {
    return LocalProcessTransport.DEFAULT_OUTPUT_DRAIN_TIMEOUT;
  }
}
