package io.github.scompose.network.internal;

import io.github.scompose.network.Cidr;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.Lease;
import io.github.scompose.network.PublishedPort;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lease file format, version 1:
 *
 * <pre>{@code
 * {
 *   "format": "scompose-leases",
 *   "version": 1,
 *   "leases": [
 *     {"project": "demo", "instance": "web1", "cidr": "10.22.0.0/16",
 *      "address": "10.22.0.2", "leasedAt": "2026-11-21T17:00:00Z", "ports": ["8080:80/tcp"]}
 *   ]
 * }
 * }</pre>
 *
 * {@code ports} is optional (absent when the instance publishes none).
 */
public final class LeaseFileCodec {

  /** The value of the {@code format} member. */
  public static final String FORMAT = "scompose-leases";

  /** The one version this code reads and writes. */
  public static final long VERSION = 1;

  private LeaseFileCodec() {}

  /** Thrown with a one-line description of what is wrong with the file's content. */
  public static final class BadContent extends Exception {
    private static final long serialVersionUID = 1L;

    BadContent(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The file text for {@code leases}, newline-terminated. */
  public static String encode(List<Lease> leases) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    List<Object> list = new ArrayList<>(leases.size());
    for (Lease l : leases) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("project", l.project());
      m.put("instance", l.instance());
      m.put("cidr", l.cidr().toString());
      m.put("address", l.address().toString());
      m.put("leasedAt", l.leasedAt().toString());
      if (!l.ports().isEmpty()) {
        m.put("ports", l.ports().stream().map(p -> (Object) p.text()).toList());
      }
      list.add(m);
    }
    root.put("leases", list);
    return Json.write(root) + "\n";
  }

  /** Reads the file text. */
  public static List<Lease> decode(String text) throws BadContent {
    if (text.isBlank()) {
      throw new BadContent("the file is empty", null);
    }
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (Json.SyntaxException e) {
      throw new BadContent("not valid JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> root) || !FORMAT.equals(root.get("format"))) {
      throw new BadContent("not a scompose lease file (no \"format\": \"" + FORMAT + "\")", null);
    }
    Object version = root.get("version");
    if (!(version instanceof Long v) || v != VERSION) {
      throw new BadContent(
          "lease file version "
              + version
              + " is not the version this library reads ("
              + VERSION
              + "); it was probably written by another scompose release",
          null);
    }
    if (!(root.get("leases") instanceof List<?> items)) {
      throw new BadContent("\"leases\" is missing or not an array", null);
    }
    List<Lease> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map<?, ?> m)) {
        throw new BadContent("leases[" + i + "] is not an object", null);
      }
      try {
        out.add(
            Lease.builder()
                .project(text(m, "project", i))
                .instance(text(m, "instance", i))
                .cidr(Cidr.parse(text(m, "cidr", i)))
                .address(IpAddress.parse(text(m, "address", i)))
                .leasedAt(Instant.parse(text(m, "leasedAt", i)))
                .ports(ports(m, i))
                .build());
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new BadContent("leases[" + i + "]: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static List<PublishedPort> ports(Map<?, ?> m, int index) throws BadContent {
    Object v = m.get("ports");
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> items)) {
      throw new BadContent("leases[" + index + "].ports is not an array", null);
    }
    List<PublishedPort> out = new ArrayList<>(items.size());
    for (Object item : items) {
      if (!(item instanceof String s)) {
        throw new BadContent("leases[" + index + "].ports holds a non-string", null);
      }
      out.add(PublishedPort.parse(s));
    }
    return out;
  }

  private static String text(Map<?, ?> m, String key, int index) throws BadContent {
    if (!(m.get(key) instanceof String s)) {
      throw new BadContent("leases[" + index + "]." + key + " is missing or not a string", null);
    }
    return s;
  }
}
