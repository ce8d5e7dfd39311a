package io.github.scompose.core.transport;

import java.time.Duration;
import java.util.List;

/** A command ran past its {@link CommandRequest#timeout()} and was killed. */
public class CommandTimeoutException extends TransportException {

  private final List<String> argv;
  private final Duration timeout;

  public CommandTimeoutException(List<String> argv, Duration timeout) {
    super("command timed out after " + timeout.toMillis() + " ms and was killed: " + argv);
    this.argv = List.copyOf(argv);
    this.timeout = timeout;
  }

  /** The argv that timed out (as given; callers mask secrets before they reach a request). */
  public List<String> argv() {
    return argv;
  }

  /** The timeout that passed. */
  public Duration timeout() {
    return timeout;
  }
}
