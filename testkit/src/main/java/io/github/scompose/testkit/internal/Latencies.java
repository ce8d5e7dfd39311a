package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.LatencyModel;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * A {@link LatencyModel} at work in one emulator: draws each call's duration (a fixed seed, so runs
 * on a virtual clock repeat), lets the free part pass on the time source and the CPU part while
 * holding one of the model's cores. Does nothing without a model. Thread-safe.
 */
final class Latencies {

  private final LatencyModel model;
  private final Semaphore cores;
  private final Random random = new Random(11);

  Latencies(Optional<LatencyModel> model) {
    this.model = model.orElse(null);
    this.cores = new Semaphore(model.map(LatencyModel::cores).orElse(1), true);
  }

  /** An {@code instance start}; {@code net}: with a network other than {@code none}. */
  void start(FakeTimeSource time, boolean net) throws InterruptedException {
    if (model != null) {
      pass(
          time,
          net ? model.netStartMin() : model.startMin(),
          net ? model.netStartMax() : model.startMax(),
          model.startCpu());
    }
  }

  /** A clean {@code instance stop} (one that did not wait for its timeout). */
  void stop(FakeTimeSource time) throws InterruptedException {
    if (model != null) {
      pass(time, model.stopMin(), model.stopMax(), model.stopCpu());
    }
  }

  /** The wait of a stop for the reaping of the instance's monitor process, after it is gone. */
  void reap(FakeTimeSource time) throws InterruptedException {
    if (model != null) {
      pass(time, model.reapMin(), model.reapMax(), Duration.ZERO);
    }
  }

  /**
   * Whether a stop with {@code signal} (empty: the binary's default, SIGINT) waits for its timeout
   * because the model's startscripts ignore SIGINT.
   */
  boolean deafTo(Optional<String> signal) {
    if (model == null || !model.sigintDeafStartscripts()) {
      return false;
    }
    String s = signal.orElse("SIGINT");
    return s.equals("SIGINT") || s.equals("INT") || s.equals("2");
  }

  private void pass(FakeTimeSource time, Duration min, Duration max, Duration cpu)
      throws InterruptedException {
    long span = max.toNanos() - min.toNanos();
    long extra;
    synchronized (random) {
      extra = span <= 0 ? 0 : (long) (random.nextDouble() * span);
    }
    Duration total = min.plusNanos(extra);
    Duration busy = cpu.compareTo(total) < 0 ? cpu : total;
    time.sleep(total.minus(busy));
    if (busy.isZero()) {
      return;
    }
    cores.acquire();
    try {
      time.sleep(busy);
    } finally {
      cores.release();
    }
  }
}
