package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.compose.ComposeListener;
import io.github.scompose.network.LeaseStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The engine's settings, as the public {@code Compose} builder fixed them.
 *
 * @param client the instance client
 * @param executor runs parallel steps
 * @param parallelism at most this many steps at once
 * @param listeners event listeners
 * @param clock time for events, healthchecks and waits
 * @param sleeper waits between polls
 * @param startupAttempts starts per instance before up fails
 * @param logTailLines log lines quoted in errors
 * @param leases the shared lease store, when used
 * @param stopTimeout {@code instance stop -t}, when set
 * @param goneWait how long down waits for stopped instances to leave the listing
 * @param pollInterval interval of listing polls
 * @param startingGrace how long after an instance was recorded as {@code starting} down keeps
 *     polling for it when it is not listed (its {@code instance start} may still be running)
 */
public record EngineSettings(
    SingularityClient client,
    Executor executor,
    int parallelism,
    List<ComposeListener> listeners,
    Clock clock,
    Sleeper sleeper,
    int startupAttempts,
    int logTailLines,
    Optional<LeaseStore> leases,
    Optional<Duration> stopTimeout,
    Duration goneWait,
    Duration pollInterval,
    Duration startingGrace) {

  /**
   * The signal {@code instance stop} sends when the service gives no {@code stop_signal}: {@value},
   * as Compose does. The binary's own default is SIGINT (SingularityCE 3.4.2), which a startscript
   * daemon may ignore and then costs the whole stop timeout (recorded: 10 s, against about 1.7 s
   * with {@code -s TERM}). Spelled as 3.4.2's {@code instance stop --help} shows it.
   */
  public static final String DEFAULT_STOP_SIGNAL = "SIGTERM";

  /**
   * The default parallelism ({@code Compose.DEFAULT_PARALLELISM} shows it to users; the engine
   * reads it here, as it never depends on the facade): {@value}.
   */
  public static final int DEFAULT_PARALLELISM = 16;

  /**
   * The {@code instance stop} of {@code name}: {@code --signal} the service's {@code stop_signal},
   * else {@link #DEFAULT_STOP_SIGNAL}, where the dialect has {@code --signal} (Singularity 2.x has
   * not: none is given); {@code --timeout} {@link #stopTimeout} when set, else the service's {@code
   * stop_grace_period} (at least 1 s) where the dialect has {@code --timeout}.
   */
  public InstanceStop stopCommand(String name, StopSettings stop) {
    InstanceStop.Builder b = InstanceStop.builder().name(name);
    Dialect d = client.dialect();
    if (d.supportsOption("instance stop", "--signal")) {
      b.signal(stop.signal().orElse(DEFAULT_STOP_SIGNAL));
    }
    if (stopTimeout.isPresent()) {
      b.timeout(stopTimeout.get());
    } else if (d.supportsStopTimeout()) {
      stop.gracePeriod()
          .map(g -> g.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : g)
          .ifPresent(b::timeout);
    }
    return b.build();
  }

  /** These settings with {@code instance stop --timeout} {@code timeout}. */
  public EngineSettings withStopTimeout(Duration timeout) {
    return new EngineSettings(
        client,
        executor,
        parallelism,
        listeners,
        clock,
        sleeper,
        startupAttempts,
        logTailLines,
        leases,
        Optional.of(timeout),
        goneWait,
        pollInterval,
        startingGrace);
  }
}
