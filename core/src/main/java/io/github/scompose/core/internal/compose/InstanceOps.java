package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stopping groups of instances and reading log tails, shared by up's rollback and down. */
public final class InstanceOps {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceOps.class);

  private final EngineSettings s;
  private final Events events;

  /** Instances whose stop found no such instance, since these operations were made. */
  private final Set<String> absent = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Operations with these settings, reporting to {@code events}. */
  public InstanceOps(EngineSettings settings, Events events) {
    this.s = settings;
    this.events = events;
  }

  /**
   * Stops instances highest level first, the instances of one level in parallel, then waits (one
   * listing per poll) until none of them is listed or the gone-wait passed. Errors other than "no
   * such instance" are collected and thrown at the end, after every stop was tried.
   *
   * @param byName instance → (service, level)
   * @return whether all are gone from the listing
   */
  /** At most this many stops of one level at once when the parallelism is the default. */
  static final int DEFAULT_STOP_WIDTH = 64;

  /**
   * How many stops of a level run at once: with the default parallelism, the whole level up to
   * {@value #DEFAULT_STOP_WIDTH}, because a stop waits on the binary and the instance, not on this
   * machine (a real SingularityCE 3.4.2 on 2 cores: 20 instances stopped 16 then 4 took about 1 s
   * more than all 20 at once); an explicitly chosen parallelism other than the default holds as
   * set.
   */
  static int stopWidth(int parallelism, int levelSize) {
    return parallelism == EngineSettings.DEFAULT_PARALLELISM
        ? Math.max(parallelism, Math.min(levelSize, DEFAULT_STOP_WIDTH))
        : parallelism;
  }

  public boolean stopAll(Map<String, ServiceLevel> byName) {
    return stopAll(byName, java.util.concurrent.ConcurrentHashMap.newKeySet());
  }

  /**
   * {@link #stopAll(Map)}, adding to {@code failed} the instances whose stop threw (also when the
   * level's parallel run was interrupted before their stop ran).
   */
  public boolean stopAll(Map<String, ServiceLevel> byName, Set<String> failed) {
    TreeMap<Integer, List<String>> levels = new TreeMap<>();
    byName.forEach((n, sl) -> levels.computeIfAbsent(sl.level(), k -> new ArrayList<>()).add(n));
    List<RuntimeException> errors = new ArrayList<>();
    for (List<String> level : levels.descendingMap().values()) {
      Set<String> done = java.util.concurrent.ConcurrentHashMap.newKeySet();
      try {
        Parallel.forEach(
            s.executor(),
            stopWidth(s.parallelism(), level.size()),
            level,
            name -> {
              stop(name, byName.get(name));
              done.add(name);
            });
      } catch (RuntimeException e) {
        level.stream().filter(n -> !done.contains(n)).forEach(failed::add);
        errors.add(e);
      }
    }
    boolean gone = waitGone(byName.keySet());
    if (!errors.isEmpty()) {
      RuntimeException first = errors.get(0);
      errors.subList(1, errors.size()).forEach(first::addSuppressed);
      throw first;
    }
    return gone;
  }

  /** Service, level and stop settings of an instance. */
  public record ServiceLevel(String service, int level, StopSettings stop) {

    /** With {@link StopSettings#DEFAULT}. */
    public ServiceLevel(String service, int level) {
      this(service, level, StopSettings.DEFAULT);
    }
  }

  private void stop(String name, ServiceLevel sl) {
    String service = sl.service();
    events.emit(ComposeEvent.Type.STOPPING, service, name, "");
    try {
      s.client().stop(s.stopCommand(name, sl.stop()));
    } catch (InstanceNotFoundException e) {
      LOG.debug("{} was already gone", name);
      absent.add(name);
    }
    events.emit(ComposeEvent.Type.STOPPED, service, name, "");
  }

  /**
   * Waits for starts that may still be running: {@code late} are instances recorded as
   * <em>starting</em> whose stop found no such instance (an {@code instance start} child of a JVM
   * that died may still register them), each with the instant until which it may still appear.
   * Polls one listing per round, every {@link EngineSettings#pollInterval}: an instance that
   * appears is stopped ({@link #stopAll(Map)}); one whose instant passed unlisted counts as gone.
   *
   * @param late instance → (service, level)
   * @param until instance → the instant after which it counts as gone
   * @return the instances that appeared and were stopped
   */
  public List<String> stopLateStarts(
      Map<String, ServiceLevel> late, Map<String, java.time.Instant> until) {
    Map<String, ServiceLevel> waiting = new java.util.LinkedHashMap<>(late);
    List<String> appeared = new ArrayList<>();
    while (!waiting.isEmpty()) {
      Set<String> listed = new HashSet<>();
      try {
        s.client().list().forEach(i -> listed.add(i.name()));
      } catch (SingularityException e) {
        LOG.warn("cannot list instances while waiting for starts: {}", e.getMessage());
        return appeared;
      }
      Map<String, ServiceLevel> now = new java.util.LinkedHashMap<>();
      waiting.forEach(
          (n, sl) -> {
            if (listed.contains(n)) {
              now.put(n, sl);
            }
          });
      if (!now.isEmpty()) {
        now.keySet().forEach(n -> LOG.info("{}: its start completed after down began", n));
        stopAll(now);
        appeared.addAll(now.keySet());
        now.keySet().forEach(waiting::remove);
      }
      java.time.Instant t = s.clock().instant();
      waiting.keySet().removeIf(n -> !t.isBefore(until.get(n)));
      if (waiting.isEmpty()) {
        break;
      }
      try {
        s.sleeper().sleep(s.pollInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return appeared;
      }
    }
    return appeared;
  }

  /** The instances whose stop found no such instance, so far. */
  public Set<String> absent() {
    return Set.copyOf(absent);
  }

  /** Polls one listing per round until none of {@code names} is listed, up to the gone-wait. */
  public boolean waitGone(Collection<String> names) {
    Instant deadline = s.clock().instant().plus(s.goneWait());
    Set<String> wanted = new HashSet<>(names);
    while (true) {
      boolean any;
      try {
        any = s.client().list().stream().map(InstanceInfo::name).anyMatch(wanted::contains);
      } catch (SingularityException e) {
        LOG.warn("cannot list instances while waiting for them to stop: {}", e.getMessage());
        return false;
      }
      if (!any) {
        return true;
      }
      Duration left = Duration.between(s.clock().instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        return false;
      }
      try {
        s.sleeper().sleep(left.compareTo(s.pollInterval()) < 0 ? left : s.pollInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * The last lines of an instance's {@code .err} then {@code .out} log, without listing: paths from
   * {@code listed} when it has them, else the dialect's default paths; empty when unreadable.
   */
  public String logTail(String name, java.util.Optional<InstanceInfo> listed) {
    try {
      io.github.scompose.core.client.HostIdentity id = s.client().hostIdentity();
      io.github.scompose.core.client.Dialect d = s.client().dialect();
      String out =
          listed
              .flatMap(InstanceInfo::logOutPath)
              .orElseGet(
                  () ->
                      d.defaultLogPath(
                          id.home(),
                          id.hostname(),
                          id.user(),
                          name,
                          io.github.scompose.core.client.LogStream.OUT));
      String err =
          listed
              .flatMap(InstanceInfo::logErrPath)
              .orElseGet(
                  () ->
                      d.defaultLogPath(
                          id.home(),
                          id.hostname(),
                          id.user(),
                          name,
                          io.github.scompose.core.client.LogStream.ERR));
      StringBuilder b = new StringBuilder();
      b.append(lastLines(read(err)));
      b.append(lastLines(read(out)));
      return b.toString();
    } catch (RuntimeException e) {
      LOG.debug("cannot read the logs of {}: {}", name, e.toString());
      return "";
    }
  }

  /** {@link #logTail(String, java.util.Optional)} with the default paths. */
  public String logTail(String name) {
    return logTail(name, java.util.Optional.empty());
  }

  private String read(String path) {
    return s.client()
        .transport()
        .readFile(path, 0)
        .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))
        .orElse("");
  }

  private String lastLines(String text) {
    String t = text.strip();
    if (t.isEmpty() || s.logTailLines() == 0) {
      return "";
    }
    String[] lines = t.split("\n");
    int from = Math.max(0, lines.length - s.logTailLines());
    return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length)) + "\n";
  }
}
