package io.github.scompose.samples.serve;

import io.github.scompose.style.ValueStyle;
import java.nio.file.Path;
import java.time.Instant;
import org.immutables.value.Value;

/** An image served from the folder: a SIF (or older) file or a sandbox folder directly in it. */
@Value.Immutable
@ValueStyle
public abstract class ServedImage implements WithServedImage {

  /** The file or folder name in the served folder, e.g. {@code hello-name.sif}. */
  public abstract String name();

  /** Its absolute path, as given to the binary. */
  public abstract Path path();

  /** Its size in bytes (of the file; 0 for a sandbox folder). */
  public abstract long sizeBytes();

  /** Its last modification time. */
  public abstract Instant modified();

  /** Whether it is a sandbox folder (holds {@code .singularity.d}). */
  public abstract boolean sandbox();

  /**
   * A new, empty builder of {@link ServedImage}.
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
   * Builds a {@link ServedImage}; get one from {@link ServedImage#builder()} or {@link
   * ServedImage#toBuilder()}.
   */
  public static final class Builder extends ImmutableServedImage.Builder {
    Builder() {}
  }
}
