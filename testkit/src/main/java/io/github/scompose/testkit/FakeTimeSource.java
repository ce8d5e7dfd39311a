package io.github.scompose.testkit;

import io.github.scompose.testkit.internal.SystemTimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * The fake runtime's notion of time (modelled on jimfs's injectable {@code FileTimeSource}): when
 * instances started, when a scripted crash happens, how long a stopped instance stays listed, and
 * how scripted latencies pass.
 *
 * <p>{@link #system()} uses the wall clock and really waits; {@link VirtualTimeSource} never waits
 * and moves only when told (or when a scripted latency passes), for deterministic tests.
 */
public interface FakeTimeSource {

  /** The current instant. */
  Instant now();

  /**
   * Lets {@code duration} pass: the system source sleeps, a virtual source advances itself.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;

  /** Whether this source is virtual (never waits); scripted hangs then time out at once. */
  default boolean isVirtual() {
    return false;
  }

  /** The wall clock; {@link #sleep} really sleeps. */
  static FakeTimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
