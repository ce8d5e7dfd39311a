package io.github.scompose.core.internal.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The lock of a project's state directory, {@code <state directory>/lock}, held across threads and
 * processes while a read-modify-write of its files ({@code state.json}, {@code instances.json})
 * runs: an exclusive {@link FileChannel#lock()} on that file (POSIX {@code fcntl} record locks on
 * Linux, released by the kernel when the process dies, so a crashed JVM never leaves it held), plus
 * one {@link ReentrantLock} per directory inside this JVM, because a JVM cannot hold two file locks
 * on one file ({@link java.nio.channels.OverlappingFileLockException}). Reentrant: an action may
 * take the same lock again. The lock file is empty and owner-only; it is never deleted (deleting a
 * lock file another process waits on would split the lock).
 */
public final class StateDirectoryLock {

  /** File name: {@code lock}. */
  public static final String NAME = "lock";

  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private StateDirectoryLock() {}

  /**
   * Runs {@code action} holding the lock of {@code stateDirectory} (created {@code 0700} when
   * missing), waiting as long as another thread or process holds it.
   *
   * @return what {@code action} returned
   * @throws UncheckedIOException when the lock file cannot be created or locked (also when the
   *     waiting thread is interrupted: {@link java.nio.channels.FileLockInterruptionException}; its
   *     interrupt status is kept)
   */
  /**
   * Why {@code e} happened, in words: its message, else what its kind means (a thread interrupted
   * while it waited for the lock gets a {@link java.nio.channels.FileLockInterruptionException} or
   * {@link java.nio.channels.ClosedByInterruptException}, both without a message).
   */
  static String reason(IOException e) {
    if (e instanceof java.nio.channels.FileLockInterruptionException
        || e instanceof java.nio.channels.ClosedByInterruptException) {
      return "interrupted while waiting for another run to release the project";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "the file system gave no reason" : m;
  }

  public static <T> T holding(Path stateDirectory, Supplier<T> action) {
    Path directory = stateDirectory.toAbsolutePath().normalize();
    ReentrantLock local = IN_JVM.computeIfAbsent(directory, d -> new ReentrantLock());
    local.lock();
    try {
      if (local.getHoldCount() > 1) {
        return action.get();
      }
      Path file = directory.resolve(NAME);
      FileChannel channel;
      try {
        StateFile.createOwnerOnlyDirectories(directory);
        channel = open(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + file + ": " + reason(e), e);
      }
      try (FileChannel c = channel) {
        FileLock held;
        try {
          held = c.lock();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot lock " + file + ": " + reason(e), e);
        }
        try {
          return action.get();
        } finally {
          if (held.isValid()) {
            held.release();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot release " + file + ": " + reason(e), e);
      }
    } finally {
      local.unlock();
    }
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(
          file,
          java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
  }
}
