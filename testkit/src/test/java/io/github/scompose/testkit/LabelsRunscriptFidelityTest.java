package io.github.scompose.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays 09-labels-runscript-args.txt (SingularityCE 3.4.2: {@code inspect --json --labels},
 * {@code inspect --labels}, {@code inspect --runscript}, {@code run} with and without arguments, a
 * missing image) against the emulator with the recorded {@code hello-name} image: a {@link
 * FakeImage} with its labels, its runscript text built from {@code hello-name.def} as the real
 * {@code build} does ({@code #!/bin/sh}, a blank line, the section), and {@link
 * FakeRunscript#helloName()}. The plain {@code inspect --labels} lines come in Go's map order, so
 * they are compared as a set.
 */
class LabelsRunscriptFidelityTest {

  private static final String FILE = "09-labels-runscript-args.txt";

  static FakeImage helloName(Path reference) throws IOException {
    String def = Files.readString(reference.resolve("hello-name.def"), StandardCharsets.UTF_8);
    String body = def.substring(def.indexOf("%runscript\n") + "%runscript\n".length());
    return FakeImage.builder()
        .path("/images/hello-name.sif")
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_STR", "name")
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_INT", "age")
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_FLOAT", "weight")
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_BOOL", "is_dino")
        .putLabel("org.label-schema.build-date", "Wednesday_2_December_2026_18:22:15_UTC")
        .putLabel("org.label-schema.schema-version", "1.0")
        .putLabel("org.label-schema.usage.singularity.deffile.bootstrap", "localimage")
        .putLabel("org.label-schema.usage.singularity.deffile.from", "/images/busybox.sif")
        .putLabel("org.label-schema.usage.singularity.version", "3.4.2")
        .runscript("#!/bin/sh\n\n" + body + "\n")
        .runscriptBehaviour(FakeRunscript.helloName())
        .build();
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedCommandBehavesAlike() throws IOException {
    Path dir = RecordedTranscriptFidelityTest.referenceDir();
    FakeRuntime fake =
        RecordedTranscriptFidelityTest.recordedMachine().image(helloName(dir)).build();
    Transport transport = fake.transport();
    List<DynamicTest> tests = new ArrayList<>();
    for (RecordedTranscriptFidelityTest.Step step :
        RecordedTranscriptFidelityTest.parse(dir.resolve(FILE))) {
      // the recorder printed the argument "two words" without its quotes: the output shows one word
      List<String> argv = new ArrayList<>(step.argv());
      int two = argv.indexOf("two");
      if (two > 0 && argv.get(two + 1).equals("words")) {
        argv.set(two, "two words");
        argv.remove(two + 1);
      }
      tests.add(
          DynamicTest.dynamicTest(
              step.file() + ":" + step.line() + " " + String.join(" ", argv),
              () -> {
                CommandResult result = transport.run(CommandRequest.of(argv));
                assertEquals(step.exit(), result.exitCode(), "exit code");
                String got = result.stdout() + result.stderr();
                if (argv.contains("--labels") && !argv.contains("--json")) {
                  assertEquals(
                      sortedLines(step.output()), sortedLines(got), "labels, in any order");
                } else {
                  RecordedTranscriptFidelityTest.compare(step, got);
                }
              }));
    }
    assertEquals(8, tests.size(), "the recording's commands");
    return tests.stream();
  }

  private static List<String> sortedLines(String text) {
    return RecordedTranscriptFidelityTest.normalise(text).lines().sorted().toList();
  }

  @Test
  void runscriptOutputIsExactIncludingTrailingBlankLines() throws IOException {
    Path dir = RecordedTranscriptFidelityTest.referenceDir();
    String recording = Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8);
    int start = recording.indexOf("==runscript==\n");
    String expected = recording.substring(start, recording.indexOf("[exit=0]", start));
    FakeRuntime fake =
        RecordedTranscriptFidelityTest.recordedMachine().image(helloName(dir)).build();
    assertEquals(
        expected, fake.execute("inspect", "--runscript", "/images/hello-name.sif").stdout());
  }
}
