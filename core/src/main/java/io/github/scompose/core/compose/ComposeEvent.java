package io.github.scompose.core.compose;

import io.github.scompose.style.ValueStyle;
import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Something the engine did or saw, delivered to every {@link ComposeListener} and logged once
 * through slf4j under {@value #LOGGER} ({@code FAILED} and {@code RECOVERED} at WARN, the rest at
 * INFO). Listeners are called from the engine's worker threads, possibly at the same time.
 */
@Value.Immutable
@ValueStyle
public abstract class ComposeEvent implements WithComposeEvent {

  /**
   * The slf4j logger of every event and of the plan's notes ({@link UpPlan#notes()}): {@value}. The
   * engine logs nothing that an event already says, so a program that shows the events to its user
   * (a listener) and prints the notes can set this logger to ERROR and still report everything
   * once, as the {@code scompose} CLI does unless {@code --debug}.
   */
  public static final String LOGGER = "io.github.scompose.core.compose.events";

  /** The closed set of event types. */
  public enum Type {
    /** An image is being pulled ({@link #service()} set). */
    PULLING,
    /** An image is being built ({@link #service()} set). */
    BUILDING,
    /** An image step finished or was skipped because the file exists. */
    IMAGE_READY,
    /** {@code instance start} is about to run. */
    STARTING,
    /** The instance started and the startup check saw it running (PID in {@link #message()}). */
    STARTED,
    /** The instance's healthcheck passed. */
    HEALTHY,
    /** A start, check or step failed ({@link #message()} says what). */
    FAILED,
    /**
     * The instance is started again: after a failed startup check, or by its restart policy ({@link
     * #message()} has the attempt).
     */
    RESTARTING,
    /** {@code instance stop} is about to run. */
    STOPPING,
    /** The instance is stopped (or was already gone). */
    STOPPED,
    /**
     * The engine recovered from what a crash or a damaged file left behind: a damaged state or
     * records file kept as {@code .bak} (the message names both files and says what was wrong), or
     * the instances {@code down} found by name in the listing. Logged at WARN.
     */
    RECOVERED
  }

  /** What happened. */
  public abstract Type type();

  /** The project. */
  public abstract String project();

  /** The service concerned, when one is. */
  public abstract Optional<String> service();

  /** The instance concerned, when one is. */
  public abstract Optional<String> instance();

  /** Details for people; never holds a secret. Default empty. */
  @Value.Default
  public String message() {
    return "";
  }

  /** When, from the engine's clock. */
  public abstract Instant time();

  /**
   * A new, empty builder of {@link ComposeEvent}.
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
   * Builds a {@link ComposeEvent}; get one from {@link ComposeEvent#builder()} or {@link
   * ComposeEvent#toBuilder()}.
   */
  public static final class Builder extends ImmutableComposeEvent.Builder {
    Builder() {}
  }
}
