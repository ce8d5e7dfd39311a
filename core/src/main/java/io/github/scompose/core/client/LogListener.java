package io.github.scompose.core.client;

/**
 * Receives followed log lines, without terminator. Called from the follower's thread; must be quick
 * and thread-safe.
 */
@FunctionalInterface
public interface LogListener {

  /** A complete line appended to the {@code stream} log. */
  void onLine(LogStream stream, String line);
}
