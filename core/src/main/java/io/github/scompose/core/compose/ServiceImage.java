package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * One row of {@link Compose#images}: where a service's image comes from and whether its file is on
 * the runtime's host. The paths are those {@code up} starts from (see {@link UpPlanner}: builds and
 * pulls go to {@code <state>/images/<service>.sif}, or where singularity-compose 0.1.19 puts them
 * with {@link PlanOptions#referenceCompatible()}; a local path is used as written).
 */
@Value.Immutable
@ValueStyle
public abstract class ServiceImage implements WithServiceImage {

  /** How the image is obtained. */
  public enum Source {
    /** Pulled from {@link #reference()}, a URI ({@code docker://}, {@code library://} …). */
    PULL,
    /** Built from the recipe {@link #reference()} ({@code build.context}/{@code build.recipe}). */
    BUILD,
    /**
     * A local file or sandbox directory, used as it is ({@link #reference()} = {@link #path()}).
     */
    LOCAL
  }

  /** The service. */
  public abstract String service();

  /** Pull, build or local. */
  public abstract Source source();

  /** The URI pulled, the recipe built (absolute path), or the local path. */
  public abstract String reference();

  /** The image path on the runtime's host that instances are started from. */
  public abstract String path();

  /** Whether {@link #path()} exists now. */
  public abstract boolean present();

  /**
   * Size of {@link #path()} in bytes ({@code stat -L -c %s} on the runtime's host); empty when the
   * image is absent or the host cannot tell (no {@code stat}, an emulator).
   */
  public abstract OptionalLong sizeBytes();

  /**
   * A new, empty builder of {@link ServiceImage}.
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
   * Builds a {@link ServiceImage}; get one from {@link ServiceImage#builder()} or {@link
   * ServiceImage#toBuilder()}.
   */
  public static final class Builder extends ImmutableServiceImage.Builder {
    Builder() {}
  }
}
