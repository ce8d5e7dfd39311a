package io.github.scompose.core.internal.client;

import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Reads the binary's JSON output with snakeyaml-engine (JSON is YAML 1.2) and its JSON schema.
 *
 * <p>The binary indents its JSON with tabs (recorded from SingularityCE 3.4.2), which YAML does not
 * allow as indentation. A tab can occur in valid JSON only as whitespace between tokens (inside
 * strings it must be escaped as {@code \t}), so tabs are replaced by spaces before parsing.
 */
final class JsonDocument {

  private JsonDocument() {}

  /**
   * The top-level object.
   *
   * @throws IllegalArgumentException when {@code json} is not a JSON object
   */
  static Map<?, ?> object(String json) {
    Object root;
    try {
      LoadSettings settings = LoadSettings.builder().setSchema(new JsonSchema()).build();
      root = new Load(settings).loadFromString(json.replace('\t', ' '));
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return map;
  }

  /** {@code value} as text, or {@code null}. */
  static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
