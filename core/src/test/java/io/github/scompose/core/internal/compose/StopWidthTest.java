package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.compose.Compose;
import org.junit.jupiter.api.Test;

/** How many stops of one level run at once ({@link InstanceOps#stopWidth}). */
class StopWidthTest {

  private static final int DEFAULT = Compose.DEFAULT_PARALLELISM;

  @Test
  void withTheDefaultParallelismAWholeLevelStopsAtOnce() {
    assertEquals(20, InstanceOps.stopWidth(DEFAULT, 20));
    assertEquals(InstanceOps.DEFAULT_STOP_WIDTH, InstanceOps.stopWidth(DEFAULT, 500));
  }

  @Test
  void aSmallLevelKeepsTheDefault() {
    assertEquals(DEFAULT, InstanceOps.stopWidth(DEFAULT, 3));
  }

  @Test
  void anExplicitParallelismHoldsAsSet() {
    assertEquals(4, InstanceOps.stopWidth(4, 20));
    assertEquals(1, InstanceOps.stopWidth(1, 500));
    assertEquals(32, InstanceOps.stopWidth(32, 500));
  }
}
