package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A command rendered for one dialect: its arguments (after the program), the variables to add to
 * the binary's environment, and the content of an env file to write first.
 *
 * <p>When {@link #envFileContent()} is present, {@link #args()} holds {@link #ENV_FILE_PLACEHOLDER}
 * where the env file's path goes; {@link #argsWithEnvFile(String)} puts the path there. {@link
 * #environment()} and {@link #envFileContent()} may hold secrets and are left out of {@link
 * #toString()}.
 */
@Value.Immutable
@ValueStyle
public abstract class RenderedCommand implements WithRenderedCommand {

  /** Stands for the env file's path in {@link #args()} until it is known: {@code <env-file>}. */
  public static final String ENV_FILE_PLACEHOLDER = "<env-file>";

  /** Arguments after the program, e.g. {@code [instance, start, --bind, /a:/b, img.sif, web1]}. */
  public abstract List<String> args();

  /** Variables for the binary's environment, e.g. {@code SINGULARITYENV_FOO=bar}; secret values. */
  @Value.Redacted
  public abstract Map<String, String> environment();

  /** Lines {@code NAME='value'} of an env file to write (mode 0600) before running; secret. */
  @Value.Redacted
  public abstract Optional<String> envFileContent();

  /** {@link #args()} with the placeholder replaced by {@code path}. */
  public List<String> argsWithEnvFile(String path) {
    return args().stream().map(a -> a.equals(ENV_FILE_PLACEHOLDER) ? path : a).toList();
  }

  /**
   * A new, empty builder of {@link RenderedCommand}.
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
   * Builds a {@link RenderedCommand}; get one from {@link RenderedCommand#builder()} or {@link
   * RenderedCommand#toBuilder()}.
   */
  public static final class Builder extends ImmutableRenderedCommand.Builder {
    Builder() {}
  }
}
