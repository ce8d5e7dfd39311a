package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.internal.compose.EngineSettings;
import io.github.scompose.core.internal.compose.StopSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The engine's one {@code instance stop} (down, stop, restart, rollback): {@code --signal SIGTERM}
 * unless the service's {@code stop_signal} says otherwise, {@code stop_grace_period} as {@code
 * --timeout} (whole seconds, at least 1), an explicit stop timeout winning; nothing of either on
 * Singularity 2.x, whose {@code instance.stop} is taken to have neither.
 */
class StopCommandTest {

  private static EngineSettings settings(SingularityBinary binary, Duration stopTimeout) {
    SingularityClient client =
        SingularityClient.builder().transport(new ScriptedTransport()).binary(binary).build();
    return new EngineSettings(
        client,
        Runnable::run,
        1,
        List.of(),
        Clock.systemUTC(),
        Sleeper.system(),
        1,
        1,
        Optional.empty(),
        Optional.ofNullable(stopTimeout),
        Duration.ofSeconds(1),
        Duration.ofMillis(10),
        Duration.ofSeconds(1));
  }

  private static String line(SingularityBinary binary, Duration stopTimeout, StopSettings stop) {
    InstanceStop c = settings(binary, stopTimeout).stopCommand("app1", stop);
    return String.join(" ", c.render(binary.dialect()).args());
  }

  private static StopSettings stop(String signal, Duration grace) {
    return new StopSettings(Optional.ofNullable(signal), Optional.ofNullable(grace));
  }

  @Test
  void theDefaultIsSigtermWithTheBinarysTimeout() {
    assertEquals(
        "instance stop --signal SIGTERM app1",
        line(GoldenArgvTest.V342, null, StopSettings.DEFAULT));
    assertEquals(
        "instance stop --signal SIGTERM app1",
        line(GoldenArgvTest.CE4, null, StopSettings.DEFAULT));
    assertEquals(
        "instance stop --signal SIGTERM app1",
        line(GoldenArgvTest.APPTAINER, null, StopSettings.DEFAULT));
  }

  @Test
  void theServicesStopSignalAndGracePeriodAreHonoured() {
    assertEquals(
        "instance stop --signal SIGKILL --timeout 3 app1",
        line(GoldenArgvTest.V342, null, stop("SIGKILL", Duration.ofMillis(2500))));
    assertEquals(
        "instance stop --signal SIGTERM --timeout 1 app1",
        line(GoldenArgvTest.V342, null, stop(null, Duration.ZERO)),
        "at least 1 s");
    assertEquals(
        "instance stop --signal 15 --timeout 7 app1",
        line(GoldenArgvTest.V342, Duration.ofSeconds(7), stop("15", Duration.ofSeconds(30))),
        "an explicit stop timeout (down -t) wins over stop_grace_period");
  }

  @Test
  void singularity2GetsNeitherSignalNorGracePeriod() {
    assertEquals(
        "instance.stop app1",
        line(GoldenArgvTest.V2, null, stop("SIGKILL", Duration.ofSeconds(5))));
    assertEquals("instance.stop app1", line(GoldenArgvTest.V2, null, StopSettings.DEFAULT));
  }
}
