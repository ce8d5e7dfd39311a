package io.github.scompose.testkit.wait;

import io.github.scompose.core.transport.CommandResult;
import java.util.List;
import java.util.Optional;

/** Ready when {@code exec instance://NAME command…} exits 0. */
class CommandWaitStrategy extends PollingWaitStrategy {
  private final List<String> command;
  private final String description;

  CommandWaitStrategy(List<String> command, String description) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the command is empty");
    }
    this.command = List.copyOf(command);
    this.description = description;
  }

  @Override
  protected Optional<String> unmet(WaitTarget target) {
    CommandResult r = target.exec(command);
    if (r.exitCode() == 0) {
      return Optional.empty();
    }
    String err = r.stderr().strip();
    int cut = err.lastIndexOf('\n');
    return Optional.of(
        "exit code " + r.exitCode() + (err.isEmpty() ? "" : ": " + err.substring(cut + 1)));
  }

  @Override
  public String description() {
    return description;
  }
}
