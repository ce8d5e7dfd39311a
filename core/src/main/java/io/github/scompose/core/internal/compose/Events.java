package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeListener;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link ComposeEvent}s to the listeners and to slf4j (logger {@link ComposeEvent#LOGGER};
 * FAILED and RECOVERED at WARN, the rest at INFO). A listener that throws is logged and skipped.
 * Every event is logged once, here: the engine does not log what an event already says, so that a
 * program that shows the events to its user (the CLI's progress) can turn this one logger down and
 * print each report once.
 */
public final class Events {

  private static final Logger LOG = LoggerFactory.getLogger(ComposeEvent.LOGGER);

  private final String project;
  private final List<ComposeListener> listeners;
  private final Clock clock;

  /** Events of {@code project}. */
  public Events(String project, List<ComposeListener> listeners, Clock clock) {
    this.project = project;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
  }

  /** Emits one event; {@code service}/{@code instance} may be {@code null}. */
  public void emit(ComposeEvent.Type type, String service, String instance, String message) {
    ComposeEvent e =
        ComposeEvent.builder()
            .type(type)
            .project(project)
            .service(java.util.Optional.ofNullable(service))
            .instance(java.util.Optional.ofNullable(instance))
            .message(message == null ? "" : message)
            .time(clock.instant())
            .build();
    String who = instance != null ? instance : service != null ? service : project;
    if (type == ComposeEvent.Type.FAILED || type == ComposeEvent.Type.RECOVERED) {
      LOG.warn("{} {} {}", who, type, e.message());
    } else {
      LOG.info("{} {} {}", who, type, e.message());
    }
    for (ComposeListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("compose listener {} failed on {}: {}", l, type, ex.toString());
      }
    }
  }
}
