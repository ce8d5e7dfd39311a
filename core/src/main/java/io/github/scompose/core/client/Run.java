package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code run [options] [--app NAME] TARGET [ARGS...]}: runs the runscript (or a SCIF app's) of a
 * running instance or an image, e.g. {@code run --app pdf_client instance://pdf URL out.pdf}.
 */
@Value.Immutable
@ValueStyle
public abstract class Run implements ContainerSettings, SingularityCommand, WithRun {

  /** {@code instance://NAME} or an image path/URI. */
  public abstract String target();

  /** {@code --app NAME}: run this SCIF app's runscript. */
  public abstract Optional<String> app();

  /** Runscript arguments. */
  public abstract List<String> args();

  @Value.Check
  protected void check() {
    if (target().isEmpty()) {
      throw new IllegalArgumentException("run needs a target");
    }
  }

  /** {@code run instance://name args...}. */
  public static Run inInstance(String instanceName, String... args) {
    return Run.builder().target("instance://" + instanceName).addArgs(args).build();
  }

  /** {@code run image args...}. */
  public static Run ofImage(String image, String... args) {
    return Run.builder().target(image).addArgs(args).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.run(this, dialect);
  }

  /**
   * A new, empty builder of {@link Run}.
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

  /** Builds a {@link Run}; get one from {@link Run#builder()} or {@link Run#toBuilder()}. */
  public static final class Builder extends ImmutableRun.Builder {
    Builder() {}
  }
}
