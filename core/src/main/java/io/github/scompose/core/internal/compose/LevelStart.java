package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.InstanceRun;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.ComposeEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one start path of the engine, used by {@code up} ({@link UpRun}), {@code start} and {@code
 * restart} ({@link InstanceLifecycle}) and the restart supervisor ({@link RestartSupervisor}): how
 * an instance is launched ({@code instance start}, or {@code instance run} for a runscript
 * instance), the {@code STARTING}/{@code RESTARTING} events of an attempt, and the confirmation of
 * started instances by <em>one</em> {@code instance list} per round — an instance listed with a
 * live PID runs; one that is not is stopped when listed (a dead PID holds its name), counted as a
 * retry with a {@code FAILED} event "not running after start (attempt N of M)", and started again
 * by the caller, up to {@link EngineSettings#startupAttempts()} attempts; after the last one the
 * caller's {@link Instances#exhausted} says what happens.
 *
 * @param <T> what the caller starts: planned instances ({@code up}) or recorded ones ({@code
 *     start})
 */
final class LevelStart<T> {

  /** What {@link LevelStart} needs to know of the caller's instances, and its failure rule. */
  interface Instances<T> {
    String name(T instance);

    String service(T instance);

    StopSettings stop(T instance);

    /**
     * What to do with {@code instance}, still not running after {@code attempts} attempts ({@code
     * logs}: the end of its logs): the exception to throw, or empty to leave it (a dependency that
     * is not required: the caller recorded it as skipped) and start no more.
     */
    Optional<RuntimeException> exhausted(T instance, int attempts, String logs);
  }

  private final EngineSettings s;
  private final Events events;
  private final Instances<T> instances;
  private final InstanceOps ops;
  private final PidProbe probe;

  LevelStart(EngineSettings settings, Events events, Instances<T> instances) {
    this.s = settings;
    this.events = events;
    this.instances = instances;
    this.ops = new InstanceOps(settings, events);
    this.probe = new PidProbe(settings.client().transport());
  }

  /**
   * Launches an instance: {@code instance run} when {@code launch} is one (a runscript instance),
   * else {@code instance start} of {@code start}.
   *
   * @throws io.github.scompose.core.errors.SingularityException when the binary fails
   */
  static void launch(SingularityClient client, SingularityCommand launch, InstanceStart start) {
    if (launch instanceof InstanceRun run) {
      client.start(run);
    } else {
      client.start(start);
    }
  }

  /** The {@code STARTING} (first attempt) or {@code RESTARTING} event of an attempt. */
  void announce(T instance, int attempt) {
    events.emit(
        attempt == 1 ? ComposeEvent.Type.STARTING : ComposeEvent.Type.RESTARTING,
        instances.service(instance),
        instances.name(instance),
        attempt == 1 ? "" : "attempt " + attempt + " of " + s.startupAttempts());
  }

  /**
   * One confirmation round of {@code pending}, started in attempt {@code attempt}: one listing; the
   * running ones' PIDs go into {@code pids} ({@code STARTED} events through {@code started} unless
   * it is {@code null}); the others are stopped when listed, leave {@code launched}, and are
   * counted in {@code retries} with a {@code FAILED} event — or, after the last attempt, given to
   * {@link Instances#exhausted}.
   *
   * @return the instances to start again (attempt {@code attempt + 1}); empty when all run
   */
  List<T> confirm(
      List<T> pending,
      int attempt,
      Map<String, Long> pids,
      Map<String, Integer> retries,
      Collection<String> launched,
      Events started) {
    Map<String, InstanceInfo> byName = new LinkedHashMap<>();
    s.client().list().forEach(x -> byName.put(x.name(), x));
    List<T> dead =
        notRunning(pending, byName, probe, pids, started, instances::name, instances::service);
    List<T> again = new ArrayList<>();
    for (T i : dead) {
      String name = instances.name(i);
      String logs = ops.logTail(name, Optional.ofNullable(byName.get(name)));
      if (byName.containsKey(name)) {
        // listed with a dead PID: clear the name before starting again
        s.client().stopAndWait(s.stopCommand(name, instances.stop(i)), s.goneWait());
      }
      launched.remove(name);
      if (attempt >= s.startupAttempts()) {
        Optional<RuntimeException> failure = instances.exhausted(i, attempt, logs);
        if (failure.isPresent()) {
          throw failure.get();
        }
        continue;
      }
      retries.merge(name, 1, Integer::sum);
      events.emit(
          ComposeEvent.Type.FAILED,
          instances.service(i),
          name,
          "not running after start (attempt " + attempt + " of " + s.startupAttempts() + ")");
      again.add(i);
    }
    return again;
  }

  /**
   * The instances of {@code pending} not running after their start. One listed in {@code byName}
   * whose PID is alive (or cannot be probed) is running: its PID goes into {@code pids} and STARTED
   * is emitted for it (unless {@code events} is {@code null}: up announced it when its start
   * returned).
   */
  static <T> List<T> notRunning(
      List<T> pending,
      Map<String, InstanceInfo> byName,
      PidProbe probe,
      Map<String, Long> pids,
      Events events,
      Function<T, String> name,
      Function<T, String> service) {
    List<T> dead = new ArrayList<>();
    for (T i : pending) {
      InstanceInfo info = byName.get(name.apply(i));
      if (info != null && probe.alive(info.pid()).orElse(true)) {
        pids.put(name.apply(i), info.pid());
        if (events != null) {
          events.emit(
              ComposeEvent.Type.STARTED, service.apply(i), name.apply(i), "pid " + info.pid());
        }
      } else {
        dead.add(i);
      }
    }
    return dead;
  }
}
