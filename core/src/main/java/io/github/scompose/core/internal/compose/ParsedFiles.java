package io.github.scompose.core.internal.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What this JVM last read from, or wrote to, each file of a state directory ({@code state.json},
 * {@code logs.json}, {@code instances.json}), kept with the stamp of the file it came from: its
 * file key (device and inode), size and modification time. A read whose file still has that stamp
 * gets the value without reading and parsing the file again; one {@code up} reads {@code
 * state.json} about ten times, most of them its own writes (issue 11: an {@code up} of 20 instances
 * spent 30–45 ms on such reads).
 *
 * <p>Why a stamp is enough: every writer of these files ({@link StateFile#writeAtomically}, in this
 * and in any other process) writes a new temporary file and renames it over the old one, so a new
 * content is a new inode; an edit in place (by hand) changes the size or the modification time. The
 * stamp of a read is taken <em>before</em> the read, and the stamp of a write is the temporary
 * file's, taken before the rename (a rename keeps both): a file replaced in between only makes the
 * next read miss, never pairs a stamp with another content.
 *
 * <p>Values must be immutable: one value is handed to every reader.
 */
final class ParsedFiles {

  /**
   * The stamp of a file; equal stamps mean the same content (see the type's documentation). Its
   * {@code equals} is written out: a record's generated one is bootstrapped through method handles
   * on its first call, 10–15 ms of a cold JVM, which fell at the end of {@code up}.
   */
  record Stamp(Object fileKey, long size, FileTime modified) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Stamp s
          && size == s.size
          && fileKey.equals(s.fileKey)
          && modified.equals(s.modified);
    }

    @Override
    public int hashCode() {
      return fileKey.hashCode() * 31 + Long.hashCode(size);
    }
  }

  private record Known(Stamp stamp, Object value) {}

  private static final Map<Path, Known> KNOWN = new ConcurrentHashMap<>();

  private ParsedFiles() {}

  /**
   * The stamp of {@code file}, empty when there is no such file, it cannot be looked at, or its
   * file system has no file keys (then nothing is remembered for it).
   */
  static Optional<Stamp> stamp(Path file) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.fileKey() == null || !a.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new Stamp(a.fileKey(), a.size(), a.lastModifiedTime()));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * The value of {@code file}: the one remembered when the file still has the stamp it had then,
   * else {@code reader}'s (remembered when present). {@code reader}'s exceptions pass through, and
   * nothing is remembered then.
   *
   * @param kind the class of the values of this file (a value of another class is not used)
   */
  static <T> Optional<T> read(Path file, Class<T> kind, Function<Path, Optional<T>> reader) {
    Path key = file.toAbsolutePath().normalize();
    Optional<Stamp> before = stamp(key);
    if (before.isEmpty()) {
      KNOWN.remove(key);
      return reader.apply(file);
    }
    Known known = KNOWN.get(key);
    if (known != null && known.stamp().equals(before.get()) && kind.isInstance(known.value())) {
      return Optional.of(kind.cast(known.value()));
    }
    Optional<T> value = reader.apply(file);
    value.ifPresentOrElse(v -> KNOWN.put(key, new Known(before.get(), v)), () -> KNOWN.remove(key));
    return value;
  }

  /**
   * Remembers that {@code file} now holds {@code value}: called after the temporary file whose
   * stamp is {@code temporary} was renamed over it.
   */
  static void wrote(Path file, Optional<Stamp> temporary, Object value) {
    Path key = file.toAbsolutePath().normalize();
    if (temporary.isPresent() && value != null) {
      KNOWN.put(key, new Known(temporary.get(), value));
    } else {
      KNOWN.remove(key);
    }
  }

  /** Forgets {@code file} (deleted, or written without a value to remember). */
  static void forget(Path file) {
    KNOWN.remove(file.toAbsolutePath().normalize());
  }
}
