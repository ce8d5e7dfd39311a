package io.github.scompose.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the fake's opt-in latency model gives {@code instance start}/{@code stop} the durations
 * measured on a real SingularityCE 3.4.2, on a virtual clock (nothing really waits).
 */
class LatencyModelTest {

  final VirtualTimeSource time = VirtualTimeSource.create();
  FakeRuntime fake;

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  FakeRuntime fake(LatencyModel model) {
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .anyImageExists()
            .timeSource(time)
            .latencyModel(model)
            .build();
    return fake;
  }

  /** Virtual time {@code args} took on the fake; the call must succeed. */
  Duration timed(String... args) {
    Instant before = time.now();
    CommandResult r = fake.execute(args);
    assertEquals(0, r.exitCode(), r.stderr());
    return Duration.between(before, time.now());
  }

  static void within(Duration d, long minMillis, long maxMillis) {
    assertTrue(
        d.compareTo(Duration.ofMillis(minMillis)) >= 0
            && d.compareTo(Duration.ofMillis(maxMillis)) <= 0,
        d + " not within " + minMillis + ".." + maxMillis + " ms");
  }

  @Test
  void startsAndStopsTakeTheMeasuredTimes() {
    fake(LatencyModel.singularityCe342());
    for (int i = 0; i < 5; i++) {
      within(timed("instance", "start", "/images/svc.sif", "h" + i), 310, 340);
      within(timed("instance", "start", "--net", "/images/svc.sif", "b" + i), 400, 480);
    }
    for (int i = 0; i < 5; i++) {
      // gone after 0.2–0.3 s, then 1.0–2.0 s until the monitor process is reaped
      within(timed("instance", "stop", "h" + i), 1200, 2300);
      within(timed("instance", "stop", "--signal", "SIGTERM", "b" + i), 1200, 2300);
    }
    within(
        timed("instance", "start", "--net", "--network", "none", "/images/svc.sif", "n"), 310, 340);
  }

  @Test
  void sigintDeafStartscriptsCostTheWholeTimeoutUnlessStoppedWithAnotherSignal() {
    fake(LatencyModel.named("sigint-deaf").orElseThrow());
    timed("instance", "start", "/images/svc.sif", "a");
    timed("instance", "start", "/images/svc.sif", "b");
    timed("instance", "start", "/images/svc.sif", "c");
    Instant before = time.now();
    CommandResult r = fake.execute("instance", "stop", "a");
    assertEquals(Duration.ofSeconds(10), Duration.between(before, time.now()));
    assertTrue(r.stdout().contains("(Timeout)"), r.stdout());
    assertEquals(Duration.ofSeconds(3), timed("instance", "stop", "-t", "3", "b"));
    within(timed("instance", "stop", "-s", "TERM", "c"), 1200, 2300);
  }

  @Test
  void offByDefaultAndNamedByPropertyOrVariable() {
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .anyImageExists()
            .timeSource(time)
            .build();
    if (LatencyModel.fromSystem(System::getProperty, System::getenv).isEmpty()) {
      assertEquals(Duration.ZERO, timed("instance", "start", "/images/svc.sif", "a"));
      assertEquals(Duration.ZERO, timed("instance", "stop", "a"));
    }
    Map<String, String> env = Map.of(LatencyModel.VARIABLE, "real");
    assertEquals(
        Optional.of(LatencyModel.singularityCe342()), LatencyModel.fromSystem(k -> null, env::get));
    assertEquals(
        Optional.empty(),
        LatencyModel.fromSystem(k -> k.equals(LatencyModel.PROPERTY) ? "off" : null, env::get));
    assertTrue(LatencyModel.named("sigint-deaf").orElseThrow().sigintDeafStartscripts());
    assertFalse(LatencyModel.named("").isPresent());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LatencyModel.named("fast"));
    assertTrue(e.getMessage().contains("off, real"), e.getMessage());
  }
}
