package io.github.scompose.core.compose;

/**
 * Receives followed log lines ({@link ComposeStack#followLogs}). Called from the followers' polling
 * threads, one per instance, possibly at the same time: must be quick and thread-safe.
 */
@FunctionalInterface
public interface ComposeLogListener {

  /** A complete line. */
  void onLine(ComposeLogLine line);
}
