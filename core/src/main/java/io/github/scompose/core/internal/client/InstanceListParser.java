package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.InstanceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code instance list} output: the JSON form ({@code {"instances":[{"instance","pid","img"
 * [, "ip", "logOutPath", "logErrPath"]}]}}, recorded from 3.4.2 and from the Apptainer docs; 2.x
 * keys {@code daemon_name}, {@code container_image}) and the table form ({@code INSTANCE NAME PID
 * [IP] IMAGE}, 2.x {@code DAEMON NAME PID CONTAINER IMAGE}).
 */
public final class InstanceListParser {

  private static final Pattern IP_LIKE = Pattern.compile("[0-9A-Fa-f.:]+");
  private static final Pattern ROW = Pattern.compile("^(\\S+)\\s+(\\d+)\\s+(.*\\S)\\s*$");

  private InstanceListParser() {}

  /**
   * Parses either form (JSON when the first non-blank character is <code>{</code>).
   *
   * @throws IllegalArgumentException when the output is in neither form; the message quotes the
   *     offending line or the JSON error
   */
  public static List<InstanceInfo> parse(String output) {
    String s = Ansi.strip(output).strip();
    if (s.startsWith("{")) {
      return parseJson(s);
    }
    return parseTable(s);
  }

  /** Parses the JSON form. */
  public static List<InstanceInfo> parseJson(String json) {
    Map<?, ?> root = JsonDocument.object(json);
    Object instances = root.get("instances");
    if (instances == null) {
      return List.of();
    }
    if (!(instances instanceof List<?> list)) {
      throw new IllegalArgumentException("\"instances\" is not a list");
    }
    List<InstanceInfo> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> e)) {
        throw new IllegalArgumentException("an instance entry is not an object: " + o);
      }
      String name = first(e, "instance", "daemon_name");
      String pid = first(e, "pid");
      String image = first(e, "img", "container_image", "image");
      if (name == null || pid == null || image == null) {
        throw new IllegalArgumentException("instance entry without name, pid or image: " + e);
      }
      InstanceInfo.Builder b = InstanceInfo.builder().name(name).pid(pid(pid)).image(image);
      nonEmpty(first(e, "ip")).ifPresent(b::ip);
      nonEmpty(first(e, "logOutPath")).ifPresent(b::logOutPath);
      nonEmpty(first(e, "logErrPath")).ifPresent(b::logErrPath);
      out.add(b.build());
    }
    return out;
  }

  /** Parses the table form. */
  public static List<InstanceInfo> parseTable(String table) {
    List<InstanceInfo> out = new ArrayList<>();
    boolean header = false;
    boolean hasIp = false;
    for (String line : table.lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      String upper = line.strip().toUpperCase(Locale.ROOT);
      if (!header) {
        if (upper.startsWith("INSTANCE NAME") || upper.startsWith("DAEMON NAME")) {
          header = true;
          hasIp = upper.matches(".*\\bPID\\s+IP\\b.*");
          continue;
        }
        if (line.startsWith("INFO:") || line.startsWith("WARNING:") || line.startsWith("VERBOSE")) {
          continue;
        }
        throw new IllegalArgumentException("instance list: no header line before '" + line + "'");
      }
      Matcher m = ROW.matcher(line.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("instance list: cannot read the line '" + line + "'");
      }
      InstanceInfo.Builder b = InstanceInfo.builder().name(m.group(1)).pid(pid(m.group(2)));
      String rest = m.group(3);
      if (hasIp) {
        String[] ipAndImage = rest.split("\\s+", 2);
        if (ipAndImage.length == 2 && IP_LIKE.matcher(ipAndImage[0]).matches()) {
          b.ip(ipAndImage[0]);
          rest = ipAndImage[1];
        }
      }
      out.add(b.image(rest).build());
    }
    if (!header && !table.isBlank()) {
      throw new IllegalArgumentException("instance list: no header line");
    }
    return out;
  }

  private static String first(Map<?, ?> e, String... keys) {
    for (String k : keys) {
      Object v = e.get(k);
      if (v != null) {
        return v.toString();
      }
    }
    return null;
  }

  private static java.util.Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(s);
  }

  private static long pid(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("instance list: pid '" + text + "' is not a number", e);
    }
  }
}
