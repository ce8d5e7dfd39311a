package io.github.scompose.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The in-JVM fake answers {@code /proc/PID/stat} for its own fake PIDs, so liveness probes through
 * {@link Transport#readFile} (the compose engine's startup check) see the emulated host, not this
 * one.
 */
class EmulatedProcfsTest {

  @Test
  void aRunningInstancesPidIsAliveInProcAndGoneAfterStop() {
    FakeRuntime fake =
        FakeRuntime.builder()
            .timeSource(VirtualTimeSource.create())
            .image(FakeImage.builder().path("/images/app.sif").build())
            .build();
    Transport transport = fake.transport();
    assertTrue(transport.readFile("/proc/self/stat", 0).isPresent());

    assertEquals(0, fake.execute("instance", "start", "/images/app.sif", "web").exitCode());
    long pid = fake.instance("web").orElseThrow().pid();
    String stat =
        new String(
            transport.readFile("/proc/" + pid + "/stat", 0).orElseThrow(), StandardCharsets.UTF_8);
    assertTrue(stat.startsWith(pid + " (sleep) S "), stat);

    assertEquals(0, fake.execute("instance", "stop", "web").exitCode());
    assertTrue(transport.readFile("/proc/" + pid + "/stat", 0).isEmpty());
    assertTrue(transport.readFile("/proc/" + (pid + 12345) + "/stat", 0).isEmpty());
  }
}
