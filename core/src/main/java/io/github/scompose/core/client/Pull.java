package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code pull [--force] [options] [DEST] URI} (3.x, Apptainer; recorded help of 3.4.2), {@code pull
 * [--force] --name DEST URI} (2.x).
 */
@Value.Immutable
@ValueStyle
public abstract class Pull implements SingularityCommand, WithPull {

  /**
   * {@code docker://…}, {@code library://…}, {@code oras://…}, {@code shub://…}, {@code https://…}.
   */
  public abstract String uri();

  /** Where to write the image; default: the binary's choice in its working directory. */
  public abstract Optional<String> destination();

  /** {@code --force}: overwrite an existing file; default {@code false}. */
  @Value.Default
  public boolean force() {
    return false;
  }

  /** Pass-through options, as in {@link ContainerSettings#options()}. */
  public abstract List<String> options();

  /** A pull of {@code uri} to {@code destination}. */
  public static Pull of(String uri, String destination) {
    return Pull.builder().uri(uri).destination(destination).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.pull(this, dialect);
  }

  /**
   * A new, empty builder of {@link Pull}.
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

  /** Builds a {@link Pull}; get one from {@link Pull#builder()} or {@link Pull#toBuilder()}. */
  public static final class Builder extends ImmutablePull.Builder {
    Builder() {}
  }
}
