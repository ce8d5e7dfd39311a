package io.github.scompose.testkit.internal.junit;

import io.github.scompose.testkit.FakeTimeSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC {@link Clock} reading a fake runtime's {@link FakeTimeSource}. */
public final class TimeSourceClock extends Clock {
  private final FakeTimeSource source;

  /** A clock on {@code source}. */
  public TimeSourceClock(FakeTimeSource source) {
    this.source = source;
  }

  @Override
  public Instant instant() {
    return source.now();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
