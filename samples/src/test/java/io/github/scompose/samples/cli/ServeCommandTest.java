package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.testkit.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scompose serve} as a user runs it: the CLI's runtime choice, options, usage errors. */
class ServeCommandTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void fakeState() {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
  }

  @AfterEach
  void clear() {
    ServeCommand.onStarted = null;
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    FakeRuntime.builder().stateDirectory(temp.resolve("fake")).build().close();
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ScomposeCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void servesTheFolderOnTheChosenRuntimeUntilStopped() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("images"));
    Files.writeString(folder.resolve("a.sif"), "fake\n");
    Path tokenFile = temp.resolve("token");
    Files.writeString(tokenFile, "very-secret-token\n");
    AtomicReference<String> body = new AtomicReference<>();
    AtomicReference<Integer> unauthorized = new AtomicReference<>();
    ServeCommand.onStarted =
        started -> {
          try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = started.server().uri();
            body.set(
                http.send(
                        HttpRequest.newBuilder(base.resolve("/api/images")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
            unauthorized.set(
                http.send(
                        HttpRequest.newBuilder(base.resolve("/api/images/a.sif/run"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode());
          } catch (Exception e) {
            body.set("failed: " + e.getMessage());
          } finally {
            started.stop().countDown();
          }
        };
    Run r =
        CompletableFuture.supplyAsync(
                () ->
                    run(
                        "--runtime",
                        "fake",
                        "serve",
                        "--port",
                        "0",
                        "--token-file",
                        tokenFile.toString(),
                        "--max-parallel",
                        "2",
                        "--run-timeout",
                        "5s",
                        folder.toString()))
            .get(60, TimeUnit.SECONDS);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("scompose serve: http://127.0.0.1:"), r.out());
    assertTrue(r.out().contains("1 image in " + folder.toRealPath()), r.out());
    assertTrue(r.out().contains("(embedded fake runtime)"), r.out());
    assertTrue(body.get().contains("\"name\" : \"a.sif\""), body.get());
    assertEquals(401, unauthorized.get());
    assertFalse((r.out() + r.err()).contains("very-secret-token"));
  }

  @Test
  void badOptionsAreUsageErrors() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("images"));
    Path empty = Files.writeString(temp.resolve("empty-token"), "\n");
    Run missing = run("--runtime", "fake", "serve", temp.resolve("nosuch").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("is not a readable folder"), missing.err());
    Run token = run("--runtime", "fake", "serve", "--token-file", empty.toString(), folder + "");
    assertEquals(2, token.code());
    assertTrue(token.err().contains("is empty"), token.err());
    Run noToken =
        run(
            "--runtime",
            "fake",
            "serve",
            "--token-file",
            temp.resolve("x").toString(),
            folder + "");
    assertEquals(2, noToken.code());
    assertTrue(noToken.err().contains("cannot read the token file"), noToken.err());
    assertEquals(2, run("--runtime", "fake", "serve", "--max-parallel", "0", folder + "").code());
    Run timeout = run("--runtime", "fake", "serve", "--run-timeout", "soon", folder + "");
    assertEquals(2, timeout.code());
    assertTrue(timeout.err().contains("is not a duration"), timeout.err());
  }
}
