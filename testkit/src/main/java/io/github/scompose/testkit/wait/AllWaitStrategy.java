package io.github.scompose.testkit.wait;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Every strategy in order; {@link #timeout()} is their sum. */
record AllWaitStrategy(List<WaitStrategy> strategies) implements WaitStrategy {

  AllWaitStrategy {
    strategies = List.copyOf(strategies);
  }

  @Override
  public void waitUntilReady(WaitTarget target) {
    strategies.forEach(s -> s.waitUntilReady(target));
  }

  @Override
  public Duration timeout() {
    return strategies.stream().map(WaitStrategy::timeout).reduce(Duration.ZERO, Duration::plus);
  }

  /** Gives every strategy {@code timeout}. */
  @Override
  public WaitStrategy withTimeout(Duration timeout) {
    return new AllWaitStrategy(strategies.stream().map(s -> s.withTimeout(timeout)).toList());
  }

  @Override
  public String description() {
    return strategies.stream()
        .map(WaitStrategy::description)
        .collect(Collectors.joining(", then "));
  }
}
