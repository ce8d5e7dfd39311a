package io.github.scompose.samples.serve;

import io.github.scompose.style.ValueStyle;
import java.nio.file.Path;
import java.time.Instant;
import org.immutables.value.Value;

/** An image served from the folder: a SIF (or older) file or a sandbox folder directly in it. */
@Value.Immutable
@ValueStyle
public abstract class ServedImage {

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
}
