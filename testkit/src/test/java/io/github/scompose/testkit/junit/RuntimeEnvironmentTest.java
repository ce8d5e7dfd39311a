package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The environment-variable paths of {@link SingularityExtension}: {@value
 * SingularityExtension#RUNTIME_VARIABLE} chooses the runtime and {@value
 * SingularityExtension#SESSION_DIRECTORY_VARIABLE} the session directory when the system property
 * is unset, and the property wins over the variable. A JVM cannot set its own environment, so each
 * case runs {@link Probe} in a child JVM ({@link Child}) whose environment the test sets; the child
 * reports what the probe saw as {@code probe:} lines on stdout.
 */
class RuntimeEnvironmentTest {

  /** Set only in the child JVM, where {@link Probe} runs; skipped otherwise. */
  static final String IN_CHILD = "scompose.testkit.runtime-environment-child";

  @TempDir Path dir;

  /** A class without a runtime attribute: the choice comes from the property or the variable. */
  @EnabledIfSystemProperty(named = IN_CHILD, matches = "true")
  @SingularityTest
  static class Probe {
    @InstanceUnderTest(image = "/images/probe.sif", name = "probe")
    static TestInstanceHandle probe;

    @Test
    void sees(FakeRuntime fake) throws IOException {
      System.out.println(
          "probe:runtime=fake instances="
              + fake.instances().stream().map(FakeInstance::name).toList());
      for (String directory : List.of("env", "property")) {
        Path d = Path.of(System.getProperty(IN_CHILD + "." + directory));
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(d)) {
          try (Stream<Path> list = Files.list(d)) {
            list.map(p -> p.getFileName().toString()).sorted().forEach(files::add);
          }
        }
        System.out.println("probe:" + directory + "-files=" + files);
      }
    }
  }

  /**
   * The child JVM: {@code Child <env session dir> <property session dir>}; runs {@link Probe}
   * through EngineTestKit and prints its pid, what the probe saw and every failure.
   */
  public static final class Child {
    public static void main(String[] args) {
      System.setProperty(IN_CHILD, "true");
      System.setProperty(IN_CHILD + ".env", args[0]);
      System.setProperty(IN_CHILD + ".property", args[1]);
      System.out.println("probe:pid=" + ProcessHandle.current().pid());
      EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(Probe.class))
          .execute()
          .allEvents()
          .stream()
          .flatMap(e -> e.getPayload(TestExecutionResult.class).stream())
          .flatMap(r -> r.getThrowable().stream())
          .forEach(
              t ->
                  System.out.println(
                      "probe:failure=" + t.getClass().getSimpleName() + ": " + t.getMessage()));
      System.exit(0);
    }
  }

  /** What the child printed, its {@code probe:} lines without the prefix. */
  record Seen(List<String> lines, String stderr) {
    String pid() {
      return lines.stream()
          .filter(l -> l.startsWith("pid="))
          .findFirst()
          .orElseThrow()
          .substring("pid=".length());
    }
  }

  /**
   * Runs the child with {@code environment} (on top of this JVM's, without the testkit's own
   * variables and with {@code PATH} an empty folder, so no real binary is found) and the JVM
   * options {@code options}.
   */
  Seen child(Map<String, String> environment, List<String> options) throws Exception {
    Path emptyPath = Files.createDirectories(dir.resolve("empty-path"));
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(options);
    argv.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Child.class.getName(),
            dir.resolve("env-sessions").toString(),
            dir.resolve("property-sessions").toString()));
    ProcessBuilder builder = new ProcessBuilder(argv);
    Map<String, String> env = builder.environment();
    env.remove(SingularityExtension.RUNTIME_VARIABLE);
    env.remove(SingularityExtension.SESSION_DIRECTORY_VARIABLE);
    env.put("PATH", emptyPath.toString());
    env.putAll(environment);
    builder.redirectError(dir.resolve("stderr").toFile());
    Process process = builder.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the child JVM ended");
    String stderr = Files.readString(dir.resolve("stderr"));
    assertEquals(0, process.exitValue(), stderr);
    List<String> lines =
        stdout
            .lines()
            .filter(l -> l.startsWith("probe:"))
            .map(l -> l.substring("probe:".length()))
            .toList();
    return new Seen(lines, stderr);
  }

  Map<String, String> sessionsInEnv() {
    return Map.of(
        SingularityExtension.SESSION_DIRECTORY_VARIABLE, dir.resolve("env-sessions").toString());
  }

  static Map<String, String> plus(Map<String, String> a, String key, String value) {
    var out = new java.util.HashMap<>(a);
    out.put(key, value);
    return out;
  }

  List<String> left(String directory) {
    Path d = dir.resolve(directory);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(d)) {
      return list.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theVariableChoosesTheFakeAndTheSessionDirectory() throws Exception {
    // a decoy singularity on PATH: "auto" would pick it (and fail running it), "fake" must not
    Path decoy = Files.createDirectories(dir.resolve("decoy-path")).resolve("singularity");
    Files.writeString(decoy, "not a program\n");
    assertTrue(decoy.toFile().setExecutable(true, true));
    Seen seen =
        child(
            plus(
                plus(sessionsInEnv(), SingularityExtension.RUNTIME_VARIABLE, "fake"),
                "PATH",
                decoy.getParent().toString()),
            List.of());
    assertEquals(4, seen.lines().size(), seen.lines() + "\n" + seen.stderr());
    assertEquals("runtime=fake instances=[probe]", seen.lines().get(1));
    String envFiles = seen.lines().get(2);
    assertTrue(
        envFiles.matches("env-files=\\[(.*, )?" + seen.pid() + "-\\d+\\.session(, .*)?]"),
        "the session file is in $SCOMPOSE_TESTKIT_SESSIONS while probe runs: " + envFiles);
    assertEquals("property-files=[]", seen.lines().get(3));
    assertFalse(
        left("env-sessions").stream().anyMatch(f -> f.endsWith(".session")),
        "the session file is gone once the extension stopped probe: " + left("env-sessions"));
  }

  /**
   * auto looks where the CLI and {@code Compose.local()} look: {@code SINGULARITY_BINARY} names the
   * binary (here a decoy that cannot run), so auto means real, not the fake, although PATH has
   * none.
   */
  @Test
  void autoHonoursTheBinaryVariableAsTheCliDoes() throws Exception {
    Path decoy = Files.createDirectories(dir.resolve("decoy-variable")).resolve("singularity");
    Files.writeString(decoy, "not a program\n");
    assertTrue(decoy.toFile().setExecutable(true, true));
    Seen seen =
        child(
            plus(
                plus(sessionsInEnv(), SingularityExtension.RUNTIME_VARIABLE, "auto"),
                "SINGULARITY_BINARY",
                decoy.toString()),
            List.of());
    assertTrue(
        seen.lines().stream().noneMatch(l -> l.startsWith("runtime=fake")),
        "auto chose the fake although SINGULARITY_BINARY names a binary: " + seen.lines());
    assertTrue(
        seen.lines().stream().anyMatch(l -> l.startsWith("failure=")),
        "the decoy binary was tried (and cannot run): " + seen.lines() + "\n" + seen.stderr());
  }

  @Test
  void theVariableChoosingRealWithoutABinaryIsAConfigurationError() throws Exception {
    Seen seen =
        child(plus(sessionsInEnv(), SingularityExtension.RUNTIME_VARIABLE, "real"), List.of());
    assertEquals(
        List.of(
            "pid=" + seen.pid(),
            "failure=ExtensionConfigurationException: runtime real (from environment variable"
                + " SCOMPOSE_RUNTIME) was chosen, but no apptainer or singularity is on PATH"),
        seen.lines(),
        seen.stderr());
  }

  @Test
  void anUnknownValueOfTheVariableIsAConfigurationError() throws Exception {
    Seen seen =
        child(plus(sessionsInEnv(), SingularityExtension.RUNTIME_VARIABLE, " Bogus "), List.of());
    assertEquals(
        List.of(
            "pid=" + seen.pid(),
            "failure=ExtensionConfigurationException: runtime \"Bogus\" from environment"
                + " variable SCOMPOSE_RUNTIME is not one of auto, real, fake"),
        seen.lines(),
        seen.stderr());
  }

  @Test
  void thePropertyWinsOverTheVariable() throws Exception {
    String property = "-D" + SingularityExtension.RUNTIME_PROPERTY + "=";
    Seen fake =
        child(
            plus(sessionsInEnv(), SingularityExtension.RUNTIME_VARIABLE, "real"),
            List.of(
                property + "fake",
                "-D"
                    + SingularityExtension.SESSION_DIRECTORY_PROPERTY
                    + "="
                    + dir.resolve("property-sessions")));
    assertEquals(4, fake.lines().size(), fake.lines() + "\n" + fake.stderr());
    assertEquals("runtime=fake instances=[probe]", fake.lines().get(1));
    assertEquals(
        "env-files=[]", fake.lines().get(2), "the property's directory, not the variable's");
    assertTrue(
        fake.lines()
            .get(3)
            .matches("property-files=\\[(.*, )?" + fake.pid() + "-\\d+\\.session(, .*)?]"),
        fake.lines().get(3));

    Seen real =
        child(
            plus(sessionsInEnv(), SingularityExtension.RUNTIME_VARIABLE, "fake"),
            List.of(property + "real"));
    assertEquals(
        List.of(
            "pid=" + real.pid(),
            "failure=ExtensionConfigurationException: runtime real (from system property"
                + " scompose.runtime) was chosen, but no apptainer or singularity is on PATH"),
        real.lines(),
        real.stderr());
  }
}
