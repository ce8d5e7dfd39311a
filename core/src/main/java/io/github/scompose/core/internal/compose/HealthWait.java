package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeOperationException;
import io.github.scompose.core.compose.DependencyWait;
import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Healthcheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@code depends_on: condition: service_healthy} gate, shared by {@code up} ({@link UpRun}) and
 * {@code start}/{@code restart} ({@link InstanceLifecycle}): before an instance starts, the
 * healthcheck of every instance it waits for runs through {@code exec} in that instance until it
 * exits 0 (then a {@code HEALTHY} event), at the healthcheck's {@code interval} (default 30 s;
 * {@code start_interval} during {@code start_period}, default 0 s) on the engine's clock and
 * sleeper. Failures during the start period do not count; {@code retries} (default 3) consecutive
 * failures after it make the dependency unhealthy. A dependency without a healthcheck (or with a
 * disabled one) counts as healthy at once. Each dependency is checked once per operation, however
 * many instances wait for it (concurrent waiters share the one check). Rules: Compose Specification
 * {@code depends_on} ({@code condition}, {@code required}) and {@code healthcheck} (defaults as in
 * its text).
 */
public final class HealthWait {

  /**
   * An instance depended on.
   *
   * @param service its service
   * @param name the instance
   * @param healthcheck its service's healthcheck, if any
   * @param start its start command, whose environment the healthcheck's {@code exec} gets (as
   *     docker compose runs a healthcheck in the container's environment); empty: none
   */
  public record Target(
      String service,
      String name,
      Optional<Healthcheck> healthcheck,
      Optional<InstanceStart> start) {

    /** A target whose healthcheck runs without the start's environment. */
    public Target(String service, String name, Optional<Healthcheck> healthcheck) {
      this(service, name, healthcheck, Optional.empty());
    }
  }

  /** Builds the operation's exception (e.g. {@code ComposeUpException::new} for {@code up}). */
  @FunctionalInterface
  public interface Failure {
    /** The failure of {@code instance}; arguments as {@link ComposeOperationException}'s. */
    ComposeOperationException of(
        String instance,
        String reason,
        List<String> maskedArgv,
        OptionalInt exitCode,
        String output,
        Throwable cause);
  }

  private final EngineSettings s;
  private final Events events;
  private final Function<String, Target> targets;
  private final Failure failure;
  private final Map<String, Boolean> healthy = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * A gate for one operation.
   *
   * @param targets instance name → what to check (a name it does not know: no healthcheck)
   * @param failure the operation's exception
   */
  public HealthWait(
      EngineSettings settings, Events events, Function<String, Target> targets, Failure failure) {
    this.s = settings;
    this.events = events;
    this.targets = targets;
    this.failure = failure;
  }

  /**
   * Waits until every {@code service_healthy} dependency among {@code waits} is healthy. An
   * unhealthy dependency that is not {@code required} gives a {@code FAILED} event and {@code
   * dependent} starts anyway. Other conditions are not this gate's.
   *
   * @throws ComposeOperationException (from the {@link Failure}) naming the unhealthy dependency,
   *     the masked healthcheck command, its last exit code and the end of its last output
   */
  public void awaitDependencies(String dependent, List<DependencyWait> waits) {
    for (DependencyWait w : waits) {
      if (w.condition() != DependsOn.Condition.SERVICE_HEALTHY) {
        continue;
      }
      for (String dep : w.instances()) {
        try {
          awaitHealthy(targets.apply(dep));
        } catch (ComposeOperationException e) {
          if (w.required()) {
            throw e;
          }
          events.emit(
              ComposeEvent.Type.FAILED,
              w.service(),
              dep,
              "not healthy; " + dependent + " starts anyway (required: false)");
        }
      }
    }
  }

  /**
   * Runs {@code dep}'s healthcheck until it passes, or fails.
   *
   * @throws ComposeOperationException as for {@link #awaitDependencies}
   */
  public void awaitHealthy(Target dep) {
    synchronized (locks.computeIfAbsent(dep.name(), k -> new Object())) {
      if (healthy.containsKey(dep.name())) {
        return;
      }
      Optional<Healthcheck> hc =
          dep.healthcheck().filter(h -> !h.disabled() && !h.test().isEmpty());
      if (hc.isEmpty()) {
        healthy.put(dep.name(), true);
        return;
      }
      check(dep, hc.get());
      healthy.put(dep.name(), true);
      events.emit(ComposeEvent.Type.HEALTHY, dep.service(), dep.name(), "");
    }
  }

  private void check(Target dep, Healthcheck h) {
    List<String> command = h.argv();
    Duration interval = h.interval().orElse(Duration.ofSeconds(30));
    Duration startPeriod = h.startPeriod().orElse(Duration.ZERO);
    Duration startInterval = h.startInterval().orElse(interval);
    int retries = h.retries().orElse(3);
    Instant started = s.clock().instant();
    int failures = 0;
    while (true) {
      Exec exec =
          dep.start()
              .map(st -> InstanceEnvironment.exec(st, dep.name(), command, Map.of()))
              .orElseGet(() -> Exec.inInstance(dep.name(), command.toArray(String[]::new)));
      CommandResult r;
      try {
        r = s.client().exec(exec);
      } catch (SingularityException e) {
        CommandFailedException f =
            e instanceof CommandFailedException direct
                ? direct
                : e.getCause() instanceof CommandFailedException inner ? inner : null;
        String why =
            Optional.ofNullable(f)
                .flatMap(x -> UpRun.binaryReason(x.stderrTail()))
                .orElseGet(() -> e.getMessage().lines().findFirst().orElse(""));
        throw failure.of(
            dep.name(),
            "healthcheck could not run: " + why,
            f != null ? f.maskedArgv() : s.client().dryRun(exec),
            f != null ? OptionalInt.of(f.exitCode()) : OptionalInt.empty(),
            new InstanceOps(s, events).logTail(dep.name()),
            e);
      }
      if (r.exitCode() == 0) {
        return;
      }
      boolean inStartPeriod = s.clock().instant().isBefore(started.plus(startPeriod));
      if (!inStartPeriod && ++failures >= retries) {
        throw failure.of(
            dep.name(),
            "unhealthy: the healthcheck failed " + failures + " times in a row",
            s.client().dryRun(exec),
            OptionalInt.of(r.exitCode()),
            tail(r.stderr() + r.stdout()),
            null);
      }
      sleep(inStartPeriod ? startInterval : interval);
    }
  }

  private void sleep(Duration d) {
    try {
      s.sleeper().sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SingularityException("interrupted while waiting for a healthcheck", e);
    }
  }

  /** The last {@link EngineSettings#logTailLines()} lines of {@code text}. */
  private String tail(String text) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - s.logTailLines());
    return String.join("\n", Arrays.asList(lines).subList(from, lines.length));
  }
}
