package io.github.scompose.core.transport;

import java.util.Optional;

/**
 * The only door to processes: runs an argv (never through a local shell) on some host and returns
 * what it printed. Implementations: {@code LocalProcessTransport} (this machine), {@code
 * SshTransport} (a remote login node through the system {@code ssh} client), and the testkit's
 * in-JVM emulator.
 *
 * <p>Implementations are thread-safe: the compose engine runs commands from several threads at
 * once.
 */
public interface Transport extends AutoCloseable {

  /**
   * Runs {@code request} to completion and returns its result, whatever its exit code.
   *
   * @throws CommandTimeoutException when {@link CommandRequest#timeout()} passes first; the process
   *     (and, locally, its whole process tree) has been killed by then
   * @throws TransportException when the command cannot be started at all (no such executable,
   *     connection refused) or the calling thread was interrupted (the process is killed and the
   *     interrupt flag is set again)
   */
  CommandResult run(CommandRequest request);

  /**
   * Starts {@code request} and delivers its output line by line, as it comes, to {@code listener}
   * (stdout and stderr each in order; the two streams are not ordered against each other). Lines
   * delivered to the listener are not kept in the final {@link CommandResult}, whose {@code
   * stdout()}/{@code stderr()} are then empty.
   *
   * @throws TransportException when the command cannot be started at all
   */
  RunningCommand start(CommandRequest request, OutputListener listener);

  /**
   * Reads a file on the transport's host, from byte {@code offset} to its current end, or returns
   * empty when it does not exist. Used for instance logs (read, tail, follow by polling with a
   * growing offset).
   *
   * @param path absolute path on the transport's host
   * @param offset first byte to return, {@code >= 0}; past the end gives an empty array
   * @throws TransportException when the file exists but cannot be read
   */
  Optional<byte[]> readFile(String path, long offset);

  /**
   * A short description for messages and logs, e.g. {@code local} or {@code ssh alice@login1:22}.
   * Never contains a secret.
   */
  String describe();

  /** Releases what the transport holds (e.g. an SSH control connection). Idempotent. */
  @Override
  void close();
}
