package io.github.scompose.network.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JsonProperties {

  @Provide
  Arbitrary<Object> values() {
    return value(3);
  }

  private Arbitrary<Object> value(int depth) {
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(12).map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
            Arbitraries.just(null),
            Arbitraries.bigIntegers()
                .between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                .filter(b -> b.bitLength() >= 64)
                .map(b -> (Object) b),
            Arbitraries.bigDecimals()
                .between(new BigDecimal("-1e6"), new BigDecimal("1e6"))
                .ofScale(3)
                .map(d -> (Object) d));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
    Arbitrary<Object> map =
        Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(6), value(depth - 1))
            .ofMaxSize(4)
            .map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalar),
        net.jqwik.api.Tuple.of(1, list),
        net.jqwik.api.Tuple.of(1, map));
  }

  @Property(tries = 500)
  void writeThenParseGivesTheSameValue(@ForAll("values") Object value) {
    String text = Json.write(value);
    Object back = Json.parse(text);
    assertEquals(normalise(value), normalise(back), text);
    assertEquals(text, Json.write(back), "writing is stable");
  }

  /** BigDecimal equality depends on scale; compare numerically. */
  private static Object normalise(Object v) {
    if (v instanceof BigDecimal d) {
      return d.stripTrailingZeros().toPlainString();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(JsonProperties::normalise).toList();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, normalise(x)));
      return out;
    }
    return v;
  }

  @Example
  void readsEscapesAndWhitespace() {
    Object v = Json.parse(" {\"a\\u0041\": [1, -2.5e1, \"x\\n\\\"\\/\"], \"b\": {}} ");
    assertEquals(Map.of("aA", List.of(1L, new BigDecimal("-2.5e1"), "x\n\"/"), "b", Map.of()), v);
  }

  @Example
  void errorsNameLineAndColumn() {
    for (String bad :
        new String[] {
          "{\"a\": 1,\n \"a\": 2}", "[1, 2", "{\"a\" 1}", "tru", "01", "\"abc", "[1,]", "{} x", ""
        }) {
      Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().matches(".* at line \\d+, column \\d+"), e.getMessage());
    }
    assertEquals(
        "duplicate key \"a\" at line 2, column 2",
        assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"a\": 1,\n \"a\": 2}"))
            .getMessage());
  }
}
