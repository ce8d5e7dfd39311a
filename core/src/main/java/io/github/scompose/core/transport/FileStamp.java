package io.github.scompose.core.transport;

import io.github.scompose.style.ValueStyle;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * The size, modification time and (where known) POSIX permissions of a file (or directory) on a
 * transport's host, as {@link Transport#stat} reads them. The compose engine records it per
 * instance as the fingerprint of the image the instance was started from (a SIF file or a sandbox
 * directory), so that {@code up} recreates an instance whose image was rebuilt or pulled again at
 * the same path.
 *
 * <p>The resolution of {@link #modified()} is the transport's: nanoseconds where this machine's
 * file system has them (the default {@link Transport#stat}), whole seconds over SSH ({@code stat -c
 * %Y}). Two stamps are compared only when read through the same kind of transport.
 *
 * <p>{@link #permissions()} is auxiliary: it is not part of {@code equals}/{@code hashCode}, so the
 * image fingerprint stays size and modification time (a {@code chmod} of an image does not recreate
 * its instances, and stamps recorded without permissions still equal fresh ones). The compose
 * engine uses it to refuse secret files that group or others may access (issue 6).
 */
@Value.Immutable
@ValueStyle
public interface FileStamp extends WithFileStamp {

  /** Size in bytes, {@code >= 0} (for a directory, what the file system reports for it). */
  long size();

  /** Last modification time (POSIX {@code mtime}). */
  Instant modified();

  /**
   * The file's POSIX permission bits ({@code chmod} mode without set-user-ID, set-group-ID and
   * sticky bits), following symbolic links; empty when unknown (a file system without POSIX
   * attributes, or a stamp recorded without them). Not part of equality (see above).
   */
  @Value.Auxiliary
  Optional<Set<PosixFilePermission>> permissions();

  /** A stamp of {@code size} bytes modified at {@code modified}, permissions unknown. */
  static FileStamp of(long size, Instant modified) {
    return FileStamp.builder().size(size).modified(modified).build();
  }

  /** A stamp of {@code size} bytes modified at {@code modified} with {@code permissions}. */
  static FileStamp of(long size, Instant modified, Set<PosixFilePermission> permissions) {
    return FileStamp.builder().size(size).modified(modified).permissions(permissions).build();
  }

  /**
   * Whether {@link #permissions()} are known and grant nothing to group or others (mode {@code
   * 0?00}).
   */
  default boolean ownerOnly() {
    return permissions()
        .map(
            ps ->
                ps.stream()
                    .allMatch(p -> !p.name().startsWith("GROUP") && !p.name().startsWith("OTHERS")))
        .orElse(false);
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

  /**
   * A new, empty builder of {@link FileStamp}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link FileStamp}; get one from {@link FileStamp#builder()} or {@link
   * FileStamp#toBuilder()}.
   */
  static final class Builder extends ImmutableFileStamp.Builder {
    Builder() {}
  }
}
