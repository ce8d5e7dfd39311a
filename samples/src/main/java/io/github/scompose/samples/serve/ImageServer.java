package io.github.scompose.samples.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.scompose.core.client.SecretValues;
import io.github.scompose.core.errors.ImageNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scompose serve}: an {@link ImageCatalog} as web pages and a JSON API, on the JDK's {@code
 * com.sun.net.httpserver}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>Request</th><th>Answer</th></tr>
 *   <tr><td>{@code GET /}</td><td>home page: the images</td></tr>
 *   <tr><td>{@code GET /images/NAME}</td><td>image page: labels, typed form, Run</td></tr>
 *   <tr><td>{@code GET /api/images}</td><td>{@code {folder, images: [{name, size, modified,
 *       sandbox, labelCount}]}}</td></tr>
 *   <tr><td>{@code GET /api/images/NAME}</td><td>{@code {name, size, modified, sandbox, labels,
 *       arguments: [{name, type}], runscript}}</td></tr>
 *   <tr><td>{@code GET /api/images/NAME/labels}</td><td>the labels object</td></tr>
 *   <tr><td>{@code GET /api/images/NAME/run}</td><td>usage; nothing runs</td></tr>
 *   <tr><td>{@code POST /api/images/NAME/run}</td><td>runs; form or JSON body; {@code {image,
 *       exitCode, stdout, stderr, durationMs, output, outputFormat, arguments, ignored}}</td></tr>
 * </table>
 *
 * <p>Status codes: 400 a value not of its argument's type (each problem names the argument and the
 * expected type) or a body that cannot be read; 401 a POST without the right {@code Authorization:
 * Bearer TOKEN} when a token is set; 403 a request whose {@code Host} is not this loopback server's
 * (DNS rebinding) or whose {@code Origin} is another site's; 404 anything that is not exactly a
 * listed image ({@code ..}, {@code /} and their encoded forms included) or route; 405 another
 * method; 413 a body over {@link #MAX_BODY_BYTES}; 502 the binary failed; 503 {@code maxParallel}
 * runs already going, with {@code Retry-After}; 504 a run past its timeout, killed.
 *
 * <p>Security: binds {@link Builder#DEFAULT_HOST} unless told otherwise; the token is compared in
 * constant time ({@link MessageDigest#isEqual}) and never logged or shown; values reach the binary
 * only as checked argv words ({@link RunscriptArguments#check}); labels whose names look secret
 * ({@link SecretValues#looksSecret}) are shown as {@code ***}, and the runscript text is masked by
 * {@link SecretValues#maskText}. Requests are logged (method, path, status, time) at DEBUG without
 * query strings, bodies or headers.
 */
public final class ImageServer implements AutoCloseable {

  /** Largest request body accepted, in bytes: 64 KiB. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Most bytes of a too large body read and dropped before the 413: 4 MiB. */
  private static final long MAX_DRAINED_BYTES = 4L << 20;

  /** The {@code Retry-After} of a 503, in seconds. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(ImageServer.class);

  private final ImageCatalog catalog;
  private final Optional<byte[]> token;
  private final HttpServer server;
  private final ExecutorService executor;
  private final boolean loopback;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Pages pages;

  private ImageServer(Builder b) throws IOException {
    this.catalog = Objects.requireNonNull(b.catalog, "catalog");
    this.token = b.token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    InetAddress address = InetAddress.getByName(b.host);
    this.loopback = address.isLoopbackAddress();
    this.server = HttpServer.create(new InetSocketAddress(address, b.port), 64);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "scompose-serve-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // runs beyond maxParallel must still be answered (503), so there are more threads than runs
    this.executor = Executors.newFixedThreadPool(catalog.maxParallel() + 8, threads);
    this.server.setExecutor(executor);
    this.server.createContext("/", this::handle);
    this.pages = new Pages(token.isPresent());
  }

  /** A builder; {@link Builder#catalog} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts answering; returns at once. */
  public ImageServer start() {
    server.start();
    return this;
  }

  /** The address answered, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** The catalog served. */
  public ImageCatalog catalog() {
    return catalog;
  }

  /** Stops answering at once (requests in flight are cut) and ends its threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- dispatch -------------------------------------------------------------------------------

  private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {}

  private void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    Reply reply;
    try {
      reply = route(exchange);
    } catch (RuntimeException e) {
      LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), path(exchange), words(e));
      reply = error(500, "the server failed: " + words(e));
    }
    try (exchange) {
      send(exchange, reply);
    } catch (IOException e) {
      LOG.debug("client went away: {}", e.getMessage());
    }
    LOG.debug(
        "{} {} -> {} ({} ms)",
        exchange.getRequestMethod(),
        path(exchange),
        reply.status(),
        (System.nanoTime() - start) / 1_000_000);
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  private Reply route(HttpExchange x) {
    String method = x.getRequestMethod().toUpperCase(Locale.ROOT);
    if (!hostAllowed(x)) {
      return error(403, "this server answers only to its own loopback address");
    }
    List<String> segments = segments(path(x));
    if (segments == null) {
      return error(404, "no such page");
    }
    int size = segments.size();
    boolean get = method.equals("GET");
    if (size == 0) {
      return get ? html(pages.home(catalog)) : notAllowed("GET");
    }
    String first = segments.get(0);
    if (first.equals("static") && size == 2) {
      return get ? staticFile(segments.get(1)) : notAllowed("GET");
    }
    if (first.equals("images") && size == 2) {
      if (!get) {
        return notAllowed("GET");
      }
      Optional<ServedImage> image = catalog.find(segments.get(1));
      if (image.isEmpty()) {
        return new Reply(404, "text/html; charset=utf-8", bytes(pages.notFound()), Map.of());
      }
      return withDetails(image.get(), d -> html(pages.image(image.get(), d)));
    }
    if (!first.equals("api") || size < 2 || !segments.get(1).equals("images")) {
      return error(404, "no such page");
    }
    if (size == 2) {
      return get ? list() : notAllowed("GET");
    }
    if (size > 4) {
      return error(404, "no such page");
    }
    String tail = size == 4 ? segments.get(3) : "";
    boolean run = tail.equals("run");
    if (size == 4 && !run && !tail.equals("labels")) {
      return error(404, "no such page");
    }
    if (run && method.equals("POST")) {
      return post(x, segments.get(2));
    }
    if (!get) {
      return notAllowed(run ? "GET, POST" : "GET");
    }
    Optional<ServedImage> image = catalog.find(segments.get(2));
    if (image.isEmpty()) {
      return notFound(segments.get(2));
    }
    if (size == 3) {
      return withDetails(image.get(), d -> jsonReply(200, describe(image.get(), d)));
    }
    if (tail.equals("labels")) {
      return withDetails(image.get(), d -> jsonReply(200, labels(d.labels())));
    }
    return withDetails(image.get(), d -> jsonReply(200, usage(image.get(), d)));
  }

  /**
   * The decoded path segments (empty ones dropped), or null when a segment cannot be decoded.
   * Decoding happens after splitting, so {@code %2F} stays inside its segment (and then names no
   * image).
   */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (raw.isEmpty()) {
        continue;
      }
      try {
        out.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  private boolean hostAllowed(HttpExchange x) {
    if (!loopback) {
      return true;
    }
    String host = x.getRequestHeaders().getFirst("Host");
    if (host == null) {
      return true; // HTTP/1.0 without Host: no browser sends that
    }
    int port = server.getAddress().getPort();
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("127.0.0.1:" + port)
        || h.equals("localhost:" + port)
        || h.equals("[::1]:" + port)
        || h.equals(server.getAddress().getAddress().getHostAddress() + ":" + port);
  }

  private interface DetailsView {
    Reply render(ImageCatalog.ImageDetails details);
  }

  private Reply withDetails(ServedImage image, DetailsView view) {
    try {
      return view.render(catalog.details(image));
    } catch (ImageNotFoundException e) {
      return notFound(image.name());
    } catch (SingularityException e) {
      LOG.warn("inspect of {} failed: {}", image.name(), words(e));
      return error(502, "the binary could not inspect " + image.name() + ": " + words(e));
    }
  }

  // ---- API ------------------------------------------------------------------------------------

  private Reply list() {
    ObjectNode root = json.createObjectNode();
    root.put("folder", catalog.folder().folder().toString());
    ArrayNode images = root.putArray("images");
    for (ServedImage image : catalog.images()) {
      ObjectNode i = summary(image);
      try {
        i.put("labelCount", catalog.details(image).labels().size());
      } catch (SingularityException e) {
        i.putNull("labelCount");
        i.put("error", "the binary could not inspect it: " + words(e));
      }
      images.add(i);
    }
    return jsonReply(200, root);
  }

  private ObjectNode summary(ServedImage image) {
    ObjectNode i = json.createObjectNode();
    i.put("name", image.name());
    i.put("size", image.sizeBytes());
    i.put("modified", image.modified().toString());
    i.put("sandbox", image.sandbox());
    return i;
  }

  private ObjectNode describe(ServedImage image, ImageCatalog.ImageDetails d) {
    ObjectNode i = summary(image);
    i.set("labels", labels(d.labels()));
    i.set("arguments", arguments(d.arguments()));
    i.put("runscript", SecretValues.maskText(d.runscript()));
    return i;
  }

  private ObjectNode labels(Map<String, String> labels) {
    ObjectNode o = json.createObjectNode();
    new TreeMap<>(labels).forEach((k, v) -> o.put(k, SecretValues.shown(k, v)));
    return o;
  }

  private ArrayNode arguments(RunscriptArguments arguments) {
    ArrayNode a = json.createArrayNode();
    for (RunscriptArgument arg : arguments.declared()) {
      a.addObject().put("name", arg.name()).put("type", arg.type().jsonName());
    }
    return a;
  }

  private ObjectNode usage(ServedImage image, ImageCatalog.ImageDetails d) {
    ObjectNode u = json.createObjectNode();
    u.put("image", image.name());
    u.put(
        "usage",
        "POST /api/images/"
            + image.name()
            + "/run with a form (application/x-www-form-urlencoded) or JSON object body of"
            + " argument names to values"
            + (token.isPresent() ? ", and the header Authorization: Bearer TOKEN" : "")
            + "; a bool argument is passed as a bare flag when given, whatever its value;"
            + " undeclared names are ignored. This GET runs nothing.");
    u.set("arguments", arguments(d.arguments()));
    ObjectNode example = u.putObject("example");
    for (RunscriptArgument a : d.arguments().declared()) {
      switch (a.type()) {
        case STR -> example.put(a.name(), "word");
        case INT -> example.put(a.name(), 10);
        case FLOAT -> example.put(a.name(), 1.5);
        case BOOL -> example.put(a.name(), true);
      }
    }
    u.put("timeoutSeconds", catalog.runTimeout().toMillis() / 1000.0);
    return u;
  }

  private Reply post(HttpExchange x, String name) {
    if (!originAllowed(x)) {
      return error(403, "a run may be asked for only from this server's own pages");
    }
    if (token.isPresent() && !authorized(x)) {
      Reply r = error(401, "this server needs Authorization: Bearer TOKEN to run images");
      return withHeader(r, "WWW-Authenticate", "Bearer");
    }
    String length = x.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
          return tooLarge(x);
        }
      } catch (NumberFormatException e) {
        return error(400, "the Content-Length header is not a number");
      }
    }
    byte[] body;
    try {
      body = readBody(x.getRequestBody());
    } catch (IOException e) {
      return error(400, "the request body could not be read");
    }
    if (body == null) {
      return tooLarge(x);
    }
    Optional<ServedImage> image = catalog.find(name);
    if (image.isEmpty()) {
      return notFound(name);
    }
    Map<String, List<String>> given = new LinkedHashMap<>();
    List<String> structured = new ArrayList<>();
    String type = Optional.ofNullable(x.getRequestHeaders().getFirst("Content-Type")).orElse("");
    if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      String problem = readJson(body, given, structured);
      if (problem != null) {
        return error(400, problem);
      }
    } else {
      readForm(new String(body, StandardCharsets.UTF_8), given);
    }
    return withDetails(image.get(), d -> run(image.get(), d, given, structured));
  }

  private Reply run(
      ServedImage image,
      ImageCatalog.ImageDetails d,
      Map<String, List<String>> given,
      List<String> structured) {
    CheckedArguments checked = d.arguments().check(given);
    List<ArgumentProblem> problems = new ArrayList<>(checked.problems());
    for (String name : structured) {
      d.arguments()
          .argument(name)
          .ifPresent(
              a ->
                  problems.add(
                      ArgumentProblem.builder()
                          .argument(name)
                          .expected(a.type().jsonName())
                          .message(
                              name
                                  + " must be of type "
                                  + a.type().jsonName()
                                  + ": "
                                  + a.type().expected()
                                  + ", not a JSON object or array of objects")
                          .build()));
    }
    if (!problems.isEmpty()) {
      ObjectNode e = errorBody(400, "arguments are not of their declared types");
      ArrayNode p = e.putArray("problems");
      problems.forEach(
          q ->
              p.addObject()
                  .put("argument", q.argument())
                  .put("expected", q.expected())
                  .put("message", q.message()));
      ignored(e, checked);
      return jsonReply(400, e);
    }
    ImageCatalog.RunOutcome outcome;
    try {
      outcome = catalog.run(image, checked);
    } catch (ImageNotFoundException e) {
      return notFound(image.name());
    } catch (SingularityException e) {
      LOG.warn("run of {} failed: {}", image.name(), words(e));
      return error(502, "the binary could not run " + image.name() + ": " + words(e));
    }
    if (outcome instanceof ImageCatalog.Busy busy) {
      Reply r =
          error(
              503,
              (busy.maxParallel() == 1 ? "1 run is" : busy.maxParallel() + " runs are")
                  + " going, the most this server runs at once (--max-parallel); try again"
                  + " shortly");
      return withHeader(r, "Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }
    if (outcome instanceof ImageCatalog.TimedOut t) {
      LOG.warn(
          "run of {} passed its timeout of {} and was killed", image.name(), seconds(t.timeout()));
      ObjectNode e =
          errorBody(
              504,
              "the run passed its timeout of "
                  + seconds(t.timeout())
                  + " (--run-timeout) and was killed");
      ignored(e, checked);
      return jsonReply(504, e);
    }
    ImageCatalog.Finished f = (ImageCatalog.Finished) outcome;
    ObjectNode r = json.createObjectNode();
    r.put("image", image.name());
    r.put("exitCode", f.result().exitCode());
    r.put("stdout", f.result().stdout());
    r.put("stderr", f.result().stderr());
    r.put("durationMs", f.result().duration().toMillis());
    Optional<JsonNode> parsed = parseOutput(f.result().stdout());
    if (parsed.isPresent()) {
      r.set("output", parsed.get());
      r.put("outputFormat", "json");
    } else {
      r.put("output", f.result().stdout());
      r.put("outputFormat", "text");
    }
    if (f.truncated()) {
      r.put("truncated", true);
    }
    ArrayNode argv = r.putArray("arguments");
    checked.argv().forEach(argv::add);
    ignored(r, checked);
    return jsonReply(200, r);
  }

  private static void ignored(ObjectNode node, CheckedArguments checked) {
    ArrayNode ignored = node.putArray("ignored");
    checked.ignored().forEach(ignored::add);
  }

  private Optional<JsonNode> parseOutput(String stdout) {
    String s = stdout.strip();
    if (!(s.startsWith("{") || s.startsWith("["))) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readTree(s));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private String readJson(byte[] body, Map<String, List<String>> given, List<String> structured) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      return "the body is not valid JSON";
    }
    if (root == null || root.isMissingNode()) {
      return null; // empty body: no arguments
    }
    if (!root.isObject()) {
      return "the JSON body must be an object of argument names to values";
    }
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue();
      if (v.isNull()) {
        continue;
      }
      if (v.isArray()) {
        List<String> values = new ArrayList<>();
        for (JsonNode e : v) {
          if (e.isContainerNode()) {
            structured.add(f.getKey());
          } else if (!e.isNull()) {
            values.add(e.asText());
          }
        }
        if (!values.isEmpty()) {
          given.put(f.getKey(), values);
        } else if (!structured.contains(f.getKey())) {
          given.put(f.getKey(), List.of());
        }
      } else if (v.isObject()) {
        structured.add(f.getKey());
        given.putIfAbsent(f.getKey(), List.of());
      } else {
        given.put(f.getKey(), List.of(v.asText()));
      }
    }
    return null;
  }

  private static void readForm(String body, Map<String, List<String>> given) {
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        continue;
      }
      List<String> values = given.computeIfAbsent(name, k -> new ArrayList<>());
      if (!value.isEmpty()) {
        values.add(value);
      }
    }
  }

  /** The body, or null when it is longer than {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      if (out.size() > MAX_BODY_BYTES) {
        return null;
      }
    }
    return out.toByteArray();
  }

  private boolean authorized(HttpExchange x) {
    String header = x.getRequestHeaders().getFirst("Authorization");
    byte[] given =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    return MessageDigest.isEqual(given, token.orElseThrow());
  }

  private boolean originAllowed(HttpExchange x) {
    String origin = x.getRequestHeaders().getFirst("Origin");
    String host = x.getRequestHeaders().getFirst("Host");
    return origin == null || host != null && origin.equalsIgnoreCase("http://" + host);
  }

  // ---- replies --------------------------------------------------------------------------------

  /**
   * 413, after reading (and dropping) up to {@link #MAX_DRAINED_BYTES} more of the body: a client
   * still sending when the connection closes would miss the answer. A longer body is cut off.
   */
  private Reply tooLarge(HttpExchange x) {
    try {
      InputStream in = x.getRequestBody();
      byte[] buffer = new byte[8192];
      long drained = 0;
      int n;
      while (drained < MAX_DRAINED_BYTES && (n = in.read(buffer)) > 0) {
        drained += n;
      }
    } catch (IOException e) {
      LOG.debug("client stopped sending: {}", e.getMessage());
    }
    return error(413, "the request body is over " + MAX_BODY_BYTES / 1024 + " KiB");
  }

  private Reply notFound(String name) {
    return error(404, "no image of that name is in the served folder");
  }

  private Reply notAllowed(String allow) {
    return withHeader(error(405, "use " + allow + " here"), "Allow", allow);
  }

  private ObjectNode errorBody(int status, String message) {
    ObjectNode e = json.createObjectNode();
    e.put("status", status);
    e.put("error", message);
    return e;
  }

  private Reply error(int status, String message) {
    return jsonReply(status, errorBody(status, message));
  }

  private Reply jsonReply(int status, JsonNode node) {
    try {
      return new Reply(
          status,
          "application/json; charset=utf-8",
          (json.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8),
          Map.of());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reply html(String page) {
    return new Reply(200, "text/html; charset=utf-8", bytes(page), Map.of());
  }

  private static Reply withHeader(Reply r, String name, String value) {
    Map<String, String> headers = new LinkedHashMap<>(r.headers());
    headers.put(name, value);
    return new Reply(r.status(), r.contentType(), r.body(), headers);
  }

  private Reply staticFile(String name) {
    String type =
        switch (name) {
          case "serve.css" -> "text/css; charset=utf-8";
          case "serve.js" -> "text/javascript; charset=utf-8";
          default -> null;
        };
    if (type == null) {
      return error(404, "no such page");
    }
    try (InputStream in = ImageServer.class.getResourceAsStream("/serve/" + name)) {
      if (in == null) {
        return error(404, "no such page");
      }
      return new Reply(200, type, in.readAllBytes(), Map.of("Cache-Control", "no-cache"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange x, Reply reply) throws IOException {
    var h = x.getResponseHeaders();
    h.set("Content-Type", reply.contentType());
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    reply.headers().forEach(h::set);
    x.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    if (reply.body().length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
  }

  /** An error in words, secrets masked; never a bare exception text. */
  private static String words(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank()
        ? "an unexpected " + e.getClass().getSimpleName()
        : SecretValues.maskText(m);
  }

  /** Settings of an {@link ImageServer}. Not thread-safe. */
  public static final class Builder {

    /** The default address: {@value}, this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The default port: {@value}. */
    public static final int DEFAULT_PORT = 8080;

    private ImageCatalog catalog;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Optional<String> token = Optional.empty();

    private Builder() {}

    /** The images served (required). */
    public Builder catalog(ImageCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** The address to bind; default {@link #DEFAULT_HOST}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port, 0 for any free one; default {@link #DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not 0..65535");
      }
      this.port = port;
      return this;
    }

    /**
     * The token a POST must carry as {@code Authorization: Bearer TOKEN}; default none (POSTs need
     * no token). Surrounding white space is removed.
     *
     * @throws IllegalArgumentException when it is empty
     */
    public Builder token(String token) {
      String t = token.strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("the token is empty");
      }
      this.token = Optional.of(t);
      return this;
    }

    /**
     * The server, bound but not yet started ({@link ImageServer#start}).
     *
     * @throws UncheckedIOException when the address cannot be bound (e.g. the port is taken)
     */
    public ImageServer build() {
      try {
        return new ImageServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
      }
    }
  }
}
