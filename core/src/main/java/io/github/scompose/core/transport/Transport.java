package io.github.scompose.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
   * Writes {@code content} to a file on the transport's host atomically: readers see the old file
   * or the whole new one, never a part. Missing parent directories are created. Used for the files
   * bound into instances (the project's hosts and resolv.conf), which must be where the binary
   * runs.
   *
   * <p>The default writes on this machine: a temporary file in the same directory, created with
   * {@code permissions}, written and forced to disk ({@code fsync}), then renamed over {@code path}
   * (an atomic rename, POSIX {@code rename(2)}); the temporary file is removed on failure. It
   * serves every transport whose files are this machine's (local process, in-JVM emulators). Remote
   * transports override it.
   *
   * @param path absolute path on the transport's host
   * @param content the whole new content
   * @param permissions the file's mode, e.g. {@code rw-r--r--}, applied regardless of the umask
   * @throws TransportException when the file cannot be written (nothing is left half-written)
   */
  default void writeFile(String path, byte[] content, Set<PosixFilePermission> permissions) {
    Path target = Path.of(path).toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp =
          Files.createTempFile(
              dir,
              "." + target.getFileName() + ".",
              ".tmp",
              PosixFilePermissions.asFileAttribute(permissions));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, permissions);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException | UnsupportedOperationException e) {
      throw new TransportException("cannot write " + path + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort; the failure is reported above
        }
      }
    }
  }

  /**
   * Creates a directory and its missing parents on the transport's host (like {@code mkdir -p}); an
   * existing directory is fine. Used for the named-volume folders bound into instances, which must
   * be where the binary runs.
   *
   * <p>The default creates it on this machine ({@link Files#createDirectories}); remote transports
   * override it.
   *
   * @param path absolute path on the transport's host
   * @throws TransportException when it cannot be created (e.g. a file of that name exists)
   */
  default void createDirectories(String path) {
    try {
      Files.createDirectories(Path.of(path));
    } catch (IOException e) {
      throw new TransportException("cannot create the directory " + path + ": " + e, e);
    }
  }

  /**
   * Deletes a file on the transport's host; a missing file is fine. Used for the client's temporary
   * env files.
   *
   * <p>The default deletes on this machine; remote transports override it.
   *
   * @param path absolute path on the transport's host
   * @throws TransportException when it exists and cannot be deleted
   */
  default void deleteFile(String path) {
    try {
      Files.deleteIfExists(Path.of(path));
    } catch (IOException e) {
      throw new TransportException("cannot delete " + path + ": " + e, e);
    }
  }

  /**
   * The size, modification time and (where known) POSIX permissions of a file or directory on the
   * transport's host, following symbolic links, or empty when nothing is at {@code path} (or it
   * cannot be looked at). Used as the fingerprint of an instance's image: {@code up} recreates an
   * instance whose image changed.
   *
   * <p>The default reads this machine's file system ({@link Files#readAttributes}, the modification
   * time at the file system's resolution; {@link FileStamp#permissions()} from {@code
   * PosixFileAttributes} where the file's store supports them, else empty); remote transports
   * override it. The compose engine also reads it to refuse secret files that are not owner-only.
   *
   * @param path absolute path on the transport's host
   * @throws TransportException when a remote host cannot be asked at all (e.g. the connection
   *     failed)
   */
  default Optional<FileStamp> stat(String path) {
    try {
      Path file = Path.of(path);
      if (Files.getFileStore(file)
          .supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
        java.nio.file.attribute.PosixFileAttributes a =
            Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class);
        return Optional.of(
            FileStamp.of(a.size(), a.lastModifiedTime().toInstant(), a.permissions()));
      }
      java.nio.file.attribute.BasicFileAttributes a =
          Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      return Optional.of(FileStamp.of(a.size(), a.lastModifiedTime().toInstant()));
    } catch (IOException | java.nio.file.InvalidPathException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * The directory for temporary files on the transport's host, e.g. {@code /tmp}. The default is
   * this JVM's {@code java.io.tmpdir}; remote transports override it.
   *
   * @throws TransportException when a remote host cannot be asked
   */
  default String temporaryDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString();
  }

  /**
   * A short description for messages and logs, e.g. {@code local} or {@code ssh alice@login1:22}.
   * Never contains a secret.
   */
  String describe();

  /** Releases what the transport holds (e.g. an SSH control connection). Idempotent. */
  @Override
  void close();
}
