package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * {@code build [--fakeroot] [--sandbox] [--force] [options] DEST SPEC} (recorded help of 3.4.2;
 * singularity-compose runs {@code build --fakeroot WD/alp1/alp1.sif Singularity}).
 */
@Value.Immutable
@ValueStyle
public abstract class Build implements SingularityCommand, WithBuild {

  /** The image to write: a {@code .sif} path, or a directory with {@link #sandbox()}. */
  public abstract String destination();

  /** What to build from: a definition (recipe) file, a local image or directory, or a URI. */
  public abstract String spec();

  /** {@code --sandbox}: write a directory; default {@code false}. */
  @Value.Default
  public boolean sandbox() {
    return false;
  }

  /** {@code --fakeroot} (3.3+); default {@code false}. */
  @Value.Default
  public boolean fakeroot() {
    return false;
  }

  /** {@code --force}: overwrite an existing image; default {@code false}. */
  @Value.Default
  public boolean force() {
    return false;
  }

  /** Pass-through options, as in {@link ContainerSettings#options()}. */
  public abstract List<String> options();

  /** A build of {@code spec} into {@code destination}. */
  public static Build of(String destination, String spec) {
    return Build.builder().destination(destination).spec(spec).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.build(this, dialect);
  }

  /**
   * A new, empty builder of {@link Build}.
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

  /** Builds a {@link Build}; get one from {@link Build#builder()} or {@link Build#toBuilder()}. */
  public static final class Builder extends ImmutableBuild.Builder {
    Builder() {}
  }
}
