package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * {@code instance start [options] IMAGE NAME [ARGS...]}: starts a named instance whose startscript
 * gets {@link #args()} (Singularity 2.x: {@code instance.start}).
 *
 * <p>Argument order follows singularity-compose 0.1.19 (recorded argv): binds, {@code --net},
 * {@code --network}, {@code --network-args}…, other typed flags, pass-through options, {@code
 * --hostname}, {@code --writable-tmpfs}, image, name, args. Example: {@code instance start --bind
 * WD/etc.hosts:/etc/hosts --net --network none --network-args IP=10.22.0.2 --hostname web1
 * --writable-tmpfs /images/sleep.sif web1}.
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceStart
    implements ContainerSettings, SingularityCommand, WithInstanceStart {

  /** Image path or URI ({@code .sif}, sandbox directory, {@code docker://…}). */
  public abstract String image();

  /**
   * Instance name; the binary allows letters, digits, {@code _ . -} (3.4.2 refused {@code a/b}).
   */
  public abstract String name();

  /** Startscript arguments; a string is one argument (as singularity-compose passes them). */
  public abstract List<String> args();

  @Value.Check
  protected void check() {
    if (image().isEmpty() || name().isEmpty()) {
      throw new IllegalArgumentException("instance start needs an image and a name");
    }
  }

  /** A start of {@code image} as {@code name} with no options. */
  public static InstanceStart of(String image, String name) {
    return InstanceStart.builder().image(image).name(name).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.instanceStart(this, dialect);
  }

  /**
   * A new, empty builder of {@link InstanceStart}.
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
   * Builds a {@link InstanceStart}; get one from {@link InstanceStart#builder()} or {@link
   * InstanceStart#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceStart.Builder {
    Builder() {}
  }
}
