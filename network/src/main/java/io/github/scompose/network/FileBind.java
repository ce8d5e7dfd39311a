package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * A bind of a {@link PlannedFile} into an instance: {@code --bind <dir>/<fileName>:<containerPath>}
 * once core has chosen {@code <dir>}.
 */
@Value.Immutable
@ValueStyle
public interface FileBind extends WithFileBind {

  /** The planned file's name. */
  String fileName();

  /** Where it appears inside the instance, e.g. {@code /etc/hosts}. */
  String containerPath();

  /** A bind of {@code fileName} to {@code containerPath}. */
  static FileBind of(String fileName, String containerPath) {
    return FileBind.builder().fileName(fileName).containerPath(containerPath).build();
  }

  /**
   * A new, empty builder of {@link FileBind}.
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
   * Builds a {@link FileBind}; get one from {@link FileBind#builder()} or {@link
   * FileBind#toBuilder()}.
   */
  static final class Builder extends ImmutableFileBind.Builder {
    Builder() {}
  }
}
