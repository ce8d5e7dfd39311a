package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.ImageInspection;
import java.util.Arrays;
import java.util.Map;

/**
 * Parses {@code inspect --json}: {@code {"attributes":{"labels":{…},"runscript":"…",
 * "environment":"…","apps":"a,b"|[…]}, "type":"container"}} (recorded from 3.4.2: {@code apps} is
 * {@code ""} when the image has none).
 */
public final class InspectParser {

  private InspectParser() {}

  /**
   * The inspection in {@code output} (JSON when it starts with <code>{</code>, else kept as text
   * only).
   *
   * @throws IllegalArgumentException when JSON output cannot be read
   */
  public static ImageInspection parse(String output) {
    ImageInspection.Builder b = ImageInspection.builder().output(output);
    String s = output.strip();
    if (!s.startsWith("{")) {
      return b.build();
    }
    Map<?, ?> root = JsonDocument.object(s);
    Object attrs = root.get("attributes");
    if (!(attrs instanceof Map<?, ?> a)) {
      return b.build();
    }
    if (a.get("labels") instanceof Map<?, ?> labels) {
      labels.forEach((k, v) -> b.putLabel(String.valueOf(k), v == null ? "" : v.toString()));
    }
    if (a.get("runscript") != null) {
      b.runscript(a.get("runscript").toString());
    }
    if (a.get("environment") != null) {
      Object env = a.get("environment");
      b.environment(env instanceof Map<?, ?> m ? String.valueOf(m.values()) : env.toString());
    }
    Object apps = a.get("apps");
    if (apps instanceof java.util.List<?> list) {
      list.forEach(x -> b.addApp(String.valueOf(x)));
    } else if (apps != null && !apps.toString().isBlank()) {
      Arrays.stream(apps.toString().split("[,\\s]+")).filter(x -> !x.isBlank()).forEach(b::addApp);
    }
    return b.build();
  }
}
