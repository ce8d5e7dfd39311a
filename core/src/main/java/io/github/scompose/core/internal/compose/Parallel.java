package io.github.scompose.core.internal.compose;

import io.github.scompose.core.errors.SingularityException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs an action for each item on an {@link Executor}, at most {@code parallelism} at a time, and
 * waits for all of them (also when one fails, so nothing is still running when the caller rolls
 * back). The failure of the earliest item in list order is rethrown with the others suppressed in
 * list order, so that the error does not depend on which thread ran first.
 *
 * <p>At most {@code parallelism} tasks are handed to the executor at once; the next item is handed
 * over when one ends, so queued items hold no thread of the pool. The calling thread waits
 * interruptibly: an interrupt hands over no further item, interrupts the actions still running
 * (only while they run), waits for them to end, and throws a {@link SingularityException} caused by
 * the {@link InterruptedException}, with the calling thread's interrupt status set again — as the
 * client's other waits do ({@code interrupted while ...}), so the engine's callers treat it as a
 * failed step (up rolls back).
 */
public final class Parallel {

  private Parallel() {}

  /**
   * Runs {@code action} for every item; see the class comment.
   *
   * @throws RuntimeException the failure of the earliest failed item in list order (a {@link
   *     RuntimeException} as thrown; an {@link Error} or checked throwable wrapped in an {@link
   *     IllegalStateException}), the others suppressed in list order
   * @throws SingularityException when the calling thread was interrupted while waiting
   * @throws RejectedExecutionException when the executor refuses a task (after the running ones
   *     ended)
   */
  public static <T> void forEach(
      Executor executor, int parallelism, List<T> items, Consumer<T> action) {
    if (items.isEmpty()) {
      return;
    }
    if (items.size() == 1) {
      action.accept(items.get(0));
      return;
    }
    new Run<>(executor, Math.max(1, Math.min(parallelism, items.size())), items, action).run();
  }

  private static final class Run<T> {
    private final Executor executor;
    private final int width;
    private final List<T> items;
    private final Consumer<T> action;
    private final BlockingQueue<Outcome> ended = new LinkedBlockingQueue<>();
    private final java.util.TreeMap<Integer, RuntimeException> failures = new java.util.TreeMap<>();
    private final Set<Thread> running = new HashSet<>();
    private final Set<Thread> interruptedByUs = new HashSet<>();

    /** An ended action: its item's index and its failure, null when it succeeded. */
    private record Outcome(int index, Throwable failure) {}

    Run(Executor executor, int width, List<T> items, Consumer<T> action) {
      this.executor = executor;
      this.width = width;
      this.items = items;
      this.action = action;
    }

    void run() {
      int next = 0;
      int inFlight = 0;
      InterruptedException interrupt = null;
      boolean handOver = true;
      while (true) {
        while (handOver && inFlight < width && next < items.size()) {
          T item = items.get(next);
          int index = next;
          try {
            executor.execute(() -> runOne(index, item));
          } catch (RejectedExecutionException e) {
            failures.put(index, e);
            handOver = false;
            break;
          }
          next++;
          inFlight++;
        }
        if (inFlight == 0) {
          break;
        }
        Outcome outcome;
        if (interrupt == null) {
          try {
            outcome = ended.take();
          } catch (InterruptedException e) {
            interrupt = e;
            handOver = false;
            interruptRunning();
            continue;
          }
        } else {
          outcome = takeUninterruptibly();
        }
        inFlight--;
        if (outcome.failure() != null) {
          Throwable t = outcome.failure();
          failures.put(
              outcome.index(), t instanceof RuntimeException r ? r : new IllegalStateException(t));
        }
      }
      RuntimeException first = null;
      for (RuntimeException failure : failures.values()) {
        first = add(first, failure);
      }
      if (interrupt != null) {
        Thread.currentThread().interrupt();
        SingularityException e =
            new SingularityException(
                "interrupted while running parallel steps; "
                    + (items.size() - next)
                    + " of "
                    + items.size()
                    + " not started",
                interrupt);
        if (first != null) {
          e.addSuppressed(first);
        }
        throw e;
      }
      if (first != null) {
        throw first;
      }
    }

    private void runOne(int index, T item) {
      Thread self = Thread.currentThread();
      synchronized (running) {
        running.add(self);
      }
      Throwable failure = null;
      try {
        action.accept(item);
      } catch (Throwable t) {
        failure = t;
      } finally {
        synchronized (running) {
          running.remove(self);
          if (interruptedByUs.remove(self)) {
            // a pool thread must not carry our interrupt into its next task
            Thread.interrupted();
          }
        }
        ended.add(new Outcome(index, failure));
      }
    }

    private void interruptRunning() {
      synchronized (running) {
        for (Thread t : running) {
          interruptedByUs.add(t);
          t.interrupt();
        }
      }
    }

    /** Waits for the running actions after an interrupt (they were interrupted too). */
    private Outcome takeUninterruptibly() {
      while (true) {
        try {
          return ended.take();
        } catch (InterruptedException again) {
          // keep waiting: nothing may still run when the caller rolls back
        }
      }
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
      if (first == null) {
        return next;
      }
      if (first != next) {
        first.addSuppressed(next);
      }
      return first;
    }
  }
}
