package io.github.scompose.samples.cli;

import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import java.util.List;

/**
 * How the CLI programs the embedded {@link FakeRuntime} so that the shipped examples (and any other
 * file) behave plausibly: every image exists; the images of the examples print startup lines into
 * their instances' logs, as the real programs would; a few commands the examples and the README use
 * answer like the real programs (e.g. {@code redis-cli ping} prints {@code PONG}). Everything else
 * follows the fake's built-ins ({@code hostname}, {@code echo}, {@code env}, {@code cat
 * /etc/hostname}, {@code sh -c "exit N"} …).
 *
 * <p>The program is the same for every project, so that commands run in separate processes (which
 * share the fake's state directory) see one consistent runtime. The dialect is SingularityCE 3.4,
 * the one the testkit matches against recorded outputs of SingularityCE 3.4.2.
 */
final class FakeProgram {

  /** The emulated host name. */
  static final String HOST_NAME = "scompose-fake";

  private FakeProgram() {}

  static String userName() {
    return System.getProperty("user.name", "user");
  }

  static FakeRuntime.Builder program(FakeRuntime.Builder b) {
    b.dialect(FakeDialect.SINGULARITY_CE_3_4)
        .hostName(HOST_NAME)
        .userName(userName())
        .anyImageExists();
    for (String uri : List.of("docker://redis:7.2-alpine", "docker://redis:7-alpine")) {
      b.image(
          image(uri)
              .putEnvironment("REDIS_VERSION", "7.2.5")
              .addStartscriptStdout(
                  "1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                  "1:C 01 Jan 2026 00:00:00.000 * Redis version=7.2.5, bits=64, commit=00000000,"
                      + " modified=0, pid=1, just started",
                  "1:M 01 Jan 2026 00:00:00.001 * Running mode=standalone, port=6379.",
                  "1:M 01 Jan 2026 00:00:00.002 * Server initialized",
                  "1:M 01 Jan 2026 00:00:00.002 * Ready to accept connections tcp")
              .build());
    }
    for (String uri : List.of("docker://python:3.12-slim", "docker://python:3.12-alpine")) {
      b.image(
          image(uri)
              .putEnvironment("PYTHON_VERSION", "3.12.7")
              .addStartscriptStdout(
                  "Python 3.12.7 startscript: instance up", "listening on 0.0.0.0:8000")
              .build());
    }
    b.image(
        image("docker://nginx:1.27-alpine")
            .putEnvironment("NGINX_VERSION", "1.27.3")
            .addStartscriptStdout(
                "/docker-entrypoint.sh: Configuration complete; ready for start up")
            .addStartscriptStderr(
                "2026/01/01 00:00:00 [notice] 1#1: using the \"epoll\" event method",
                "2026/01/01 00:00:00 [notice] 1#1: nginx/1.27.3",
                "2026/01/01 00:00:00 [notice] 1#1: start worker processes")
            .build());
    b.respondToExec("*", List.of("redis-cli", "ping"), ScriptedResponse.ok("PONG"));
    b.respondToExec(
        "*", List.of("redis-cli", "info", "server"), ScriptedResponse.ok("redis_version:7.2.5"));
    b.respondToExecPrefix("*", List.of("redis-cli", "incr"), ScriptedResponse.ok("1"));
    b.respondToExec("*", List.of("python", "--version"), ScriptedResponse.ok("Python 3.12.7"));
    b.respondToExec("*", List.of("python3", "--version"), ScriptedResponse.ok("Python 3.12.7"));
    b.respondToExec(
        "*",
        List.of("nginx", "-t"),
        ScriptedResponse.of(
            0,
            "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                + "nginx: configuration file /etc/nginx/nginx.conf test is successful\n"));
    b.respondToExec(
        "*", List.of("nginx", "-v"), ScriptedResponse.ok("nginx version: nginx/1.27.3"));
    b.respondToExecPrefix(
        "*",
        List.of("wget", "-qO-", "http://app:8000/"),
        ScriptedResponse.ok("hello from the app instance (app)"));
    b.respondToExecPrefix(
        "*",
        List.of("wget", "-qO-", "http://localhost:8000"),
        ScriptedResponse.ok("Hello from scompose! I have been seen 1 times."));
    return b;
  }

  private static FakeImage.Builder image(String uri) {
    return FakeImage.builder().from(FakeImage.of(uri));
  }
}
