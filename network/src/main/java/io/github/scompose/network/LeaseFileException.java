package io.github.scompose.network;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The lease file cannot be used: unreadable, not JSON, not a scompose lease file, a version this
 * library does not read, or an I/O failure while locking or writing. The message names the file and
 * the problem. A bad file is never overwritten: a copy is kept next to it ({@link #backup()}, e.g.
 * {@code leases.json.bak}) and the file is left as it is until {@link LeaseStore#recover()} is
 * called or the user moves it away.
 */
public final class LeaseFileException extends NetworkException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final transient Path backup;

  /** A problem with {@code file}; {@code backup} is the copy kept, or {@code null}. */
  public LeaseFileException(Path file, String problem, Path backup, Throwable cause) {
    super(
        "lease file "
            + file
            + ": "
            + problem
            + (backup == null
                ? ""
                : "; the file was left untouched and a copy kept at "
                    + backup
                    + " (move the file away or call LeaseStore.recover() to start afresh)"),
        cause);
    this.file = file;
    this.backup = backup;
  }

  /** The lease file. */
  public Path file() {
    return file;
  }

  /** The copy of the bad file, when one was made. */
  public Optional<Path> backup() {
    return Optional.ofNullable(backup);
  }
}
