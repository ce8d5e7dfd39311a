package io.github.scompose.testkit.wait;

import java.time.Duration;

/**
 * Decides when an instance is ready for a test: blocks in {@link #waitUntilReady} until it is, or
 * fails. The factories are on {@link Wait}; the {@link io.github.scompose.testkit.junit.WaitFor}
 * annotation declares the same strategies on a field of a {@link
 * io.github.scompose.testkit.junit.SingularityTest} class. Implementations are immutable; {@code
 * with…} methods return copies. Vocabulary from Testcontainers' {@code WaitStrategy}.
 *
 * <pre>{@code
 * handle.waitFor(Wait.forLogMessage("Ready to accept connections", 1)
 *     .withTimeout(Duration.ofSeconds(30)));
 * }</pre>
 */
public interface WaitStrategy {

  /**
   * Returns when {@code target} is ready.
   *
   * @throws NotReadyException when the timeout passed first (the message quotes the instance's last
   *     log lines), when the instance stopped running, or when the waiting thread was interrupted
   *     (its interrupt flag is set again)
   * @throws IllegalStateException when the strategy cannot apply to the target, e.g. {@link
   *     Wait#forHealthcheck()} on an instance without a healthcheck
   */
  void waitUntilReady(WaitTarget target);

  /** How long {@link #waitUntilReady} waits at most, on the target's clock; default 60 s. */
  Duration timeout();

  /**
   * A copy that waits at most {@code timeout}.
   *
   * @throws IllegalArgumentException when {@code timeout} is negative
   */
  WaitStrategy withTimeout(Duration timeout);

  /** What is waited for, for messages, e.g. {@code a log line matching "ready" (1 time)}. */
  String description();
}
