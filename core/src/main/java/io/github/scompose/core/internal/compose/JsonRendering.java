package io.github.scompose.core.internal.compose;

import java.util.List;
import java.util.Map;

/**
 * Writes a tree of {@link Map}s (string keys), {@link List}s, strings, numbers and booleans as
 * compact JSON (RFC 8259), one object member per line at the top level only. Strings are escaped as
 * RFC 8259 section 7 asks; {@code null} becomes {@code null}.
 */
final class JsonRendering {

  private JsonRendering() {}

  static void write(StringBuilder b, Object value) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof String s) {
      string(b, s);
    } else if (value instanceof Number || value instanceof Boolean) {
      b.append(value);
    } else if (value instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(", ");
        }
        first = false;
        string(b, e.getKey().toString());
        b.append(": ");
        write(b, e.getValue());
      }
      b.append('}');
    } else if (value instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        write(b, l.get(i));
      }
      b.append(']');
    } else {
      throw new IllegalArgumentException("cannot write a " + value.getClass() + " as JSON");
    }
  }

  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
