package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.client.ImmutableInstanceStart;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.internal.compose.InstanceRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/**
 * The instance records file ({@code .scompose/instances.json}) gives back every string it was given
 * — arguments, options and environment values with quotes, backslashes, control and non-ASCII
 * characters — so that {@code start} from another process runs the exact start of {@code up}.
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
        ImmutableInstanceStart.builder()
            .image("/img/x.sif")
            .name("p-x-1")
            .addArgs(arg, "")
            .addOptions(arg)
            .putEnvironment("VALUE", value)
            .build();
    InstanceRecords.Content content =
        new InstanceRecords.Content(
            List.of(new InstanceRecords.Record("x", "p-x-1", 1, 0, start, List.of(), false)),
            Map.of("etc.hosts", file));
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
