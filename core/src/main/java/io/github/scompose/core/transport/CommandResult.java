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
public interface CommandResult {

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
}
