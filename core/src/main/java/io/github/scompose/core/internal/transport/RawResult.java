package io.github.scompose.core.internal.transport;

import io.github.scompose.core.transport.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A finished process with its output as raw bytes (SSH {@code readFile} needs bytes, not text).
 *
 * @param argv the argv as given
 * @param exitCode exit code, {@code 128 + n} when killed by signal {@code n}
 * @param stdout bytes written to stdout (empty when streamed to a listener)
 * @param stderr bytes written to stderr (empty when streamed to a listener)
 * @param duration wall time from start to exit
 */
public record RawResult(
    List<String> argv, int exitCode, byte[] stdout, byte[] stderr, Duration duration) {

  /** The public result, output decoded as UTF-8 with malformed bytes replaced. */
  public CommandResult toCommandResult() {
    return CommandResult.builder()
        .argv(argv)
        .exitCode(exitCode)
        .stdout(new String(stdout, StandardCharsets.UTF_8))
        .stderr(new String(stderr, StandardCharsets.UTF_8))
        .duration(duration)
        .build();
  }
}
