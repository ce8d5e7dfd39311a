package io.github.scompose.core.transport;

import io.github.scompose.core.internal.transport.LocalProcess;
import io.github.scompose.core.internal.transport.LocalRunningCommand;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs commands on this machine with {@link ProcessBuilder}: the argv is executed directly, never
 * through a shell.
 *
 * <ul>
 *   <li>Environment: the JVM's own, minus {@link CommandRequest#removeEnvironment()}, plus {@link
 *       CommandRequest#environment()}. Only variable names are logged (DEBUG), never values.
 *   <li>Output: stdout and stderr are drained by two threads from the moment the process starts, so
 *       a child writing many megabytes never blocks on a full pipe.
 *   <li>Timeout, {@link RunningCommand#cancel()} and an interrupted caller kill the whole process
 *       tree (the process and its {@link ProcessHandle#descendants()}): SIGTERM to every member,
 *       then SIGKILL to survivors after the {@linkplain Builder#killGracePeriod kill grace period}
 *       (default 2 s). The direct child is always reaped (no zombie). A descendant that had already
 *       detached itself (double fork) is outside the tree and is not killed.
 *   <li>After the process exits, its output is awaited for at most the {@linkplain
 *       Builder#outputDrainTimeout output drain timeout} (default 5 s): a background child that
 *       inherited the pipes could otherwise keep {@link #run} waiting.
 * </ul>
 *
 * <p>Thread-safe and stateless; {@link #close()} does nothing. Build with {@link #create()} or
 * {@link #builder()}.
 */
public final class LocalProcessTransport implements LocalFileTransport {

  /** Default {@link Builder#killGracePeriod}: 2 s. */
  public static final Duration DEFAULT_KILL_GRACE_PERIOD = Duration.ofSeconds(2);

  /** Default {@link Builder#outputDrainTimeout}: 5 s. */
  public static final Duration DEFAULT_OUTPUT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private final Duration killGracePeriod;
  private final Duration outputDrainTimeout;

  private LocalProcessTransport(Builder builder) {
    this.killGracePeriod = builder.killGracePeriod;
    this.outputDrainTimeout = builder.outputDrainTimeout;
  }

  /** A transport with the defaults above. */
  public static LocalProcessTransport create() {
    return builder().build();
  }

  /** A builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws TransportException when the program cannot be started (the message names the program
   *     and the PATH searched), the working directory does not exist, or the caller was interrupted
   *     (the tree is killed, the interrupt flag set again)
   */
  @Override
  public CommandResult run(CommandRequest request) {
    Objects.requireNonNull(request, "request");
    return LocalProcess.start(request, null, killGracePeriod, outputDrainTimeout, true)
        .await()
        .toCommandResult();
  }

  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    return new LocalRunningCommand(
        LocalProcess.start(request, listener, killGracePeriod, outputDrainTimeout, true));
  }

  @Override
  public String describe() {
    return "local";
  }

  /** Nothing to release. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "LocalProcessTransport[killGracePeriod="
        + killGracePeriod
        + ", outputDrainTimeout="
        + outputDrainTimeout
        + "]";
  }

  /** Settings of a {@link LocalProcessTransport}. Not thread-safe; the transport it builds is. */
  public static final class Builder {
    private Duration killGracePeriod = DEFAULT_KILL_GRACE_PERIOD;
    private Duration outputDrainTimeout = DEFAULT_OUTPUT_DRAIN_TIMEOUT;

    private Builder() {}

    /**
     * Time between SIGTERM and SIGKILL when a process tree is killed; default 2 s, {@code >= 0}.
     */
    public Builder killGracePeriod(Duration value) {
      this.killGracePeriod = nonNegative(value, "killGracePeriod");
      return this;
    }

    /**
     * How long, after the process exited, to wait for its output pipes to close; default 5 s,
     * {@code >= 0}.
     */
    public Builder outputDrainTimeout(Duration value) {
      this.outputDrainTimeout = nonNegative(value, "outputDrainTimeout");
      return this;
    }

    /** The transport. */
    public LocalProcessTransport build() {
      return new LocalProcessTransport(this);
    }

    private static Duration nonNegative(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " " + value + " is negative");
      }
      return value;
    }
  }
}
