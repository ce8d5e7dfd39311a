package io.github.scompose.core.transport;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The only door to processes: runs an argv (never through a local shell) on some host and returns
 * what it printed. Implementations: {@code LocalProcessTransport} (this machine), {@code
 * SshTransport} (a remote login node through the system {@code ssh} client), and the testkit's
 * in-JVM emulator.
 *
 * <p>Implementations are thread-safe: the compose engine runs commands from several threads at
 * once.
 *
 * <p>Every file method is abstract on purpose: a remote transport that forgot one would otherwise
 * read or write this machine's disk without a word. A transport whose files are this machine's
 * (local processes, in-JVM emulators) says so by implementing {@link LocalFileTransport}. {@code
 * TransportContract} in core's tests is the behaviour every implementation must show.
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
   * growing offset). Local: {@link LocalFileTransport#readFile}.
   *
   * @param path absolute path on the transport's host
   * @param offset first byte to return, {@code >= 0}; past the end gives an empty array
   * @throws TransportException when the file exists but cannot be read
   * @throws IllegalArgumentException when {@code offset} is negative
   */
  Optional<byte[]> readFile(String path, long offset);

  /**
   * Writes {@code content} to a file on the transport's host atomically: readers see the old file
   * or the whole new one, never a part. Missing parent directories are created. Used for the files
   * bound into instances (the project's hosts and resolv.conf), which must be where the binary
   * runs. Local: {@link LocalFileTransport#writeFile}.
   *
   * @param path absolute path on the transport's host
   * @param content the whole new content
   * @param permissions the file's mode, e.g. {@code rw-r--r--}, applied regardless of the umask
   * @throws TransportException when the file cannot be written (nothing is left half-written)
   */
  void writeFile(String path, byte[] content, Set<PosixFilePermission> permissions);

  /**
   * Creates a directory and its missing parents on the transport's host (like {@code mkdir -p}); an
   * existing directory is fine. Used for the named-volume folders bound into instances, which must
   * be where the binary runs. Local: {@link LocalFileTransport#createDirectories}.
   *
   * @param path absolute path on the transport's host
   * @throws TransportException when it cannot be created (e.g. a file of that name exists)
   */
  void createDirectories(String path);

  /**
   * Deletes a file on the transport's host; a missing file is fine. Used for the client's temporary
   * env files. Local: {@link LocalFileTransport#deleteFile}.
   *
   * @param path absolute path on the transport's host
   * @throws TransportException when it exists and cannot be deleted
   */
  void deleteFile(String path);

  /**
   * The size, modification time and (where known) POSIX permissions of a file or directory on the
   * transport's host, following symbolic links, or empty when nothing is at {@code path} (or it
   * cannot be looked at). Used as the fingerprint of an instance's image: {@code up} recreates an
   * instance whose image changed. The compose engine also reads it to refuse secret files that are
   * not owner-only. Local: {@link LocalFileTransport#stat}.
   *
   * @param path absolute path on the transport's host
   * @throws TransportException when a remote host cannot be asked at all (e.g. the connection
   *     failed)
   */
  Optional<FileStamp> stat(String path);

  /**
   * The directory for temporary files on the transport's host, e.g. {@code /tmp}. Local: {@link
   * LocalFileTransport#temporaryDirectory} (this JVM's {@code java.io.tmpdir}).
   *
   * @throws TransportException when a remote host cannot be asked
   */
  String temporaryDirectory();

  /**
   * A short description for messages and logs, e.g. {@code local} or {@code ssh alice@login1:22}.
   * Never contains a secret.
   */
  String describe();

  /** Releases what the transport holds (e.g. an SSH control connection). Idempotent. */
  @Override
  void close();
}
