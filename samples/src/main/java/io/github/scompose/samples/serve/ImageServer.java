package io.github.scompose.samples.serve;

import static io.github.scompose.samples.serve.Replies.bytes;
import static io.github.scompose.samples.serve.Replies.error;
import static io.github.scompose.samples.serve.Replies.html;
import static io.github.scompose.samples.serve.Replies.jsonReply;
import static io.github.scompose.samples.serve.Replies.notAllowed;
import static io.github.scompose.samples.serve.Replies.notFound;
import static io.github.scompose.samples.serve.Replies.send;
import static io.github.scompose.samples.serve.Replies.staticFile;
import static io.github.scompose.samples.serve.Replies.withDetails;
import static io.github.scompose.samples.serve.Replies.words;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.scompose.core.client.SecretValues;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.samples.serve.Replies.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
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

  // This class binds, dispatches and answers the GET routes; RunRequests answers the POST, Replies
  // makes and sends the replies.

  /** Largest request body accepted, in bytes: 64 KiB. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

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
  private final RunRequests runs;

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
    this.runs = new RunRequests(catalog, token, json);
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
      return withDetails(catalog, image.get(), d -> html(pages.image(image.get(), d)));
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
      return runs.post(x, segments.get(2));
    }
    if (!get) {
      return notAllowed(run ? "GET, POST" : "GET");
    }
    Optional<ServedImage> image = catalog.find(segments.get(2));
    if (image.isEmpty()) {
      return notFound(segments.get(2));
    }
    if (size == 3) {
      return withDetails(catalog, image.get(), d -> jsonReply(200, describe(image.get(), d)));
    }
    if (tail.equals("labels")) {
      return withDetails(catalog, image.get(), d -> jsonReply(200, labels(d.labels())));
    }
    return withDetails(catalog, image.get(), d -> jsonReply(200, usage(image.get(), d)));
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
