package io.github.scompose.testkit.wait;

import java.util.Optional;
import java.util.regex.Pattern;

/** Ready when {@code times} log lines contain a match of a regular expression. */
final class LogMessageWaitStrategy extends PollingWaitStrategy {
  private final Pattern pattern;
  private final int times;

  LogMessageWaitStrategy(String regex, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times " + times + " is below 1");
    }
    this.pattern = Pattern.compile(regex);
    this.times = times;
  }

  @Override
  protected Optional<String> unmet(WaitTarget target) {
    int found = 0;
    for (String line : target.logs().split("\n", -1)) {
      if (pattern.matcher(line).find() && ++found >= times) {
        return Optional.empty();
      }
    }
    return Optional.of(found + " of " + times + " matching lines");
  }

  @Override
  public String description() {
    return "a log line matching \""
        + pattern.pattern()
        + "\" ("
        + times
        + (times == 1 ? " time)" : " times)");
  }
}
