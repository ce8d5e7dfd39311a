package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.internal.compose.InstanceRecords;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Healthcheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/**
 * The instance records file ({@code .scompose/instances.json}) gives back every string it was given
 * — arguments, options and environment values with quotes, backslashes, control and non-ASCII
 * characters — so that {@code start} from another process runs the exact start of {@code up}, and
 * waits for the same dependencies' healthchecks (every duration to the nanosecond).
 */
class ComposeOpsRecordsProperties {

  @Property(tries = 300)
  void everyStringRoundTrips(
      @ForAll @StringLength(max = 24) String arg,
      @ForAll @StringLength(max = 24) String value,
      @ForAll @StringLength(max = 24) String file)
      throws Exception {
    for (String s : List.of(arg, value, file)) {
      Assume.that(s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    }
    InstanceStart start =
        InstanceStart.builder()
            .image("/img/x.sif")
            .name("p-x-1")
            .addArgs(arg, "")
            .addOptions(arg)
            .putEnvironment("VALUE", value)
            .build();
    InstanceRecords.Content content =
        new InstanceRecords.Content(
            List.of(new InstanceRecords.Record("x", "p-x-1", 1, 0, start, List.of(), false)),
            Map.of("etc.hosts", file),
            List.of("/data/" + arg, "/srv"));
    Path dir = Files.createTempDirectory("records");
    try {
      InstanceRecords.write(dir, content);
      assertEquals(content, InstanceRecords.read(dir).orElseThrow());
    } finally {
      Files.deleteIfExists(InstanceRecords.in(dir));
      Files.delete(dir);
    }
  }

  @Property(tries = 200)
  void waitsAndHealthchecksRoundTrip(
      @ForAll @StringLength(max = 24) String check,
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long intervalNanos,
      @ForAll @IntRange(min = 0, max = 100) int retries,
      @ForAll boolean required)
      throws Exception {
    Assume.that(check.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    InstanceStart start = InstanceStart.builder().image("/img/x.sif").name("p-x-1").build();
    Healthcheck h =
        Healthcheck.builder()
            .addTest("CMD-SHELL", check)
            .interval(Duration.ofNanos(intervalNanos))
            .startPeriod(Duration.ofMillis(intervalNanos / 1_000_000))
            .retries(retries)
            .build();
    DependencyWait w =
        DependencyWait.builder()
            .service("db")
            .addInstances("p-db-1", "p-db-2")
            .condition(DependsOn.Condition.SERVICE_HEALTHY)
            .required(required)
            .build();
    InstanceRecords.Content content =
        new InstanceRecords.Content(
            List.of(
                new InstanceRecords.Record(
                    "x",
                    "p-x-1",
                    1,
                    1,
                    start,
                    List.of(),
                    false,
                    false,
                    false,
                    List.of(w),
                    Optional.of(h))),
            Map.of());
    Path dir = Files.createTempDirectory("records");
    try {
      InstanceRecords.write(dir, content);
      assertEquals(content, InstanceRecords.read(dir).orElseThrow());
    } finally {
      Files.deleteIfExists(InstanceRecords.in(dir));
      Files.delete(dir);
    }
  }
}
