package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.errors.SingularityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ParallelTest {

  final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  static List<Integer> items(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void queuedItemsHoldNoThreadOfThePool() {
    AtomicInteger handed = new AtomicInteger();
    AtomicInteger maxHanded = new AtomicInteger();
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    // handed: given to the executor and its action not yet ended (waiting for a permit counts)
    Parallel.forEach(
        r -> {
          maxHanded.accumulateAndGet(handed.incrementAndGet(), Math::max);
          pool.execute(r);
        },
        3,
        items(20),
        i -> {
          maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
          ran.add(i);
          active.decrementAndGet();
          handed.decrementAndGet();
        });
    assertEquals(20, ran.size());
    assertTrue(maxHanded.get() <= 3, "tasks handed to the pool at once: " + maxHanded.get());
    assertTrue(maxActive.get() <= 3);
  }

  @Test
  void parallelismIsReached() throws Exception {
    CountDownLatch all = new CountDownLatch(4);
    Parallel.forEach(
        pool,
        4,
        items(8),
        i -> {
          all.countDown();
          try {
            assertTrue(all.await(30, TimeUnit.SECONDS), "4 at once");
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void aFailureWaitsForTheOthersAndIsRethrownWithTheRestSuppressed() {
    AtomicInteger ran = new AtomicInteger();
    IllegalStateException one = new IllegalStateException("one");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.forEach(
                    pool,
                    2,
                    items(6),
                    i -> {
                      ran.incrementAndGet();
                      if (i == 1) {
                        throw one;
                      }
                      if (i == 4) {
                        throw new IllegalStateException("four");
                      }
                    }));
    assertSame(one, e);
    assertEquals(6, ran.get(), "every item ran");
    assertEquals("four", e.getSuppressed()[0].getMessage());
  }

  @Test
  @Timeout(60)
  void theEarliestItemsFailureIsRethrownWhicheverFailedFirst() {
    CountDownLatch fourFailed = new CountDownLatch(1);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.forEach(
                    pool,
                    2,
                    items(5),
                    i -> {
                      if (i == 1) {
                        // item 1 fails only after item 4 (run once 0, 2 and 3 ended) has failed
                        awaitUninterruptibly(fourFailed);
                        throw new IllegalStateException("one");
                      }
                      if (i == 4) {
                        fourFailed.countDown();
                        throw new IllegalStateException("four");
                      }
                    }));
    assertEquals("one", e.getMessage());
    assertEquals(1, e.getSuppressed().length);
    assertEquals("four", e.getSuppressed()[0].getMessage());
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Timeout(60)
  void anInterruptCancelsTheRestAndPropagates() throws Exception {
    CountDownLatch entered = new CountDownLatch(2);
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interruptedActions = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                Parallel.forEach(
                    pool,
                    2,
                    items(10),
                    i -> {
                      started.incrementAndGet();
                      entered.countDown();
                      try {
                        never.await();
                      } catch (InterruptedException e) {
                        interruptedActions.incrementAndGet();
                        throw new SingularityException("interrupted while starting " + i, e);
                      }
                    });
                outcome.complete(null);
              } catch (Throwable t) {
                flagKept.complete(Thread.currentThread().isInterrupted());
                outcome.complete(t);
              }
            });
    caller.start();
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    caller.interrupt();
    Throwable t = outcome.get(30, TimeUnit.SECONDS);
    SingularityException e = assertInstanceOf(SingularityException.class, t);
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(e.getMessage().contains("8 of 10 not started"), e.getMessage());
    assertTrue(flagKept.get(), "the caller's interrupt status is kept");
    assertEquals(2, started.get(), "nothing started after the interrupt");
    assertEquals(2, interruptedActions.get(), "running actions were interrupted and waited for");
  }
}
