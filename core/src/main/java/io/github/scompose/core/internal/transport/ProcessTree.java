package io.github.scompose.core.internal.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a process and all its descendants: SIGTERM to every member, then, after a grace period,
 * SIGKILL to the survivors.
 *
 * <p>The tree is taken from {@link ProcessHandle#descendants()} <em>before</em> the root is
 * signalled, because a child whose parent died is re-parented and no longer found under it. A
 * process that left the tree on its own earlier (a daemon that double-forked) is out of reach; that
 * is the limit of {@code ProcessHandle}.
 */
public final class ProcessTree {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
  private static final long POLL_MILLIS = 10;

  private ProcessTree() {}

  /** The root and its descendants as they are now, root first. */
  public static List<ProcessHandle> snapshot(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  /**
   * Sends SIGTERM to the tree, waits up to {@code grace} for all of it to end, then SIGKILLs the
   * survivors and waits for them (a few ms). Returns once every member is gone or a zombie.
   *
   * @throws InterruptedException when interrupted while waiting; SIGKILL is still sent first
   */
  public static void kill(ProcessHandle root, Duration grace) throws InterruptedException {
    List<ProcessHandle> tree = terminate(root);
    escalate(tree, grace);
  }

  /**
   * Takes the tree and sends SIGTERM to every member, then once more to children forked meanwhile.
   * Returns the members signalled, for {@link #escalate}.
   */
  public static List<ProcessHandle> terminate(ProcessHandle root) {
    Set<ProcessHandle> tree = new LinkedHashSet<>(snapshot(root));
    tree.forEach(ProcessHandle::destroy);
    root.descendants()
        .forEach(
            p -> {
              if (tree.add(p)) {
                p.destroy();
              }
            });
    return List.copyOf(tree);
  }

  /**
   * Waits up to {@code grace} for every member of {@code tree} to end, then SIGKILLs the survivors
   * and waits for them (up to 5 s).
   *
   * @throws InterruptedException when interrupted while waiting; SIGKILL is still sent first
   */
  public static void escalate(List<ProcessHandle> tree, Duration grace)
      throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (anyRunning(tree) && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
      }
    } finally {
      List<Long> survivors = new ArrayList<>();
      for (ProcessHandle p : tree) {
        if (isRunning(p)) {
          survivors.add(p.pid());
          p.destroyForcibly();
        }
      }
      if (!survivors.isEmpty()) {
        LOG.debug("SIGKILL to {} still running {} ms after SIGTERM", survivors, grace.toMillis());
      }
    }
    long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (anyRunning(tree) && System.nanoTime() < killDeadline) {
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    }
  }

  /** SIGKILL to the whole tree at once, without waiting. */
  public static void killForcibly(ProcessHandle root) {
    snapshot(root).forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean anyRunning(List<ProcessHandle> tree) {
    for (ProcessHandle p : tree) {
      if (isRunning(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code p} still runs: alive and not a zombie. A zombie has ended; only its parent (or,
   * once re-parented, PID 1) can reap it, which is not ours to do.
   */
  public static boolean isRunning(ProcessHandle p) {
    return p.isAlive() && !ProcStat.isZombie(p.pid());
  }
}
