package io.github.scompose.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every transcript recorded from SingularityCE 3.4.2 in {@code
 * ../shared/reference/singularityce-3.4.2/} against the emulator (SingularityCE 3.4 dialect,
 * virtual clock) and compares each command's output (stdout then stderr, colour codes stripped,
 * PIDs masked) and exit code; recorded {@code real} times of stops are compared with the virtual
 * time the emulator let pass (within 0.5 s).
 *
 * <p>What the emulator cannot know (what programs inside the container print: {@code ps}, {@code ip
 * addr}, {@code ping}, the hosts file) is programmed from the recording as an exec response;
 * everything the CLI itself decides (instance start/list/stop, JSON, errors, unknown flags, name
 * rules, inspect, {@code hostname}, {@code sh -c "exit 3"}, environment) is the emulator's own.
 */
class RecordedTranscriptFidelityTest {

  private static final Pattern EXIT = Pattern.compile("^\\[exit=(\\d+)]$");
  private static final Pattern REAL = Pattern.compile("^real\\t(\\d+)m([\\d.]+)s$");
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");
  private static final Pattern PID = Pattern.compile("\\b\\d{4,7}\\b");
  private static final Pattern FLAG_LINE = Pattern.compile("^\\s+(?:-\\w, )?--([\\w-]+)");

  /** Files replayed on one runtime each; 03-05 continue one session (05 stops what 03/04 start). */
  private static final List<List<String>> SESSIONS =
      List.of(
          List.of("01-basic.txt"),
          List.of("02-startscript-logs.txt"),
          List.of("03-net1.txt", "04-net2.txt", "05-net-stop.txt"),
          List.of("06-env-tmpfs.txt"),
          List.of("07-stop-signal.txt"),
          List.of("08-inspect-errors.txt"));

  record Step(String file, int line, List<String> argv, String output, int exit, Double real) {}

