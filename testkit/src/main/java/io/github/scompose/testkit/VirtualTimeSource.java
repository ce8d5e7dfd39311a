package io.github.scompose.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link FakeTimeSource} that never waits: it starts at a given instant (default {@code
 * 2026-11-21T16:00:00Z}) and moves only by {@link #advance} or when the fake runtime lets a
 * scripted latency, stop duration or timeout pass (which advances it by that amount at once).
 * Thread-safe.
 */
public final class VirtualTimeSource implements FakeTimeSource {

  /** The default start instant, {@code 2026-11-21T16:00:00Z}. */
  public static final Instant DEFAULT_START = Instant.parse("2026-11-21T16:00:00Z");

  private final AtomicReference<Instant> now;

  private VirtualTimeSource(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A virtual source at {@link #DEFAULT_START}. */
  public static VirtualTimeSource create() {
    return new VirtualTimeSource(DEFAULT_START);
  }

  /** A virtual source at {@code start}. */
  public static VirtualTimeSource startingAt(Instant start) {
    return new VirtualTimeSource(start);
  }

  @Override
  public Instant now() {
    return now.get();
  }

  /** Advances by {@code duration}; equivalent to {@link #advance}. Never blocks. */
  @Override
  public void sleep(Duration duration) {
    advance(duration);
  }

  @Override
  public boolean isVirtual() {
    return true;
  }

  /**
   * Moves this source forward by {@code duration}.
   *
   * @throws IllegalArgumentException when {@code duration} is negative
   */
  public VirtualTimeSource advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration " + duration + " is negative");
    }
    now.updateAndGet(t -> t.plus(duration));
    return this;
  }
}
