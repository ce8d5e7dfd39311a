package io.github.scompose.samples.seams;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;

/**
 * Breaks every rule of {@code SeamRulesTest} once, so that the test can show each rule catches it.
 * Never run.
 */
public final class BreaksTheSeams {

  private BreaksTheSeams() {}

  static void startsProcesses() throws IOException {
    Runtime.getRuntime().exec(new String[] {"true"});
    new ProcessBuilder("true").start();
  }

  static long readsTheWallClock(Clock clock) {
    return Instant.now().toEpochMilli()
        + LocalDateTime.now().getSecond()
        + System.currentTimeMillis()
        + Instant.now(clock).toEpochMilli();
  }

  static void sleeps() throws InterruptedException {
    Thread.sleep(1);
    TimeUnit.MILLISECONDS.sleep(1);
  }
}
