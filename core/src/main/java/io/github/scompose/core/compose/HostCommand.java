package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * A command run on the transport's host (not in a container) after an instance started:
 * singularity-compose spec 2.0 {@code post.command} / {@code post.commands} ("a list of commands to
 * run (directly or a script) on the host"). Run as an argv through the transport, never through a
 * shell: a list is the argv as written; a string is split into words like a POSIX shell would
 * (quotes group, no expansion), as singularity-compose does with {@code shlex.split}. {@code up}
 * fails (and rolls back) when it exits non-zero.
 */
@Value.Immutable
@ValueStyle
public abstract class HostCommand implements WithHostCommand {

  /** The argv; not empty. */
  public abstract List<String> argv();

  /** Absolute working directory on the host: the project directory. */
  public abstract String workingDirectory();

  @Value.Check
  protected void check() {
    if (argv().isEmpty()) {
      throw new IllegalArgumentException("a host command needs an argv");
    }
  }

  /**
   * A new, empty builder of {@link HostCommand}.
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
   * Builds a {@link HostCommand}; get one from {@link HostCommand#builder()} or {@link
   * HostCommand#toBuilder()}.
   */
  public static final class Builder extends ImmutableHostCommand.Builder {
    Builder() {}
  }
}
