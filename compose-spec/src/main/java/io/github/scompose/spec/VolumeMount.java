package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * One mount of a service or instance: a bind of a host path, a named or anonymous volume, or a
 * tmpfs.
 *
 * <p>Shapes (Compose Specification: {@code services.volumes}, short syntax {@code
 * VOLUME:CONTAINER_PATH[:ACCESS_MODE]} and long syntax {@code type}, {@code source}, {@code
 * target}, {@code read_only}, {@code bind.create_host_path}, {@code tmpfs.size});
 * singularity-compose {@code volumes} entries are binds in the same short syntax:
 *
 * <ul>
 *   <li>{@code "./data:/data"}, {@code "/srv:/srv:ro"}, {@code "~/x:/x"}: {@link Type#BIND} (a
 *       source starting with {@code .}, {@code /} or {@code ~} is a host path);
 *   <li>{@code "db-data:/var/lib/db"}: {@link Type#VOLUME} named {@code db-data};
 *   <li>{@code "/var/lib/db"}: an anonymous {@link Type#VOLUME} (no source).
 * </ul>
 *
 * <p>Rules checked when a value is built ({@link IllegalArgumentException} naming the values):
 * {@link #target()} is an absolute path; a bind has a source; a tmpfs has no source; {@link
 * #tmpfsSize()} is only set on a tmpfs and is not negative; {@link #createHostPath()} is only
 * {@code false} on a bind.
 */
@Value.Immutable
@ValueStyle
public abstract class VolumeMount implements WithVolumeMount {

  /** Kind of mount. Compose Specification: long syntax {@code type}. */
  public enum Type {
    /** A host path mounted into the instance ({@code type: bind}). */
    BIND,
    /** A named or anonymous volume ({@code type: volume}). */
    VOLUME,
    /** A memory-backed file system ({@code type: tmpfs}). */
    TMPFS
  }

  /** Kind of mount. */
  public abstract Type type();

  /**
   * For {@link Type#BIND}: the host path as written ({@code "./data"}, {@code "~/x"}; resolving it
   * against the project directory is the loader's job). For {@link Type#VOLUME}: the volume name;
   * empty for an anonymous volume. Always empty for {@link Type#TMPFS}.
   */
  public abstract Optional<String> source();

  /** Absolute path inside the instance where the mount appears. */
  public abstract String target();

  /** Mounted read-only ({@code ro}, long syntax {@code read_only}); default {@code false}. */
  @Value.Default
  public boolean readOnly() {
    return false;
  }

  /**
   * Further mount options as written, in order, without {@code ro}/{@code rw} (e.g. {@code z},
   * {@code Z}, {@code nocopy}, {@code rprivate}). Default: none.
   */
  public abstract List<String> options();

  /**
   * Long syntax {@code bind.create_host_path}: create the host directory when missing. Default
   * {@code true} (Compose Specification: the short syntax always creates it).
   */
  @Value.Default
  public boolean createHostPath() {
    return true;
  }

  /** Long syntax {@code tmpfs.size}, in bytes; only for {@link Type#TMPFS}. Empty: no limit. */
  public abstract OptionalLong tmpfsSize();

  /**
   * The short syntax for this mount: {@code SOURCE:TARGET[:OPTIONS]} with {@code ro} first in the
   * options when read-only ({@code rw} is the default and left out), or {@code TARGET} alone for an
   * anonymous volume. Empty for a tmpfs, and when {@link #createHostPath()} is {@code false}: write
   * the long syntax then.
   */
  public Optional<String> toShortForm() {
    if (type() == Type.TMPFS || !createHostPath()) {
      return Optional.empty();
    }
    List<String> opts = new ArrayList<>();
    if (readOnly()) {
      opts.add("ro");
    }
    opts.addAll(options());
    StringBuilder out = new StringBuilder();
    source().ifPresent(s -> out.append(s).append(':'));
    out.append(target());
    if (!opts.isEmpty()) {
      if (source().isEmpty()) {
        return Optional.empty();
      }
      out.append(':').append(String.join(",", opts));
    }
    return Optional.of(out.toString());
  }

  @Value.Check
  protected void check() {
    if (!target().startsWith("/")) {
      throw new IllegalArgumentException(
          "mount target \"" + target() + "\" is not an absolute path");
    }
    if (type() == Type.BIND && source().filter(s -> !s.isEmpty()).isEmpty()) {
      throw new IllegalArgumentException("bind to " + target() + " has no source path");
    }
    if (type() == Type.TMPFS && source().isPresent()) {
      throw new IllegalArgumentException("tmpfs at " + target() + " cannot have a source");
    }
    if (tmpfsSize().isPresent()) {
      if (type() != Type.TMPFS) {
        throw new IllegalArgumentException(
            "tmpfs size is set on the "
                + type().name().toLowerCase(java.util.Locale.ROOT)
                + " mount at "
                + target());
      }
      if (tmpfsSize().getAsLong() < 0) {
        throw new IllegalArgumentException(
            "tmpfs size " + tmpfsSize().getAsLong() + " at " + target() + " is negative");
      }
    }
    if (!createHostPath() && type() != Type.BIND) {
      throw new IllegalArgumentException(
          "create_host_path is set on the "
              + type().name().toLowerCase(java.util.Locale.ROOT)
              + " mount at "
              + target()
              + "; it applies to binds only");
    }
  }

  /**
   * A new, empty builder of {@link VolumeMount}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link VolumeMount}; get one from {@link VolumeMount#builder()} or {@link
   * VolumeMount#toBuilder()}.
   */
  public static final class Builder extends ImmutableVolumeMount.Builder {
    Builder() {}
  }
}
