package io.github.scompose.core.client;

import java.time.Duration;

/**
 * Waits. Injected into {@link SingularityClient} with a {@link java.time.Clock} so that waits
 * (stop-and-wait, log following) run on a virtual clock in tests.
 */
@FunctionalInterface
public interface Sleeper {

  /** Waits {@code duration}; throws when interrupted. */
  void sleep(Duration duration) throws InterruptedException;

  /** {@link Thread#sleep(long, int)}. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }
}
