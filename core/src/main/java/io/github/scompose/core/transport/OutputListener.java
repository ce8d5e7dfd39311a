package io.github.scompose.core.transport;

/**
 * Receives a streamed command's output a line at a time, without the line terminator. Called from
 * the transport's reader threads: implementations must be thread-safe and quick.
 */
public interface OutputListener {

  /** A line the command wrote to stdout. */
  void onStdout(String line);

  /** A line the command wrote to stderr. */
  void onStderr(String line);

  /** A listener that drops everything. */
  static OutputListener discarding() {
    return new OutputListener() {
      @Override
      public void onStdout(String line) {}

      @Override
      public void onStderr(String line) {}
    };
  }
}
