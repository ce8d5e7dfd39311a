package io.github.scompose.core.compose;

/**
 * Receives {@link ComposeEvent}s, e.g. to draw progress in a CLI or to record what happened in a
 * JUnit report. Called from engine threads, concurrently; must be quick and thread-safe. An
 * exception thrown by a listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ComposeListener {

  /** Called once per event. */
  void onEvent(ComposeEvent event);
}
