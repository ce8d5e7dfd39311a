package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code exec [options] [--app NAME] TARGET COMMAND...}: runs a command in a running instance
 * ({@code instance://NAME}) or in a fresh container of an image. Its exit code is the command's
 * (recorded from 3.4.2: {@code sh -c "exit 3"} exits 3).
 */
@Value.Immutable
@ValueStyle
public abstract class Exec implements ContainerSettings, SingularityCommand, WithExec {

  /** {@code instance://NAME} or an image path/URI. */
  public abstract String target();

  /** {@code --app NAME}: a SCIF app's environment. */
  public abstract Optional<String> app();

  /** The command and its arguments; not empty. */
  public abstract List<String> command();

  @Value.Check
  protected void check() {
    if (target().isEmpty() || command().isEmpty()) {
      throw new IllegalArgumentException("exec needs a target and a command");
    }
  }

  /** {@code exec instance://name command...}. */
  public static Exec inInstance(String instanceName, String... command) {
    return Exec.builder().target("instance://" + instanceName).addCommand(command).build();
  }

  /** {@code exec image command...}. */
  public static Exec inImage(String image, String... command) {
    return Exec.builder().target(image).addCommand(command).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.exec(this, dialect);
  }

  /**
   * A new, empty builder of {@link Exec}.
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

  /** Builds a {@link Exec}; get one from {@link Exec#builder()} or {@link Exec#toBuilder()}. */
  public static final class Builder extends ImmutableExec.Builder {
    Builder() {}
  }
}
