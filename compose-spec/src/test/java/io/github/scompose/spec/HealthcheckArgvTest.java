package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Healthcheck#argv()}: the one rule that turns {@code healthcheck.test} into an argv. */
class HealthcheckArgvTest {

  private static Healthcheck test(String... words) {
    return Healthcheck.builder().addTest(words).build();
  }

  @Test
  void cmdRunsTheRestDirectly() {
    assertEquals(
        List.of("curl", "-f", "http://localhost"),
        test("CMD", "curl", "-f", "http://localhost").argv());
  }

  @Test
  void cmdShellRunsTheLineWithBinSh() {
    assertEquals(
        List.of("/bin/sh", "-c", "curl -f http://localhost || exit 1"),
        test("CMD-SHELL", "curl -f http://localhost || exit 1").argv());
    assertEquals(List.of("/bin/sh", "-c", "a b"), test("CMD-SHELL", "a", "b").argv());
  }

  @Test
  void aListWithoutCmdIsTheArgvItself() {
    assertEquals(List.of("pg_isready", "-q"), test("pg_isready", "-q").argv());
  }

  @Test
  void nothingToRunIsAnError() {
    assertThrows(IllegalStateException.class, () -> test("NONE").argv());
    assertThrows(
        IllegalStateException.class,
        () -> Healthcheck.builder().interval(Duration.ofSeconds(1)).build().argv());
  }
}
