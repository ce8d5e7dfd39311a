package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeTimeSource;
import java.time.Duration;
import java.time.Instant;

/** The wall-clock source behind {@link FakeTimeSource#system()}: really sleeps. */
public enum SystemTimeSource implements FakeTimeSource {
  /** The only instance. */
  INSTANCE;

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isNegative() && !duration.isZero()) {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    }
  }
}
