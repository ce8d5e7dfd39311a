package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed {@code up} prints its error once (issue 14; it was printed three times: the engine's
 * WARN log line, the progress line and the final error). The CLI runs as its own process ({@code
 * java -cp <test class path> ScomposeCommand}, slf4j-simple configured as in the jar, logging to
 * the process's stderr), on the embedded fake, with a healthcheck that never passes.
 */
class ErrorsOnceCliProcessTest {

  @TempDir Path temp;

  record Result(int code, String out, String err) {}

  Result scompose(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(JarProcesses.QUICK_START);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(ScomposeCommand.class.getName());
    argv.addAll(List.of("--runtime", "fake", "--project-directory", dir.toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put(CliRuntime.FAKE_STATE_VARIABLE, temp.resolve("fake").toString());
    Path out = temp.resolve("out.txt");
    Path err = temp.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("scompose hung");
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aFailedUpPrintsItsErrorOnce() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("sick"));
    Files.writeString(
        dir.resolve("compose.yaml"),
        "name: sick\n"
            + "services:\n"
            + "  db:\n"
            + "    image: busybox:1.36\n"
            + "    healthcheck:\n"
            + "      test: [\"CMD\", \"false\"]\n"
            + "      interval: 100ms\n"
            + "      retries: 1\n"
            + "  web:\n"
            + "    image: busybox:1.36\n"
            + "    depends_on:\n"
            + "      db:\n"
            + "        condition: service_healthy\n");
    Result r = scompose(dir, "up", "-d");
    assertEquals(1, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(1, count(r.err(), "up failed at sick-db-1"), r.err());
    assertEquals(1, count(r.err(), "unhealthy: the healthcheck failed"), r.err());
    assertEquals(1, count(r.err(), "exec instance://sick-db-1 false"), r.err());
    assertTrue(r.err().contains("[+] sick-db-1 failed\n"), "the progress line: " + r.err());
    assertTrue(
        r.err().endsWith("everything this up started has been stopped\n"),
        "the report ends the output: " + r.err());
    assertEquals(0, count(r.err(), "WARN"), "no log line repeats it: " + r.err());
  }
}
