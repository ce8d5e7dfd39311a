package io.github.scompose.testkit.wait;

import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.Healthcheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Ready when the compose file's healthcheck command ({@link Healthcheck#argv()}) succeeds once in
 * the instance. The first check runs at once; then one every {@code start_interval} during {@code
 * start_period} and every {@code interval} after (defaults: 5 s and 30 s, Compose Specification).
 */
final class HealthcheckWaitStrategy extends PollingWaitStrategy {
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);

  private static Healthcheck of(WaitTarget target) {
    Healthcheck check =
        target
            .healthcheck()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "instance "
                            + target.instance()
                            + " has no healthcheck in its compose file"));
    if (check.disabled() || check.test().isEmpty()) {
      throw new IllegalStateException(
          "the healthcheck of instance " + target.instance() + " is disabled or has no test");
    }
    return check;
  }

  @Override
  protected Optional<String> unmet(WaitTarget target) {
    CommandResult r = target.exec(of(target).argv());
    if (r.exitCode() == 0) {
      return Optional.empty();
    }
    String err = r.stderr().strip();
    int cut = err.lastIndexOf('\n');
    return Optional.of(
        "healthcheck exit code "
            + r.exitCode()
            + (err.isEmpty() ? "" : ": " + err.substring(cut + 1)));
  }

  @Override
  protected Duration pauseAfterFailedCheck(WaitTarget target, Instant started) {
    Healthcheck check = of(target);
    Duration startPeriod = check.startPeriod().orElse(Duration.ZERO);
    Duration elapsed = Duration.between(started, target.clock().instant());
    if (elapsed.compareTo(startPeriod) < 0) {
      return check.startInterval().orElse(DEFAULT_START_INTERVAL);
    }
    return check.interval().orElse(DEFAULT_INTERVAL);
  }

  @Override
  public String description() {
    return "the compose file's healthcheck to succeed";
  }
}
