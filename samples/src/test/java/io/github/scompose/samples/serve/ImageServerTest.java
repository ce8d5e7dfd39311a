package io.github.scompose.samples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API and pages of {@link ImageServer}, every status code, on the fake runtime. */
class ImageServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private ServeFixture fixture;
  private ImageServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private URI start(int maxParallel, Duration runTimeout, String token) throws IOException {
    fixture = new ServeFixture(temp);
    ImageServer.Builder b =
        ImageServer.builder().catalog(fixture.catalog(maxParallel, runTimeout)).port(0);
    if (token != null) {
      b.token(token);
    }
    server = b.build().start();
    return server.uri();
  }

  private URI start() throws IOException {
    return start(2, Duration.ofSeconds(30), null);
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path.substring(1))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postJson(URI base, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path.substring(1)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "JSON answer");
    return JSON.readTree(r.body());
  }

  @Test
  void listsTheImagesOfTheFolderOnly() throws Exception {
    URI base = start();
    HttpResponse<String> r = get(base, "/api/images");
    assertEquals(200, r.statusCode());
    List<String> names = new ArrayList<>();
    json(r).get("images").forEach(i -> names.add(i.get("name").asText()));
    assertEquals(
        List.of("gate.sif", "hello-name.sif", "old.simg", "plain.sif", "sandbox1", "slow.sif"),
        names);
    JsonNode hello = json(r).get("images").get(1);
    assertEquals(7, hello.get("labelCount").asInt());
    assertEquals(Files.size(fixture.folder.resolve("hello-name.sif")), hello.get("size").asLong());
    assertTrue(json(r).get("images").get(4).get("sandbox").asBoolean());
  }

  @Test
  void rescansWhenTheFolderChanges() throws Exception {
    URI base = start();
    assertFalse(get(base, "/api/images").body().contains("new.sif"));
    Files.writeString(fixture.folder.resolve("new.sif"), "new\n");
    assertTrue(get(base, "/api/images").body().contains("\"new.sif\""));
    assertEquals(200, get(base, "/api/images/new.sif").statusCode());
    Files.delete(fixture.folder.resolve("new.sif"));
    assertEquals(404, get(base, "/api/images/new.sif").statusCode());
  }

  @Test
  void describesAnImageWithTypedArgumentsAndMaskedSecrets() throws Exception {
    URI base = start();
    HttpResponse<String> r = get(base, "/api/images/hello-name.sif");
    assertEquals(200, r.statusCode());
    JsonNode image = json(r);
    assertEquals(
        "[{\"name\":\"name\",\"type\":\"str\"},{\"name\":\"age\",\"type\":\"int\"},"
            + "{\"name\":\"weight\",\"type\":\"float\"},{\"name\":\"is_dino\",\"type\":\"bool\"}]",
        image.get("arguments").toString());
    assertEquals(ServeFixture.HELLO_RUNSCRIPT, image.get("runscript").asText());
    assertEquals("***", image.get("labels").get("API_TOKEN").asText());
    assertEquals("age", image.get("labels").get("SINGULARITY_RUNSCRIPT_ARG_INT").asText());
    assertFalse(r.body().contains(ServeFixture.SECRET));

    HttpResponse<String> labels = get(base, "/api/images/hello-name.sif/labels");
    assertEquals(200, labels.statusCode());
    assertEquals("3.4.2", json(labels).get("org.label-schema.usage.singularity.version").asText());
    assertFalse(labels.body().contains(ServeFixture.SECRET));

    HttpResponse<String> page = get(base, "/images/hello-name.sif");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<td>API_TOKEN</td><td>***</td>"), page.body());
    assertFalse(page.body().contains(ServeFixture.SECRET));
    assertTrue(page.body().contains("type=\"number\" step=\"1\" id=\"arg-age\" name=\"age\""));
    assertTrue(page.body().contains("type=\"checkbox\" value=\"true\" id=\"arg-is_dino\""));
  }

  @Test
  void getOfRunShowsUsageAndRunsNothing() throws Exception {
    URI base = start();
    int before = ServeFixture.HELLO_RUNS.get();
    HttpResponse<String> r = get(base, "/api/images/hello-name.sif/run");
    assertEquals(200, r.statusCode());
    assertTrue(json(r).get("usage").asText().startsWith("POST /api/images/hello-name.sif/run"));
    assertEquals(10, json(r).get("example").get("age").asInt());
    assertEquals(before, ServeFixture.HELLO_RUNS.get());
  }

  @Test
  void postRunsWithTypedArgumentsAndListsTheIgnoredOnes() throws Exception {
    URI base = start();
    HttpResponse<String> r =
        postJson(
            base,
            "/api/images/hello-name.sif/run",
            "{\"name\": \"Vanessa\", \"age\": 10, \"weight\": \"10000\", \"is_dino\": true,"
                + " \"colour\": \"red\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode run = json(r);
    assertEquals(0, run.get("exitCode").asInt());
    assertEquals("json", run.get("outputFormat").asText());
    assertEquals(
        "{\"name\":\"hello Vanessa!\",\"age\":10,\"weight\":10000,"
            + "\"species\":\"You are a dinosaur! :D\"}",
        run.get("output").toString());
    assertEquals(
        "[\"--name\",\"Vanessa\",\"--age\",\"10\",\"--weight\",\"10000\",\"--is_dino\"]",
        run.get("arguments").toString());
    assertEquals("[\"colour\"]", run.get("ignored").toString());
    assertTrue(run.get("durationMs").asLong() >= 0);
    assertEquals("", run.get("stderr").asText());
  }

  @Test
  void postTakesAFormAndStripsStringsToOneWord() throws Exception {
    URI base = start();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "api/images/hello-name.sif/run"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=two+words%3B+rm+-rf&is_dino=no"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        "[\"--name\",\"twowordsrm-rf\",\"--is_dino\"]", json(r).get("arguments").toString());
    assertEquals("hello twowordsrm-rf!", json(r).get("output").get("name").asText());
  }

  @Test
  void noArgumentsRunsTheRunscriptBare() throws Exception {
    URI base = start();
    HttpResponse<String> r = postJson(base, "/api/images/hello-name.sif/run", "");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        "Ruhroh! You did not give any input arguments!",
        json(r).get("output").get("message").asText());
  }

  @Test
  void wrongTypesAre400NamingArgumentAndTypeAndNothingRuns() throws Exception {
    URI base = start();
    int before = ServeFixture.HELLO_RUNS.get();
    HttpResponse<String> r =
        postJson(
            base,
            "/api/images/hello-name.sif/run",
            "{\"age\": \"ten\", \"weight\": \"heavy\", \"name\": {\"a\": 1}, \"x\": 1}");
    assertEquals(400, r.statusCode());
    JsonNode e = json(r);
    List<String> messages = new ArrayList<>();
    e.get("problems")
        .forEach(p -> messages.add(p.get("argument").asText() + ":" + p.get("expected").asText()));
    assertEquals(List.of("age:int", "weight:float", "name:str"), messages);
    assertTrue(
        e.get("problems").get(0).get("message").asText().contains("age must be of type int"));
    assertFalse(r.body().contains("ten"), "the value is not quoted back");
    assertEquals("[\"x\"]", e.get("ignored").toString());
    assertEquals(before, ServeFixture.HELLO_RUNS.get());

    assertEquals(400, postJson(base, "/api/images/hello-name.sif/run", "[1, 2]").statusCode());
    assertEquals(400, postJson(base, "/api/images/hello-name.sif/run", "{nope").statusCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/images/nosuch.sif",
        "/api/images/..",
        "/api/images/%2e%2e",
        "/api/images/%2E%2E/images",
        "/api/images/..%2foutside.sif",
        "/api/images/%2e%2e%2foutside.sif",
        "/api/images/images%2fhello-name.sif",
        "/api/images/notes.txt",
        "/api/images/.hidden.sif",
        "/api/images/just-a-folder",
        "/api/images/hello-name.sif/nosuch",
        "/api/images/hello-name.sif/run/x",
        "/api/nosuch",
        "/images/..%2Foutside.sif",
        "/static/..%2Fserve.css"
      })
  void anythingButAListedImageIs404(String path) throws Exception {
    URI base = start();
    HttpResponse<String> r = get(base, path);
    assertEquals(404, r.statusCode(), path);
    assertFalse(r.body().contains("outside"), "nothing of the path is echoed");
    HttpResponse<String> post = postJson(base, path + "/run", "{}");
    assertEquals(404, post.statusCode(), path + "/run");
  }

  @Test
  void rawDotDotPathsAre404() throws Exception {
    URI base = start();
    for (String path :
        List.of("/api/images/../../outside.sif", "/images/../outside.sif", "/api/images/./..")) {
      assertEquals(404, rawStatus(base, "GET", path, "127.0.0.1:" + base.getPort(), ""), path);
    }
  }

  @Test
  void bodiesOver64KiBAre413() throws Exception {
    URI base = start();
    String big = "{\"name\": \"" + "a".repeat(ImageServer.MAX_BODY_BYTES) + "\"}";
    assertEquals(413, postJson(base, "/api/images/hello-name.sif/run", big).statusCode());
    // without Content-Length (chunked): counted while read
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "api/images/hello-name.sif/run"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(413, chunked.statusCode());
    String fits = "{\"name\": \"" + "a".repeat(200) + "\"}";
    assertEquals(200, postJson(base, "/api/images/hello-name.sif/run", fits).statusCode());
  }

  @Test
  void runsBeyondMaxParallelAre503WithRetryAfter() throws Exception {
    URI base = start(1, Duration.ofSeconds(30), null);
    CompletableFuture<HttpResponse<String>> first =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "api/images/gate.sif/run"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(ServeFixture.gateEntered.await(20, TimeUnit.SECONDS), "the first run started");
    HttpResponse<String> second = postJson(base, "/api/images/hello-name.sif/run", "{}");
    assertEquals(503, second.statusCode());
    assertEquals(
        String.valueOf(ImageServer.RETRY_AFTER_SECONDS),
        second.headers().firstValue("Retry-After").orElse(""));
    assertTrue(json(second).get("error").asText().contains("--max-parallel"));
    ServeFixture.gateRelease.countDown();
    assertEquals(200, first.get(20, TimeUnit.SECONDS).statusCode());
    assertEquals(200, postJson(base, "/api/images/hello-name.sif/run", "{}").statusCode());
  }

  @Test
  void aRunPastItsTimeoutIs504() throws Exception {
    URI base = start(2, Duration.ofMillis(300), null);
    HttpResponse<String> r = postJson(base, "/api/images/slow.sif/run", "{}");
    assertEquals(504, r.statusCode());
    assertTrue(json(r).get("error").asText().contains("timeout of 0.3 s"), r.body());
    // the slot is free again
    assertEquals(200, postJson(base, "/api/images/hello-name.sif/run", "{}").statusCode());
  }

  @Test
  void withATokenPostsNeedTheBearerAndGetsDoNot() throws Exception {
    String token = "tok-" + "x".repeat(20);
    URI base = start(2, Duration.ofSeconds(30), token);
    String path = "/api/images/hello-name.sif/run";
    HttpResponse<String> none = postJson(base, path, "{}");
    assertEquals(401, none.statusCode());
    assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(401, postJson(base, path, "{}", "Authorization", "Bearer wrong").statusCode());
    assertEquals(401, postJson(base, path, "{}", "Authorization", token).statusCode());
    assertFalse(none.body().contains(token));
    assertEquals(200, postJson(base, path, "{}", "Authorization", "Bearer " + token).statusCode());
    assertEquals(200, get(base, "/api/images/hello-name.sif").statusCode());
    assertTrue(get(base, "/images/hello-name.sif").body().contains("id=\"token\""));
  }

  @Test
  void otherMethodsAre405() throws Exception {
    URI base = start();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "api/images/hello-name.sif")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
    assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    assertEquals(405, postJson(base, "/api/images", "{}").statusCode());
  }

  @Test
  void foreignHostsAndOriginsAre403() throws Exception {
    URI base = start();
    assertEquals(403, rawStatus(base, "GET", "/", "evil.example:" + base.getPort(), ""));
    assertEquals(200, rawStatus(base, "GET", "/", "localhost:" + base.getPort(), ""));
    HttpResponse<String> r =
        postJson(base, "/api/images/hello-name.sif/run", "{}", "Origin", "http://evil.example");
    assertEquals(403, r.statusCode());
  }

  @Test
  void theHomePageListsImagesEscaped() throws Exception {
    URI base = start();
    Files.writeString(fixture.folder.resolve("x<b>y.sif"), "x\n");
    HttpResponse<String> r = get(base, "/");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(r.body().contains("<a class=\"image\" href=\"/images/hello-name.sif\">"));
    assertTrue(r.body().contains("x&lt;b&gt;y.sif"));
    assertFalse(r.body().contains("x<b>y"));
    assertTrue(r.body().contains("name (str), age (int), weight (float), is_dino (bool)"));
    assertEquals(200, get(base, "/images/x%3Cb%3Ey.sif").statusCode());
    assertTrue(get(base, "/static/serve.js").body().contains("fetch("));
  }

  /** Sends a raw HTTP/1.1 request (so that Host and the path go exactly as written). */
  private static int rawStatus(URI base, String method, String path, String host, String body)
      throws IOException {
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nConnection: close\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
