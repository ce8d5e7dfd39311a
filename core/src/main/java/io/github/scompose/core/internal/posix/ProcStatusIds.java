package io.github.scompose.core.internal.posix;

import io.github.scompose.core.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Posix} whose user ids are read from this process's {@code /proc/self/status} (the {@code
 * Uid:} line: real, effective, saved, file-system uid, as the kernel keeps them: what getuid(2) and
 * geteuid(2) return), with no native library and no process; {@link #kill}, {@link #isatty} and
 * {@link #isNative} go to the implementation {@code delegate} gives, chosen at their first call. So
 * a command that needs only the ids (the CLI's {@code up}: root or not) neither loads libc through
 * JNA (whose first load runs {@code /sbin/ldconfig -p}) nor runs {@code id}.
 */
final class ProcStatusIds implements Posix {

  /** The ids read: real and effective uid. */
  record Ids(long uid, long euid) {}

  private final Ids ids;
  private final Supplier<Posix> delegate;
  private volatile Posix chosen;

  private ProcStatusIds(Ids ids, Supplier<Posix> delegate) {
    this.ids = ids;
    this.delegate = delegate;
  }

  /**
   * The ids of {@code status} (a {@code /proc/PID/status} file) and the other calls from {@code
   * delegate}; empty when the file cannot be read or has no well-formed {@code Uid:} line (not
   * Linux, no procfs), so the caller keeps its own way.
   */
  static Optional<Posix> of(Path status, Supplier<Posix> delegate) {
    return read(status).map(ids -> new ProcStatusIds(ids, delegate));
  }

  /** The real and effective uid in {@code status}, or empty (see {@link #of}). */
  static Optional<Ids> read(Path status) {
    String text;
    try {
      text = Files.readString(status, StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    for (String line : text.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] fields = line.substring(4).strip().split("\\s+");
        if (fields.length < 2) {
          return Optional.empty();
        }
        try {
          long uid = Long.parseLong(fields[0]);
          long euid = Long.parseLong(fields[1]);
          return uid < 0 || euid < 0 ? Optional.empty() : Optional.of(new Ids(uid, euid));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private Posix delegate() {
    Posix p = chosen;
    if (p == null) {
      synchronized (this) {
        p = chosen;
        if (p == null) {
          p = delegate.get();
          chosen = p;
        }
      }
    }
    return p;
  }

  @Override
  public long getuid() {
    return ids.uid();
  }

  @Override
  public long geteuid() {
    return ids.euid();
  }

  @Override
  public boolean kill(long pid, int signal) {
    return delegate().kill(pid, signal);
  }

  @Override
  public boolean isatty(int fd) {
    return delegate().isatty(fd);
  }

  @Override
  public boolean isNative() {
    return delegate().isNative();
  }

  @Override
  public String toString() {
    Posix p = chosen;
    return "ProcStatusIds[uid " + ids.uid() + ", euid " + ids.euid() + "; " + p + "]";
  }
}
