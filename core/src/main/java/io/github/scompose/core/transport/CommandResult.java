package io.github.scompose.core.transport;

import io.github.scompose.style.ValueStyle;
import java.time.Duration;
import java.util.List;
import org.immutables.value.Value;

/**
 * What a finished command did. Output is decoded as UTF-8 (malformed bytes replaced).
 *
 * <p>{@link #stdout()} and {@link #stderr()} are empty for commands run with {@link
 * Transport#start}, whose lines went to the listener.
 */
@Value.Immutable
@ValueStyle
public interface CommandResult extends WithCommandResult {

  /** The argv that ran, as given in the request. */
  List<String> argv();

  /** The process exit code; by convention {@code 128 + n} when killed by signal {@code n}. */
  int exitCode();

  /** Everything written to stdout. */
  String stdout();

  /** Everything written to stderr. */
  String stderr();

  /** Wall time from start to exit. */
  Duration duration();

  /** {@code exitCode() == 0}. */
  default boolean succeeded() {
    return exitCode() == 0;
  }

  /**
   * A new, empty builder of {@link CommandResult}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link CommandResult}; get one from {@link CommandResult#builder()} or {@link
   * CommandResult#toBuilder()}.
   */
  static final class Builder extends ImmutableCommandResult.Builder {
    Builder() {}
  }
}
