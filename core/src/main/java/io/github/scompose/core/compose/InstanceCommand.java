package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A command for a running instance of a project: what {@link Compose#exec(java.nio.file.Path,
 * InstanceCommand)} and {@link Compose#runInInstance(java.nio.file.Path, InstanceCommand)} run. The
 * command gets the environment the instance was started with (its service's {@code environment} and
 * {@code env_file}, as recorded in {@code .scompose/instances.json}), with {@link #environment()}
 * added or overriding, like {@code docker compose exec -e K=V}.
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceCommand implements WithInstanceCommand {

  /** The instance, e.g. {@code shop-web-1}; one the project records. */
  public abstract String instance();

  /**
   * The command and its arguments ({@code exec}; not empty), or the runscript's arguments ({@code
   * run}; may be empty).
   */
  public abstract List<String> args();

  /**
   * Variables added to, or overriding, the instance's environment; default empty. Values may be
   * secrets: they never appear in argv, logs or messages. Names must match {@code
   * [A-Za-z_][A-Za-z0-9_]*} (checked when the command is rendered: {@link
   * IllegalArgumentException}).
   */
  @Value.Redacted
  public abstract Map<String, String> environment();

  /**
   * The working directory in the container ({@code --pwd DIR}, as {@code docker compose exec -w
   * DIR}); default empty: the binary's (the caller's working directory where it is bound, else
   * {@code /}). A dialect without {@code --pwd} on the subcommand (Singularity 2.x) refuses it
   * before anything runs ({@link io.github.scompose.core.errors.UnknownFlagException} naming the
   * option and the binary's version).
   */
  public abstract Optional<String> workingDirectory();

  @Value.Check
  protected void check() {
    if (instance().isEmpty()) {
      throw new IllegalArgumentException("an instance command needs an instance name");
    }
  }

  /** {@code args} in {@code instance} with the instance's environment only. */
  public static InstanceCommand of(String instance, String... args) {
    return InstanceCommand.builder().instance(instance).addArgs(args).build();
  }

  /**
   * A new, empty builder of {@link InstanceCommand}.
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
   * Builds a {@link InstanceCommand}; get one from {@link InstanceCommand#builder()} or {@link
   * InstanceCommand#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceCommand.Builder {
    Builder() {}
  }
}
