package io.github.scompose.testkit.wait;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link WaitStrategy} that checks, pauses {@link #pollInterval()} on the target's {@link
 * WaitTarget#sleeper() sleeper}, and checks again until the check passes or {@link #timeout()}
 * passed on the target's {@link WaitTarget#clock() clock}. After a failed check it asks whether the
 * instance still runs and gives up at once when it does not. A check that throws (other than {@link
 * IllegalStateException}, which means the strategy does not apply and ends the wait) counts as
 * failed, with the exception as its finding. Subclasses implement {@link #unmet}; copies are made
 * with {@link Object#clone()}, so fields must be immutable.
 */
public abstract class PollingWaitStrategy implements WaitStrategy, Cloneable {

  /** Default {@link #timeout()}: 60 s (Testcontainers' default startup timeout). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Default {@link #pollInterval()}: 250 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

  private Duration timeout = DEFAULT_TIMEOUT;
  private Duration pollInterval = DEFAULT_POLL_INTERVAL;

  /** For subclasses. */
  protected PollingWaitStrategy() {}

  /**
   * One check.
   *
   * @return empty when the target is ready, else what was found instead (for the timeout message,
   *     e.g. {@code HTTP 503} or {@code 0 of 1 matching lines})
   */
  protected abstract Optional<String> unmet(WaitTarget target);

  /** The pause after a failed check; default {@link #pollInterval()}. */
  protected Duration pauseAfterFailedCheck(WaitTarget target, Instant started) {
    return pollInterval;
  }

  @Override
  public final void waitUntilReady(WaitTarget target) {
    Instant started = target.clock().instant();
    Instant deadline = started.plus(timeout);
    while (true) {
      Optional<String> unmet;
      try {
        unmet = unmet(target);
      } catch (IllegalStateException e) {
        throw e; // the strategy does not apply to the target
      } catch (RuntimeException e) {
        unmet = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      if (unmet.isEmpty()) {
        return;
      }
      if (!target.isRunning()) {
        throw NotReadyException.of(target, NotReadyException.Reason.STOPPED, this, unmet.get());
      }
      Instant now = target.clock().instant();
      if (!now.isBefore(deadline)) {
        throw NotReadyException.of(target, NotReadyException.Reason.TIMED_OUT, this, unmet.get());
      }
      Duration pause = pauseAfterFailedCheck(target, started);
      if (pause.isNegative() || pause.isZero()) {
        pause = pollInterval;
      }
      Duration left = Duration.between(now, deadline);
      try {
        target.sleeper().sleep(pause.compareTo(left) < 0 ? pause : left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw NotReadyException.of(target, NotReadyException.Reason.INTERRUPTED, this, unmet.get());
      }
    }
  }

  @Override
  public final Duration timeout() {
    return timeout;
  }

  /** The pause between checks; default 250 ms. */
  public final Duration pollInterval() {
    return pollInterval;
  }

  @Override
  public PollingWaitStrategy withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout " + timeout + " is negative");
    }
    PollingWaitStrategy copy = copy();
    copy.timeout = timeout;
    return copy;
  }

  /**
   * A copy that pauses {@code interval} between checks.
   *
   * @throws IllegalArgumentException when {@code interval} is not positive
   */
  public PollingWaitStrategy withPollInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("poll interval " + interval + " is not positive");
    }
    PollingWaitStrategy copy = copy();
    copy.pollInterval = interval;
    return copy;
  }

  /** A shallow copy (fields are immutable). */
  protected PollingWaitStrategy copy() {
    try {
      return (PollingWaitStrategy) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public String toString() {
    return description() + " (timeout " + NotReadyException.human(timeout) + ")";
  }
}
