package io.github.scompose.core.internal.compose;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes the state directory's JSON with jackson-core's streaming generator: a tree of {@link Map}s
 * (string keys), {@link List}s, strings, numbers, booleans and {@code null}, on one line as {@code
 * {"key": value, "list": [1, 2]}}. Strings are escaped by Jackson (RFC 8259 section 7), and also
 * every character YAML 1.2 does not allow raw (C1 controls U+007F..U+009F, U+FFFE, U+FFFF): the
 * files are read back with snakeyaml-engine's JSON schema.
 */
public final class JsonRendering {

  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .characterEscapes(new YamlSafeEscapes())
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .build();

  private static final DefaultPrettyPrinter ONE_LINE =
      new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
          .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter())
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEntrySpacing(Separators.Spacing.AFTER)
                  .withArrayValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""));

  private JsonRendering() {}

  /**
   * Appends {@code value} as JSON.
   *
   * @throws IllegalArgumentException for a value of another type
   */
  static void write(StringBuilder b, Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(ONE_LINE);
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    b.append(out);
  }

  /** Appends {@code s} as a JSON string. */
  static void string(StringBuilder b, String s) {
    write(b, s);
  }

  /** {@code s} as a JSON string, quotes included. */
  public static String string(String s) {
    StringBuilder b = new StringBuilder();
    write(b, s);
    return b.toString();
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean v) {
      g.writeBoolean(v);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger v) {
      g.writeNumber(v);
    } else if (value instanceof BigDecimal v) {
      g.writeNumber(v);
    } else if (value instanceof Double || value instanceof Float) {
      g.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(e.getKey().toString());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> l) {
      g.writeStartArray();
      for (Object element : l) {
        write(g, element);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("cannot write a " + value.getClass() + " as JSON");
    }
  }

  /**
   * Jackson's JSON escapes, plus a six-character {@code \\u} escape for what YAML 1.2 does not
   * allow raw.
   */
  private static final class YamlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    YamlSafeEscapes() {
      ascii[0x7F] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if ((ch >= 0x80 && ch <= 0x9F) || ch == 0xFFFE || ch == 0xFFFF) {
        return new SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }
}
