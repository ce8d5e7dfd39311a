package io.github.scompose.samples.serve;

import static io.github.scompose.samples.serve.ImageServer.MAX_BODY_BYTES;
import static io.github.scompose.samples.serve.ImageServer.RETRY_AFTER_SECONDS;
import static io.github.scompose.samples.serve.Replies.error;
import static io.github.scompose.samples.serve.Replies.errorBody;
import static io.github.scompose.samples.serve.Replies.jsonReply;
import static io.github.scompose.samples.serve.Replies.notFound;
import static io.github.scompose.samples.serve.Replies.withDetails;
import static io.github.scompose.samples.serve.Replies.withHeader;
import static io.github.scompose.samples.serve.Replies.words;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.scompose.core.errors.ImageNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.samples.serve.Replies.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/images/NAME/run} of an {@link ImageServer}: the origin and token checks, the
 * body (a form or a JSON object, at most {@link ImageServer#MAX_BODY_BYTES}), the arguments checked
 * against the image's declared types, the run through the {@link ImageCatalog}, and its JSON answer
 * (see {@link ImageServer} for the shapes and status codes).
 */
final class RunRequests {

  /** Most bytes of a too large body read and dropped before the 413: 4 MiB. */
  private static final long MAX_DRAINED_BYTES = 4L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(ImageServer.class);

  private final ImageCatalog catalog;
  private final Optional<byte[]> token;
  private final ObjectMapper json;

  RunRequests(ImageCatalog catalog, Optional<byte[]> token, ObjectMapper json) {
    this.catalog = catalog;
    this.token = token;
    this.json = json;
  }

  Reply post(HttpExchange x, String name) {
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
    return withDetails(catalog, image.get(), d -> run(image.get(), d, given, structured));
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

  /** The body, or null when it is longer than {@link ImageServer#MAX_BODY_BYTES}. */
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

  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
  }
}
