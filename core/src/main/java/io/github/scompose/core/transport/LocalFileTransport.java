package io.github.scompose.core.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Transport} whose files are this machine's ({@link LocalProcessTransport}, the testkit's
 * in-JVM emulator): its file methods default to doing in this JVM, with {@code java.nio}, what the
 * {@link Transport} method of the same name promises. {@link Transport} itself has no defaults, so
 * a remote transport cannot read or write this machine's disk by accident: only one that declares
 * itself a {@code LocalFileTransport} gets them.
 */
public interface LocalFileTransport extends Transport {

  /**
   * {@link Transport#readFile}: the bytes from {@code offset} to the current end, empty when there
   * is no such file.
   *
   * @throws IllegalArgumentException when {@code offset} is negative
   * @throws TransportException when the file exists but cannot be read
   */
  @Override
  default Optional<byte[]> readFile(String path, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " is negative");
    }
    Path file = Path.of(path);
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(Math.min(offset, Files.size(file)));
      return Optional.of(in.readAllBytes());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TransportException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@link Transport#writeFile}: a temporary file in the same directory, created with {@code
   * permissions}, written and forced to disk ({@code fsync}), then renamed over {@code path} (an
   * atomic rename, POSIX {@code rename(2)}); the temporary file is removed on failure.
   *
   * @throws TransportException when the file cannot be written (nothing is left half-written)
   */
  @Override
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
   * {@link Transport#createDirectories}, with {@link Files#createDirectories}.
   *
   * @throws TransportException when it cannot be created (e.g. a file of that name exists)
   */
  @Override
  default void createDirectories(String path) {
    try {
      Files.createDirectories(Path.of(path));
    } catch (IOException e) {
      throw new TransportException("cannot create the directory " + path + ": " + e, e);
    }
  }

  /**
   * {@link Transport#deleteFile}; a missing file is fine.
   *
   * @throws TransportException when it exists and cannot be deleted
   */
  @Override
  default void deleteFile(String path) {
    try {
      Files.deleteIfExists(Path.of(path));
    } catch (IOException e) {
      throw new TransportException("cannot delete " + path + ": " + e, e);
    }
  }

  /**
   * {@link Transport#stat}: the modification time at the file system's resolution; {@link
   * FileStamp#permissions()} from {@code PosixFileAttributes} where the file's store supports them,
   * else empty. Empty when nothing is at {@code path} or it cannot be looked at.
   */
  @Override
  default Optional<FileStamp> stat(String path) {
    try {
      Path file = Path.of(path);
      try {
        // one stat(2); no look at the file store (that reads the mount table each time)
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
        return Optional.of(
            FileStamp.of(a.size(), a.lastModifiedTime().toInstant(), a.permissions()));
      } catch (UnsupportedOperationException e) {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return Optional.of(FileStamp.of(a.size(), a.lastModifiedTime().toInstant()));
      }
    } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * The names of the entries of the directory {@code path} (files, folders, links; not {@code .}
   * and {@code ..}), in no particular order, with {@link Files#newDirectoryStream}; empty when
   * nothing is at {@code path} or it is not a directory (following links). Only on a transport
   * whose files are this machine's: used to read the binary's instance records ({@link
   * io.github.scompose.core.client.SingularityClient#list(io.github.scompose.core.client.InstanceList)}).
   *
   * @throws TransportException when the directory exists but cannot be read (e.g. no permission)
   */
  default Optional<List<String>> listDirectory(String path) {
    Path dir;
    try {
      dir = Path.of(path);
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (IOException | DirectoryIteratorException e) {
      throw new TransportException("cannot list the directory " + path + ": " + e.getMessage(), e);
    }
    return Optional.of(List.copyOf(names));
  }

  /** {@link Transport#temporaryDirectory}: this JVM's {@code java.io.tmpdir}, absolute. */
  @Override
  default String temporaryDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString();
  }
}
