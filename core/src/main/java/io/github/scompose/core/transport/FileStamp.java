package io.github.scompose.core.transport;

import io.github.scompose.style.ValueStyle;
import java.time.Instant;
import org.immutables.value.Value;

/**
 * The size and modification time of a file (or directory) on a transport's host, as {@link
 * Transport#stat} reads them. The compose engine records it per instance as the fingerprint of the
 * image the instance was started from (a SIF file or a sandbox directory), so that {@code up}
 * recreates an instance whose image was rebuilt or pulled again at the same path.
 *
 * <p>The resolution of {@link #modified()} is the transport's: nanoseconds where this machine's
 * file system has them (the default {@link Transport#stat}), whole seconds over SSH ({@code stat -c
 * %Y}). Two stamps are compared only when read through the same kind of transport.
 */
@Value.Immutable
@ValueStyle
public interface FileStamp {

  /** Size in bytes, {@code >= 0} (for a directory, what the file system reports for it). */
  long size();

  /** Last modification time (POSIX {@code mtime}). */
  Instant modified();

  /** A stamp of {@code size} bytes modified at {@code modified}. */
  static FileStamp of(long size, Instant modified) {
    return ImmutableFileStamp.builder().size(size).modified(modified).build();
  }

  /**
   * Refuses a negative size.
   *
   * @throws IllegalArgumentException when {@link #size()} is negative
   */
  @Value.Check
  default void check() {
    if (size() < 0) {
      throw new IllegalArgumentException("size " + size() + " is negative");
    }
  }
}
