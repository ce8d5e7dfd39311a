package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * A file the caller writes before starting instances (e.g. {@code etc.hosts}) and binds into them.
 * The network module decides the content; core decides the directory (e.g. the project's state
 * folder) and writes it atomically.
 */
@Value.Immutable
@ValueStyle
public interface PlannedFile extends WithPlannedFile {

  /**
   * File name, without directory: {@value NetworkPlanner#HOSTS_FILE} or {@value
   * NetworkPlanner#RESOLV_FILE}.
   */
  String fileName();

  /** The text to write, UTF-8. */
  String content();

  /**
   * A new, empty builder of {@link PlannedFile}.
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
   * Builds a {@link PlannedFile}; get one from {@link PlannedFile#builder()} or {@link
   * PlannedFile#toBuilder()}.
   */
  static final class Builder extends ImmutablePlannedFile.Builder {
    Builder() {}
  }
}
