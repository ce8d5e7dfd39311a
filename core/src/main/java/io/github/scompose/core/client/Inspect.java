package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code inspect [--json] [--labels] [--runscript] [--environment] [--list-apps] [--app NAME]
 * IMAGE} (recorded help of 3.4.2; it has no {@code --startscript}: {@code unknown flag}). With none
 * of the section flags the binary shows the labels.
 */
@Value.Immutable
@ValueStyle
public abstract class Inspect implements SingularityCommand, WithInspect {

  /** Image path. */
  public abstract String image();

  /** {@code --json}; default {@code true} (then parsed into {@link ImageInspection}). */
  @Value.Default
  public boolean json() {
    return true;
  }

  /** {@code --labels}. */
  @Value.Default
  public boolean labels() {
    return false;
  }

  /** {@code --runscript}. */
  @Value.Default
  public boolean runscript() {
    return false;
  }

  /** {@code --environment}. */
  @Value.Default
  public boolean environment() {
    return false;
  }

  /** {@code --list-apps}. */
  @Value.Default
  public boolean listApps() {
    return false;
  }

  /** {@code --app NAME}: a SCIF app's metadata. */
  public abstract Optional<String> app();

  /** {@code inspect --json image}. */
  public static Inspect of(String image) {
    return Inspect.builder().image(image).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.inspect(this, dialect);
  }

  /**
   * A new, empty builder of {@link Inspect}.
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
   * Builds a {@link Inspect}; get one from {@link Inspect#builder()} or {@link
   * Inspect#toBuilder()}.
   */
  public static final class Builder extends ImmutableInspect.Builder {
    Builder() {}
  }
}
