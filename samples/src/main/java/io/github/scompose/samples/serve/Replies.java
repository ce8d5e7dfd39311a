package io.github.scompose.samples.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.scompose.core.client.SecretValues;
import io.github.scompose.core.errors.ImageNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replies of an {@link ImageServer}: JSON errors ({@code {status, error}}), JSON and HTML
 * pages, the static files, headers, and sending one with the security headers every answer carries.
 * Errors are put in words with secrets masked, never as a bare exception text.
 */
final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(ImageServer.class);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Replies() {}

  /** One answer: status, content type, body and extra headers. */
  record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {}

  /** A reply made from an image's details (its inspect). */
  interface DetailsView {
    Reply render(ImageCatalog.ImageDetails details);
  }

  /**
   * The reply {@code view} makes of {@code image}'s details; 404 when the image is gone, 502 when
   * the binary cannot inspect it.
   */
  static Reply withDetails(ImageCatalog catalog, ServedImage image, DetailsView view) {
    try {
      return view.render(catalog.details(image));
    } catch (ImageNotFoundException e) {
      return notFound(image.name());
    } catch (SingularityException e) {
      LOG.warn("inspect of {} failed: {}", image.name(), words(e));
      return error(502, "the binary could not inspect " + image.name() + ": " + words(e));
    }
  }

  static Reply notFound(String name) {
    return error(404, "no image of that name is in the served folder");
  }

  static Reply notAllowed(String allow) {
    return withHeader(error(405, "use " + allow + " here"), "Allow", allow);
  }

  static ObjectNode errorBody(int status, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("status", status);
    e.put("error", message);
    return e;
  }

  static Reply error(int status, String message) {
    return jsonReply(status, errorBody(status, message));
  }

  static Reply jsonReply(int status, JsonNode node) {
    try {
      return new Reply(
          status,
          "application/json; charset=utf-8",
          (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8),
          Map.of());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Reply html(String page) {
    return new Reply(200, "text/html; charset=utf-8", bytes(page), Map.of());
  }

  static Reply withHeader(Reply r, String name, String value) {
    Map<String, String> headers = new LinkedHashMap<>(r.headers());
    headers.put(name, value);
    return new Reply(r.status(), r.contentType(), r.body(), headers);
  }

  static Reply staticFile(String name) {
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

  static void send(HttpExchange x, Reply reply) throws IOException {
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

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** An error in words, secrets masked; never a bare exception text. */
  static String words(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank()
        ? "an unexpected " + e.getClass().getSimpleName()
        : SecretValues.maskText(m);
  }
}