  static Path referenceDir() {
    String shared = System.getProperty("scompose.shared.dir");
    Path dir = shared == null ? null : Path.of(shared, "reference", "singularityce-3.4.2");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir),
        "SKIPPED: recorded SingularityCE 3.4.2 transcripts not found (system property"
            + " scompose.shared.dir="
            + shared
            + "); fidelity against the recordings was not checked");
    return dir;
  }

  static List<Step> parse(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("$ singularity")) {
        continue;
      }
      String command = line.substring(2).replace(" (none)", "");
      StringBuilder output = new StringBuilder();
      int j = i + 1;
      Matcher exit = null;
      for (; j < lines.size(); j++) {
        exit = EXIT.matcher(lines.get(j));
        if (exit.matches()) {
          break;
        }
        output.append(lines.get(j)).append('\n');
      }
      Double real = null;
      for (int k = j + 1; k < Math.min(lines.size(), j + 3); k++) {
        Matcher m = REAL.matcher(lines.get(k));
        if (m.matches()) {
          real = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        }
      }
      steps.add(
          new Step(
              file.getFileName().toString(),
              i + 1,
              tokens(command),
              output.toString(),
              Integer.parseInt(exit.group(1)),
              real));
      i = j;
    }
    return steps;
  }

  /** Splits a recorded command line: whitespace, with double quotes grouping. */
  static List<String> tokens(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          tokens.add(current.toString());
          current.setLength(0);
          any = false;
        }
      } else {
        current.append(c);
        any = true;
      }
    }
    if (any) {
      tokens.add(current.toString());
    }
    return tokens;
  }

  /** Exec commands whose output the emulator produces itself (the rest is programmed). */
  static boolean emulatorOwnsExec(List<String> command) {
    if (command.equals(List.of("hostname")) || command.equals(List.of("cat", "/etc/hostname"))) {
      return true;
    }
    if (command.size() >= 3 && command.get(0).equals("sh") && command.get(1).equals("-c")) {
      String script = String.join(" ", command.subList(2, command.size()));
      return script.matches("exit \\d+")
          || script.startsWith("echo ") && !script.matches(".*[|>;&].*");
    }
    return false;
  }

  static FakeRuntime.Builder recordedMachine() {
    return FakeRuntime.builder()
        .dialect(FakeDialect.SINGULARITY_CE_3_4)
        .hostName("vm")
        .userName("root")
        .homeDirectory("/root")
        .firstPid(26306)
        .timeSource(VirtualTimeSource.create())
        .stillListedAfterKill(Duration.ofMillis(2500))
        .image(busybox("/images/busybox.sif"))
        .image(busybox("/images/busybox"))
        .image(
            FakeImage.builder()
                .path("/images/svc.sif")
                .putEnvironment("GREETING", "hello-from-def")
                .addStartscriptStdout(
                    "startscript args: $@", "startscript GREETING=$GREETING FOO=$FOO")
                .addStartscriptStderr("to stderr")
                .runscript("#!/bin/sh\n\n    echo \"runscript args: $@\"\n\n")
                .addRunscriptStdout("runscript args: $@")
                .ignoresStopSignal(true)
                .putLabel("org.label-schema.build-date", "Saturday_21_November_2026_16:8:7_UTC")
                .putLabel("org.label-schema.schema-version", "1.0")
                .putLabel("org.label-schema.usage.singularity.deffile.bootstrap", "localimage")
                .putLabel("org.label-schema.usage.singularity.deffile.from", "/images/busybox.sif")
                .putLabel("org.label-schema.usage.singularity.version", "3.4.2")
                .build())
        .image(
            FakeImage.builder()
                .path("/images/scratch.sif")
                .addStartscriptStdout("scratch startscript: $@")
                .stopDuration(Duration.ofMillis(1500))
                .build());
  }

  static FakeImage busybox(String path) {
    return FakeImage.builder()
        .path(path)
        .hostname("busybox-img")
        .stopDuration(Duration.ofSeconds(2))
        .build();
  }

  /** The caller's environment per step, as the recording implies (06: SINGULARITYENV_). */
  static Map<String, String> environmentFor(Step step) {
    String joined = String.join(" ", step.argv());
    if (joined.contains("instance start /images/svc.sif envtest")) {
      return Map.of("SINGULARITYENV_FOO", "bar-from-env");
    }
    if (joined.contains("BAZ=$BAZ")) {
      return Map.of("SINGULARITYENV_BAZ", "qux");
    }
    return Map.of();
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedCommandBehavesAlike() throws IOException {
    Path dir = referenceDir();
    List<DynamicTest> tests = new ArrayList<>();
    for (List<String> session : SESSIONS) {
      List<Step> steps = new ArrayList<>();
      for (String file : session) {
        steps.addAll(parse(dir.resolve(file)));
      }
      FakeRuntime.Builder builder = recordedMachine();
      for (Step step : steps) {
        List<String> argv = step.argv();
        if (argv.size() > 3
            && argv.get(1).equals("exec")
            && argv.get(2).startsWith("instance://")) {
          List<String> command = argv.subList(3, argv.size());
          if (!emulatorOwnsExec(command)) {
            builder.respondToExec(
                argv.get(2).substring("instance://".length()),
                command,
                ScriptedResponse.of(step.exit(), step.output()));
          }
        }
      }
      FakeRuntime fake = builder.build();
      Transport transport = fake.transport();
      VirtualTimeSource clock = (VirtualTimeSource) fake.timeSource();
      for (Step step : steps) {
        tests.add(
            DynamicTest.dynamicTest(
                step.file() + ":" + step.line() + " " + String.join(" ", step.argv()),
                () -> {
                  var before = clock.now();
                  CommandRequest request =
                      CommandRequest.builder()
                          .argv(step.argv())
                          .environment(environmentFor(step))
                          .build();
                  CommandResult result = transport.run(request);
                  assertEquals(step.exit(), result.exitCode(), "exit code");
                  compare(step, result.stdout() + result.stderr());
                  if (step.real() != null) {
                    double took = Duration.between(before, clock.now()).toMillis() / 1000.0;
                    assertTrue(
                        Math.abs(took - step.real()) < 0.5,
                        "recorded " + step.real() + " s, emulated " + took + " s");
                  }
                }));
      }
    }
    return tests.stream();
  }

  static void compare(Step step, String actual) {
    String expected = normalise(step.output());
    String got = normalise(actual);
    if (expected.startsWith("Error for command")) {
      List<String> e = expected.lines().toList();
      List<String> g = got.lines().toList();
      assertEquals(e.get(0), g.get(0), "error line");
      assertEquals(e.get(2), g.get(2), "options header");
      assertEquals(e.get(e.size() - 1), g.get(g.size() - 1), "closing line");
      assertEquals(flags(e), flags(g), "flags listed in the usage");
    } else if (expected.startsWith("Usage:")) {
      assertTrue(got.startsWith(expected), "usage starts like the recording:\n" + got);
    } else {
      assertEquals(expected, got);
    }
  }

  static List<String> flags(List<String> lines) {
    List<String> names = new ArrayList<>();
    for (String line : lines) {
      Matcher m = FLAG_LINE.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  static String normalise(String text) {
    String plain = PID.matcher(ANSI.matcher(text).replaceAll("")).replaceAll("<pid>");
    List<String> lines = new ArrayList<>(plain.lines().map(String::stripTrailing).toList());
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return String.join("\n", lines);
  }

  @Test
  void stdoutAndStderrAreSeparatedAsRecorded() throws IOException {
    Path dir = referenceDir();
    String text = Files.readString(dir.resolve("02-startscript-logs.txt"));
    Matcher m = Pattern.compile("exit=(\\d+) stdout=\\[(.*)] stderr=\\[(.*)]").matcher(text);
    assertTrue(m.find(), "the recording has its stdout/stderr line");
    CommandResult result = recordedMachine().build().execute("instance", "stop", "nosuch");
    assertEquals(Integer.parseInt(m.group(1)), result.exitCode());
    assertEquals(m.group(2), result.stdout());
    assertEquals(m.group(3), normalise(result.stderr()));
  }

  @Test
  void startscriptLogsAreWhereAndWhatTheRecordingShows() throws IOException {
    Path dir = referenceDir();
    String text = Files.readString(dir.resolve("02-startscript-logs.txt"));
    FakeRuntime fake = recordedMachine().build();
    fake.execute("instance", "start", "/images/svc.sif", "web1", "a1", "b", "2");
    for (String suffix : List.of("out", "err")) {
      String path = "/root/.singularity/instances/logs/vm/root/web1." + suffix;
      assertTrue(text.contains(path + "\n"), "the recording lists " + path);
      Matcher m =
          Pattern.compile("--- " + Pattern.quote(path) + "\\n((?:(?!---|##).*\\n)*)").matcher(text);
      assertTrue(m.find(), "the recording shows " + path);
      assertEquals(m.group(1), fake.readFile(path).orElseThrow(), path);
    }
    String stateFile = "/root/.singularity/instances/sing/vm/root/web1/web1.json";
    assertTrue(text.contains(stateFile));
    assertTrue(fake.readFile(stateFile).orElseThrow().contains("\"name\":\"web1\""));
  }
}
