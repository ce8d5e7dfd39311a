package io.github.scompose.testkit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
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
 * JSON as Go's {@code json.MarshalIndent(v, "", "\t")} prints it (the real binary's {@code --json}
 * outputs), written with jackson-core's generator: tab indentation, {@code "key": value}, empty
 * arrays as {@code []}, and {@code <}, {@code >}, {@code &} escaped as Go does ({@code \\u003c} and
 * so on). Values: {@link Map} (insertion order), {@link List}, {@link String}, {@link Number},
 * {@link Boolean}; anything else as its {@code String.valueOf}.
 */
final class GoJson {

  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .characterEscapes(new GoEscapes())
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .build();

  private static final DefaultPrettyPrinter TABS =
      new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultIndenter("\t", "\n"))
          .withArrayIndenter(new DefaultIndenter("\t", "\n"))
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""));

  private GoJson() {}

  static String write(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(TABS);
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Appends {@code s} as a Go JSON string. */
  static void string(StringBuilder out, String s) {
    out.append(write(s));
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        g.writeFieldName(String.valueOf(entry.getKey()));
        write(g, entry.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object element : list) {
        write(g, element);
      }
      g.writeEndArray();
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof BigDecimal || value instanceof BigInteger) {
      g.writeNumber(value.toString());
    } else if (value instanceof Number n) {
      g.writeNumber(n.toString());
    } else {
      g.writeString(String.valueOf(value));
    }
  }

  /** JSON's escapes plus Go's HTML-safe ones: {@code <}, {@code >}, {@code &}. */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    GoEscapes() {
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
