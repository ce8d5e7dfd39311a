package io.github.scompose.network.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON (RFC 8259) of the lease file, read and written with jackson-core's streaming API (escaping,
 * number syntax and error locations are Jackson's; this class only maps tokens to plain Java values
 * and back).
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion order kept), array →
 * {@code List<Object>}, string → {@code String}, integer → {@code Long} (or {@code BigInteger} when
 * it does not fit), other numbers → {@code BigDecimal}, {@code true}/{@code false} → {@code
 * Boolean}, {@code null} → {@code null}. Duplicate object keys are an error; nesting is limited to
 * {@value #MAX_DEPTH} levels.
 */
public final class Json {

  /** The deepest nesting {@link #parse} accepts. */
  public static final int MAX_DEPTH = 200;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build();

  /**
   * Two-space indentation, {@code "key": value}, one member or element a line, {@code {}}/{@code
   * []} when empty.
   */
  private static final DefaultPrettyPrinter INDENTED =
      new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"))
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""));

  private Json() {}

  /** Thrown for malformed JSON; the message ends with the line and column (1-based). */
  public static final class SyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  /**
   * Parses one JSON value; only whitespace may follow it.
   *
   * @throws SyntaxException when {@code text} is not one JSON value, naming what and where
   */
  public static Object parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() == null) {
        throw new SyntaxException("unexpected end of input at line 1, column 1");
      }
      Object value = value(p);
      if (p.nextToken() != null) {
        throw located("unexpected text after the JSON value", p.currentTokenLocation());
      }
      return value;
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      int newline = message.indexOf('\n');
      throw located(newline < 0 ? message : message.substring(0, newline), e.getLocation());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a value as indented JSON (two spaces), ending without a newline.
   *
   * @throws IllegalArgumentException for a value of another type, or a map key that is not a string
   */
  public static String write(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(INDENTED);
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long || v instanceof Integer) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys are strings, got " + e.getKey());
        }
        g.writeFieldName(key);
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object element : l) {
        write(g, element);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  /** The value at the parser's current token (which is not null). */
  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation at = p.currentTokenLocation();
          if (m.containsKey(key)) {
            throw located("duplicate key \"" + key + "\"", at);
          }
          p.nextToken();
          m.put(key, value(p));
        }
        return m;
      case START_ARRAY:
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? p.getBigIntegerValue()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw located("unexpected " + t.asString(), p.currentTokenLocation());
    }
  }

  private static SyntaxException located(String message, JsonLocation at) {
    return new SyntaxException(
        message + " at line " + at.getLineNr() + ", column " + at.getColumnNr());
  }
}
