package io.github.scompose.testkit.wait;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * Ready when an HTTP {@code GET} from this host of {@code http://ADDRESS:PORT/PATH} answers with an
 * accepted status code (default: 200 only). The port is a container port mapped through {@link
 * WaitTarget#hostAddress}; default: the instance's first published port. Each request may take 2 s
 * (connect and read). Made by {@link Wait#forHttp(String)}.
 *
 * <pre>{@code
 * Wait.forHttp("/health").forPort(8080).forStatusCode(200).forStatusCode(204)
 * }</pre>
 */
public final class HttpWaitStrategy extends PollingWaitStrategy {
  private static final int REQUEST_TIMEOUT_MS = 2000;

  private final String path;
  private OptionalInt port = OptionalInt.empty();
  private List<Integer> statusCodes = List.of();
  private IntPredicate statusMatcher;
  private String matcherText = "";

  HttpWaitStrategy(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("HTTP path \"" + path + "\" does not start with /");
    }
    this.path = path;
  }

  /**
   * A copy that asks container port {@code port}.
   *
   * @throws IllegalArgumentException when {@code port} is outside 1..65535
   */
  public HttpWaitStrategy forPort(int port) {
    Wait.checkPort(port);
    HttpWaitStrategy copy = (HttpWaitStrategy) copy();
    copy.port = OptionalInt.of(port);
    return copy;
  }

  /**
   * A copy that also accepts {@code code} (the first call replaces the default 200).
   *
   * @throws IllegalArgumentException when {@code code} is outside 100..599
   */
  public HttpWaitStrategy forStatusCode(int code) {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("status code " + code + " is outside 100..599");
    }
    HttpWaitStrategy copy = (HttpWaitStrategy) copy();
    List<Integer> codes = new ArrayList<>(statusCodes);
    codes.add(code);
    copy.statusCodes = List.copyOf(codes);
    return copy;
  }

  /** A copy that also accepts every code {@code matcher} accepts (replaces the default 200). */
  public HttpWaitStrategy forStatusCodeMatching(IntPredicate matcher) {
    HttpWaitStrategy copy = (HttpWaitStrategy) copy();
    copy.statusMatcher =
        statusMatcher == null
            ? java.util.Objects.requireNonNull(matcher)
            : statusMatcher.or(java.util.Objects.requireNonNull(matcher));
    copy.matcherText = "a matching status code";
    return copy;
  }

  @Override
  public HttpWaitStrategy withTimeout(Duration timeout) {
    return (HttpWaitStrategy) super.withTimeout(timeout);
  }

  @Override
  public HttpWaitStrategy withPollInterval(Duration interval) {
    return (HttpWaitStrategy) super.withPollInterval(interval);
  }

  private boolean accepts(int code) {
    if (statusCodes.isEmpty() && statusMatcher == null) {
      return code == 200;
    }
    return statusCodes.contains(code) || statusMatcher != null && statusMatcher.test(code);
  }

  @Override
  protected Optional<String> unmet(WaitTarget target) {
    int container;
    if (port.isPresent()) {
      container = port.getAsInt();
    } else {
      List<Integer> published = target.publishedPorts();
      if (published.isEmpty()) {
        throw new IllegalStateException(
            "instance "
                + target.instance()
                + " publishes no TCP port: give one with Wait.forHttp(path).forPort(port)");
      }
      container = published.get(0);
    }
    InetSocketAddress address = target.hostAddress(container);
    String host = address.getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    URI uri = URI.create("http://" + host + ":" + address.getPort() + path);
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(REQUEST_TIMEOUT_MS);
      c.setReadTimeout(REQUEST_TIMEOUT_MS);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      int code = c.getResponseCode();
      drain(c);
      return accepts(code) ? Optional.empty() : Optional.of("HTTP " + code + " from " + uri);
    } catch (IOException e) {
      return Optional.of("no answer from " + uri + " (" + e.getMessage() + ")");
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  private static void drain(HttpURLConnection c) {
    try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    } catch (IOException e) {
      // the status code was read; the body does not matter
    }
  }

  @Override
  public String description() {
    List<String> parts = new ArrayList<>();
    statusCodes.forEach(c -> parts.add(String.valueOf(c)));
    if (statusMatcher != null) {
      parts.add(matcherText);
    }
    String codes = parts.isEmpty() ? "200" : String.join(" or ", parts);
    return "HTTP GET "
        + path
        + (port.isPresent() ? " on port " + port.getAsInt() : " on the first published port")
        + " to answer "
        + codes;
  }
}
