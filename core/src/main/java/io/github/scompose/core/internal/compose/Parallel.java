package io.github.scompose.core.internal.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Runs an action for each item on an {@link Executor}, at most {@code parallelism} at a time, and
 * waits for all of them (also when one fails, so nothing is still running when the caller rolls
 * back). The first failure is rethrown with the others suppressed.
 */
public final class Parallel {

  private Parallel() {}

  /** Runs {@code action} for every item; see the class comment. */
  public static <T> void forEach(
      Executor executor, int parallelism, List<T> items, Consumer<T> action) {
    if (items.size() == 1) {
      action.accept(items.get(0));
      return;
    }
    Semaphore permits = new Semaphore(parallelism);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (T item : items) {
      futures.add(
          CompletableFuture.runAsync(
              () -> {
                permits.acquireUninterruptibly();
                try {
                  action.accept(item);
                } finally {
                  permits.release();
                }
              },
              executor));
    }
    RuntimeException first = null;
    for (CompletableFuture<Void> f : futures) {
      try {
        f.join();
      } catch (CompletionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException r
                ? r
                : new IllegalStateException(e.getCause());
        if (first == null) {
          first = cause;
        } else if (first != cause) {
          first.addSuppressed(cause);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
