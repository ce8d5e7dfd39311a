package io.github.scompose.core.internal.transport;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared pool of daemon threads that drain process output, feed stdin and wait for streamed
 * commands. Unbounded (cached): a drained pipe must never wait for a free thread, or the child
 * blocks on a full pipe.
 */
public final class TransportThreads {

  private static final AtomicLong COUNTER = new AtomicLong();

  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          new ThreadFactory() {
            @Override
            public Thread newThread(Runnable task) {
              Thread thread = new Thread(task, "scompose-transport-" + COUNTER.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            }
          });

  private TransportThreads() {}

  /** The pool; never shut down (its threads are daemons and expire after 60 s idle). */
  public static ExecutorService pool() {
    return POOL;
  }
}
