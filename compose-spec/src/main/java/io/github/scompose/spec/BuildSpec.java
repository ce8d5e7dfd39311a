package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How to build a service's SIF image. singularity-compose spec 1.0/2.0: {@code build.context},
 * {@code build.recipe}, {@code build.options}.
 *
 * <p>{@link #context()} is absolute (resolved against the project directory); {@link #recipe()} is
 * as written, relative to the context (singularity-compose's default when absent: {@code
 * Singularity}); {@link #options()} are kept in their given form ({@code fakeroot}, {@code remote},
 * {@code k=v}; a {@code {k: v}} map entry is kept as {@code k=v}); turning them into {@code
 * singularity build} flags is core's job.
 */
@Value.Immutable
@ValueStyle
public abstract class BuildSpec implements WithBuildSpec {

  /** Absolute build context folder. */
  public abstract Path context();

  /** Recipe (definition file) relative to the context, as written. */
  public abstract Optional<String> recipe();

  /** Build options as written, in order. */
  public abstract List<String> options();

  /**
   * A new, empty builder of {@link BuildSpec}.
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
   * Builds a {@link BuildSpec}; get one from {@link BuildSpec#builder()} or {@link
   * BuildSpec#toBuilder()}.
   */
  public static final class Builder extends ImmutableBuildSpec.Builder {
    Builder() {}
  }
}
