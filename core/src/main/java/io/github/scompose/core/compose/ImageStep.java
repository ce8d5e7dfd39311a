package io.github.scompose.core.compose;

import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * Getting a service's image before {@code up} starts it: a {@code pull} of an {@code image:} URI or
 * a {@code build} of {@code build.recipe} in {@code build.context}, into {@link #destination()}
 * ({@code <state>/images/<service>.sif}; with {@link PlanOptions#referenceCompatible()} where
 * singularity-compose 0.1.19 puts them, recorded argv: {@code <context>/<service>.sif} for builds,
 * {@code <project>/<service>/<service>.sif} for pulls). Skipped when the destination exists.
 */
@Value.Immutable
@ValueStyle
public abstract class ImageStep implements WithImageStep {

  /** The service whose image this is. */
  public abstract String service();

  /** The {@code Pull} or {@code Build} command. */
  public abstract SingularityCommand command();

  /** Absolute path of the SIF file produced. */
  public abstract String destination();

  /**
   * A new, empty builder of {@link ImageStep}.
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
   * Builds a {@link ImageStep}; get one from {@link ImageStep#builder()} or {@link
   * ImageStep#toBuilder()}.
   */
  public static final class Builder extends ImmutableImageStep.Builder {
    Builder() {}
  }
}
