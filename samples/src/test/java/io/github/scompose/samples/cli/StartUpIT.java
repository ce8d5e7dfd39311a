package io.github.scompose.samples.cli;

import static io.github.scompose.samples.cli.JarProcesses.finish;
import static io.github.scompose.samples.cli.JarProcesses.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.samples.cli.JarProcesses.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The class-data sharing archives {@code mvn package} makes beside {@code scompose.jar} ({@link
 * ClassDataArchive}), and the launcher's use of them: they fit this jar and this JVM, the first
 * holds what {@code config} loads (picocli included), the engine's one what {@code up -d} and
 * {@code down} load, the launcher gives the engine's one to the engine's commands only, and a
 * launcher beside an archive that does not fit still runs the command with nothing more on stdout
 * or stderr.
 */
class StartUpIT {

  @TempDir Path temp;

  private static Path archive() {
    return jar().resolveSibling("scompose.jsa");
  }

  private static Path engineArchive() {
    return jar().resolveSibling("scompose-engine.jsa");
  }

  private Result java(String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(List.of(args));
    return finish(new ProcessBuilder(argv), temp);
  }

  @ParameterizedTest
  @ValueSource(strings = {"config", "check", "version --short"})
  void shortCommandsLoadNoRuntimeEngineOrNetworkClass(String command) throws Exception {
    Path file = temp.resolve("compose.yml");
    Files.writeString(file, "services:\n  web:\n    image: web.sif\n    ports: [\"8080:80\"]\n");
    List<String> args =
        new ArrayList<>(List.of("-Xlog:class+load=info", "-jar", jar().toString(), "-f"));
    args.add(file.toString());
    args.addAll(List.of(command.split(" ")));
    Result r = java(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.output());
    List<String> loaded =
        r.stdout()
            .lines()
            .filter(l -> l.contains("[class,load]"))
            .filter(l -> l.matches(".*\\] io\\.github\\.scompose\\.(core|network|testkit)\\..*"))
            .toList();
    assertEquals(List.of(), loaded, command + " loaded these");
    assertTrue(
        r.stdout().contains("] io.github.scompose.samples.cli.ScomposeCommand "), r.stdout());
  }

  @Test
  void theArchiveFitsThisJarAndThisJvm() throws Exception {
    assertTrue(Files.isRegularFile(archive()), archive() + " made by the package step");
    // -Xshare:on: a JVM that cannot map the archive stops instead of falling back
    Result r =
        java(
            "-Xshare:on",
            "-XX:SharedArchiveFile=" + archive(),
            "-jar",
            jar().toString(),
            "version",
            "--short");
    assertEquals(0, r.exitCode(), r.output());
    assertEquals("scompose " + VersionCommand.version() + "\n", r.stdout());
  }

  @Test
  void configLoadsPicocliTheLoaderAndTheCommandFromTheArchive() throws Exception {
    Path file = temp.resolve("compose.yml");
    // the anchor puts the file outside the subset the loader reads by itself: both readers load
    Files.writeString(
        file, "services:\n  web:\n    image: web.sif\n    ports: &ports [\"8080:80\"]\n");
    Result r =
        java(
            "-Xshare:on",
            "-XX:SharedArchiveFile=" + archive(),
            "-Xlog:class+load=info",
            "-jar",
            jar().toString(),
            "-f",
            file.toString(),
            "config");
    assertEquals(0, r.exitCode(), r.output());
    List<String> fromTheJar =
        r.stdout()
            .lines()
            .filter(l -> l.contains("[class,load]") && l.contains("source: file:"))
            .collect(Collectors.toList());
    for (String type :
        List.of(
            "picocli.CommandLine ",
            // excluded from the archive while a lambda implemented picocli's ITypeConverter
            "picocli.CommandLine$BuiltIn$IntegerConverter ",
            "io.github.scompose.samples.cli.ConfigCommand ",
            // the Compose Specification's binder (the training reads such a file too)
            "io.github.scompose.spec.internal.load.ComposeBinder ",
            "io.github.scompose.spec.ComposeLoader ",
            "io.github.scompose.spec.internal.yaml.BlockSubsetReader ",
            "org.snakeyaml.engine.v2.api.LoadSettings ")) {
      assertTrue(
          r.stdout().contains("] " + type + "source: shared objects file"),
          type + "from the archive; read from the jar:\n" + String.join("\n", fromTheJar));
    }
    // about 10: the annotations' proxies, generated at each start, and a few lambdas
    assertTrue(
        fromTheJar.size() < 40,
        fromTheJar.size() + " classes read from the jar:\n" + String.join("\n", fromTheJar));
  }

