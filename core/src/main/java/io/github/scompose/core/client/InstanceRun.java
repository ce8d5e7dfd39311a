package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * {@code instance run [options] IMAGE NAME [ARGS...]} (Apptainer): starts a named instance that
 * runs the image's runscript instead of its startscript — what images converted from Docker need,
 * as they have no startscript. Same options and order as {@link InstanceStart}.
 *
 * <p>Rendering for a dialect without {@link Dialect#supportsInstanceRun()} throws {@link
 * io.github.scompose.core.errors.UnknownFlagException} (flag {@code instance run}).
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceRun
    implements ContainerSettings, SingularityCommand, WithInstanceRun {

  /** Image path or URI. */
  public abstract String image();

  /** Instance name. */
  public abstract String name();

  /** Runscript arguments. */
  public abstract List<String> args();

  @Value.Check
  protected void check() {
    if (image().isEmpty() || name().isEmpty()) {
      throw new IllegalArgumentException("instance run needs an image and a name");
    }
  }

  /** A run of {@code image} as {@code name} with no options. */
  public static InstanceRun of(String image, String name) {
    return InstanceRun.builder().image(image).name(name).build();
  }

  /**
   * The {@code instance run} of exactly {@code start}'s settings, image, name and arguments: how an
   * instance planned with a start command is launched with its runscript instead.
   */
  public static InstanceRun of(InstanceStart start) {
    return InstanceRun.builder()
        .from((ContainerSettings) start)
        .image(start.image())
        .name(start.name())
        .args(start.args())
        .build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.instanceRun(this, dialect);
  }

  /**
   * A new, empty builder of {@link InstanceRun}.
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
   * Builds a {@link InstanceRun}; get one from {@link InstanceRun#builder()} or {@link
   * InstanceRun#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceRun.Builder {
    Builder() {}
  }
}
