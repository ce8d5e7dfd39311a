package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.internal.client.SecretMasker;
import io.github.scompose.core.transport.RunningCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of an {@link UpRun} that fails atomically: turns errors into {@link ComposeUpException}s
 * and stops what the run started, then writes back the earlier state or removes the project's.
 */
abstract class UpRollback extends UpReconcile {

  /** The log of {@link UpRun}, whose part this is. */
  private static final Logger LOG = LoggerFactory.getLogger(UpRun.class);

  UpRollback(EngineSettings settings, UpPlan plan, Events events, String session) {
    super(settings, plan, events, session);
  }

  ComposeUpException failed(
      String who, String reason, SingularityCommand c, SingularityException e, String logs) {
    if (e instanceof CommandFailedException f) {
      return new ComposeUpException(
          who,
          reason + binaryReason(f.stderrTail()).map(r -> ": " + r).orElse(""),
          f.maskedArgv(),
          OptionalInt.of(f.exitCode()),
          logs,
          e);
    }
    if (e.getCause() instanceof CommandFailedException f) {
      return new ComposeUpException(
          who,
          reason
              + ": "
              + binaryReason(f.stderrTail())
                  .orElseGet(() -> e.getMessage().lines().findFirst().orElse("")),
          f.maskedArgv(),
          OptionalInt.of(f.exitCode()),
          logs,
          e);
    }
    return new ComposeUpException(
        who, reason + ": " + e.getMessage(), s.client().dryRun(c), OptionalInt.empty(), logs, e);
  }

  /**
   * The binary's reason: the first {@code FATAL:}/{@code ERROR:} line of its stderr (colour codes
   * already removed), its words passed through {@link SecretMasker}.
   */
  static Optional<String> binaryReason(String stderr) {
    return stderr
        .lines()
        .map(String::strip)
        .filter(l -> l.matches("^(FATAL|ERROR)\\b.*"))
        .findFirst()
        .map(l -> String.join(" ", SecretMasker.mask(List.of(l.split(" +")))));
  }

  ComposeUpException asUpException(RuntimeException e) {
    if (e instanceof ComposeUpException u) {
      return u;
    }
    return new ComposeUpException(
        plan.project(), e.getMessage(), List.of(), OptionalInt.empty(), "", e);
  }

  /**
   * Stops what this up started, with the thread's interrupt status cleared (an interrupted up, e.g.
   * a CLI's Ctrl-C, must still stop what it started; the status is set again before returning).
   * When the project had a state file before (a repeat up), the previous state and instance records
   * are written back as they were, and the leases stay: the instances of the earlier up keep
   * running and stay visible to {@code ps} and {@code down}. Otherwise the leases are released and
   * the state and records files removed. Instances whose stop failed stay recorded (state, records
   * and leases) so that {@code down} can retry.
   *
   * @return the failure to throw; naming the instances that could not be stopped, if any
   */
  ComposeUpException rollback(ComposeUpException failure) {
    boolean interrupted = Thread.interrupted();
    try {
      return rollbackUninterrupted(failure);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  ComposeUpException rollbackUninterrupted(ComposeUpException failure) {
    background.forEach(RunningCommand::cancel);
    Map<String, InstanceOps.ServiceLevel> started = new LinkedHashMap<>();
    List<String> names;
    synchronized (launched) {
      names = new ArrayList<>(launched);
    }
    Collections.reverse(names);
    for (String n : names) {
      PlannedInstance i = plan.instance(n);
      started.put(n, new InstanceOps.ServiceLevel(i.service(), i.level(), StopSettings.of(i)));
    }
    Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try {
      ops.stopAll(started, failed);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    List<String> unstopped = names.stream().filter(failed::contains).toList();
    ComposeUpException out = failure;
    if (!unstopped.isEmpty()) {
      out =
          new ComposeUpException(
              failure.instance(),
              failure.reason(),
              failure.maskedArgv(),
              failure.exitCode(),
              failure.logTail(),
              failure.getCause(),
              unstopped);
      for (Throwable t : failure.getSuppressed()) {
        out.addSuppressed(t);
      }
    }
    try {
      StateDirectoryLock.holding(
          plan.stateDirectory(),
          () -> {
            writeBack(Set.copyOf(unstopped));
            return null;
          });
    } catch (RuntimeException e) {
      out.addSuppressed(e);
    }
    if (prior.isEmpty() && unstopped.isEmpty()) {
      ComposeUpException o = out;
      s.leases()
          .ifPresent(
              l -> {
                try {
                  l.release(plan.project());
                } catch (RuntimeException e) {
                  o.addSuppressed(e);
                }
              });
    }
    return out;
  }

  /**
   * Under the lock: the state and records as before this up (none for a first up), plus the entries
   * and records of {@code unstopped} that they do not have.
   */
  void writeBack(Set<String> unstopped) {
    List<ProjectState.Entry> entries = new ArrayList<>();
    Set<String> have = new java.util.HashSet<>();
    prior.ifPresent(
        p ->
            p.instances()
                .forEach(
                    e -> {
                      entries.add(e);
                      have.add(e.name());
                    }));
    ProjectState now = state();
    now.instances().stream()
        .filter(e -> unstopped.contains(e.name()) && !have.contains(e.name()))
        .forEach(entries::add);
    InstanceRecords.Content planned = InstanceRecords.ofPlan(plan, false);
    InstanceRecords.Content ours =
        new InstanceRecords.Content(
            planned.instances().stream().filter(r -> unstopped.contains(r.name())).toList(),
            planned.files());
    Optional<InstanceRecords.Content> records =
        priorRecords
            .map(r -> r.keeping(Optional.of(ours), unstopped))
            .or(() -> unstopped.isEmpty() ? Optional.empty() : Optional.of(ours));
    if (prior.isEmpty() && entries.isEmpty()) {
      ProjectStore.in(plan.stateDirectory()).removeHoldingLock();
      return;
    }
    ProjectState st =
        prior
            .map(
                p ->
                    new ProjectState(
                        p.project(), p.directory(), p.session(), p.updatedAt(), entries))
            .orElse(
                new ProjectState(
                    now.project(), now.directory(), now.session(), now.updatedAt(), entries));
    ProjectStore.in(plan.stateDirectory()).saveHoldingLock(records, st);
  }
}