  /**
   * The launcher as shipped, in a checkout of its own: a copy of the jar (another modification
   * time, so the build's archive no longer fits it) beside an archive that is stale, garbage, or
   * cut short.
   */
  @ParameterizedTest
  @ValueSource(strings = {"stale", "garbage", "truncated"})
  void theLauncherIgnoresAnArchiveThatDoesNotFitQuietly(String kind) throws Exception {
    Path samples = Files.createDirectories(temp.resolve("checkout/samples/target")).getParent();
    Path script = samples.resolve("scompose");
    Files.copy(ScomposeJarIT.samplesFolder().resolve("scompose"), script);
    Files.copy(jar(), samples.resolve("target/scompose.jar"));
    Path copy = samples.resolve("target/scompose.jsa");
    byte[] archive = Files.readAllBytes(archive());
    switch (kind) {
      case "stale" -> Files.write(copy, archive);
      case "garbage" -> Files.write(copy, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      default -> Files.write(copy, java.util.Arrays.copyOf(archive, archive.length / 3));
    }
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "version", "--short");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Result r = finish(pb, temp);
    assertEquals(0, r.exitCode(), r.output());
    assertEquals("scompose " + VersionCommand.version() + "\n", r.stdout(), r.output());
    assertEquals("", r.stderr(), r.output());
  }

  @Test
  void upAndDownLoadTheEngineFromTheEngineArchive() throws Exception {
    assertTrue(Files.isRegularFile(engineArchive()), engineArchive() + " made by the package step");
    Path file = temp.resolve("compose.yml");
    Files.writeString(file, "services:\n  web:\n    image: web.sif\n  db:\n    image: db.sif\n");
    List<String> fromTheJar = new ArrayList<>();
    for (String command : List.of("up -d", "down")) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "-Xshare:on",
                  "-XX:SharedArchiveFile=" + engineArchive(),
                  "-Xlog:class+load=info",
                  "-D" + CliRuntime.FAKE_STATE_PROPERTY + "=" + temp.resolve("fake-state"),
                  "-Dscompose.lease.file=" + temp.resolve("leases.json"),
                  "-jar",
                  jar().toString(),
                  "--runtime",
                  "fake",
                  "-f",
                  file.toString()));
      args.addAll(List.of(command.split(" ")));
      Result r = java(args.toArray(String[]::new));
      assertEquals(0, r.exitCode(), r.output());
      for (String type :
          List.of(
              "picocli.CommandLine ",
              "io.github.scompose.core.compose.Compose ",
              "io.github.scompose.core.client.SingularityClient ")) {
        assertTrue(
            r.stdout().contains("] " + type + "source: shared objects file"),
            command + ": " + type + "from the archive\n" + r.stdout());
      }
      r.stdout()
          .lines()
          .filter(l -> l.contains("[class,load]") && l.contains("source: file:"))
          .forEach(fromTheJar::add);
    }
    // before the engine's archive: about 480 (up) and 310 (down) classes read from the jar
    assertTrue(
        fromTheJar.size() < 200,
        fromTheJar.size() + " classes read from the jar:\n" + String.join("\n", fromTheJar));
  }

  /**
   * The archive the shipped launcher passes, seen by a {@code java} that prints its arguments: the
   * engine's for the engine's commands (also after global options), the first one for the others
   * and when the engine's is missing.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "up -d|scompose-engine.jsa",
        "-f compose.yml --runtime fake down|scompose-engine.jsa",
        "--parallel 4 up|scompose-engine.jsa",
        "create|scompose-engine.jsa",
        "start|scompose-engine.jsa",
        "stop|scompose-engine.jsa",
        "restart|scompose-engine.jsa",
        "run web true|scompose-engine.jsa",
        "exec web true|scompose-engine.jsa",
        "logs|scompose-engine.jsa",
        "config|scompose.jsa",
        "-f up.yml check|scompose.jsa",
        "version --short|scompose.jsa",
        "ps|scompose.jsa",
        "--help|scompose.jsa",
        "help up|scompose.jsa",
        "config --services up|scompose.jsa",
        "''|scompose.jsa",
        "up -d|no engine archive"
      })
  void theLauncherGivesTheEngineArchiveToTheEngineCommandsOnly(String args, String expected)
      throws Exception {
    Path samples = Files.createDirectories(temp.resolve("checkout/samples/target")).getParent();
    Path script = samples.resolve("scompose");
    Files.copy(ScomposeJarIT.samplesFolder().resolve("scompose"), script);
    Files.writeString(samples.resolve("target/scompose.jar"), "");
    Files.writeString(samples.resolve("target/scompose.jsa"), "");
    if (!expected.equals("no engine archive")) {
      Files.writeString(samples.resolve("target/scompose-engine.jsa"), "");
    }
    Path javaHome = Files.createDirectories(temp.resolve("jdk/bin")).getParent();
    Path java = javaHome.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    assertTrue(java.toFile().setExecutable(true));
    List<String> argv = new ArrayList<>(List.of(script.toString()));
    if (!args.isEmpty()) {
      argv.addAll(List.of(args.split(" ")));
    }
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("JAVA_HOME", javaHome.toString());
    Result r = finish(pb, temp);
    assertEquals(0, r.exitCode(), r.output());
    String archive = expected.equals("no engine archive") ? "scompose.jsa" : expected;
    List<String> passed = r.stdout().lines().toList();
    assertTrue(
        passed.contains("-XX:SharedArchiveFile=" + samples.resolve("target/" + archive)),
        String.join(" ", passed));
    // the arguments reach the jar unchanged, after it
    List<String> afterJar = passed.subList(passed.indexOf("-jar") + 2, passed.size());
    assertEquals(args.isEmpty() ? List.of() : List.of(args.split(" ")), afterJar);
  }
}
