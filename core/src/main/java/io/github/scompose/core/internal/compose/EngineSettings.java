package io.github.scompose.core.internal.compose;

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
