package io.github.scompose.spec.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.spec.PortMapping;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class PortSyntaxProperties {

  @Provide
  Arbitrary<String> validShortForms() {
    Arbitrary<Integer> start = Arbitraries.integers().between(1, 65000);
    Arbitrary<Integer> len = Arbitraries.integers().between(0, 20);
    Arbitrary<String> ip =
        Arbitraries.of(
            "", "127.0.0.1:", "0.0.0.0:", "[::1]:", "::1:", "[2001:db8::1]:", "10.1.2.3:");
    Arbitrary<String> proto = Arbitraries.of("", "/tcp", "/udp", "/sctp");
    Arbitrary<Integer> shape = Arbitraries.integers().between(0, 3);
    return Combinators.combine(start, start, len, ip, proto, shape)
        .as(
            (host, container, n, address, protocol, kind) -> {
              String c = n == 0 ? "" + container : container + "-" + (container + n);
              String h = n == 0 ? "" + host : host + "-" + (host + n);
              String body =
                  switch (kind) {
                    case 0 -> c; // container only
                    case 1 -> address + h + ":" + c; // same-length ranges
                    case 2 -> address + host + "-" + (host + n + 5) + ":" + container; // any of
                    default -> address.isEmpty() ? h + ":" + c : address + ":" + c; // IP::C
                  };
              if (kind == 3 && !address.isEmpty()) {
                body = address + ":" + c;
              }
              return body + protocol;
            });
  }

  @Property(tries = 1000)
  void renderOfParseRoundTrips(@ForAll("validShortForms") String text) {
    PortMapping parsed = PortSyntax.parse(text).get(0);
    String rendered = parsed.toShortForm().orElseThrow();
    assertEquals(parsed, PortSyntax.parse(rendered).get(0));
    assertEquals(rendered, PortSyntax.parse(rendered).get(0).toShortForm().orElseThrow());
  }

  @Provide
  Arbitrary<String> invalidPorts() {
    Arbitrary<String> outOfRange =
        Arbitraries.oneOf(
            Arbitraries.integers().between(65536, Integer.MAX_VALUE).map(String::valueOf),
            Arbitraries.just("0"),
            Arbitraries.longs().between(10_000_000_000L, Long.MAX_VALUE).map(String::valueOf));
    Arbitrary<String> good = Arbitraries.integers().between(1, 65535).map(String::valueOf);
    return Arbitraries.oneOf(
        outOfRange,
        Combinators.combine(good, outOfRange).as((g, b) -> g + ":" + b),
        Combinators.combine(outOfRange, good).as((b, g) -> b + ":" + g),
        Combinators.combine(good, outOfRange).as((g, b) -> "127.0.0.1:" + b + ":" + g),
        Combinators.combine(good, good).as((a, b) -> a + ":" + b + "/http"),
        Combinators.combine(good, good)
            .as(
                (a, b) ->
                    Integer.parseInt(a) > 1 ? a + "-" + (Integer.parseInt(a) - 1) + ":" + b : "x"));
  }

  @Property(tries = 1000)
  void invalidPortsAlwaysFailWithIllegalArgumentException(@ForAll("invalidPorts") String text) {
    try {
      PortSyntax.parse(text);
      throw new AssertionError("accepted " + text);
    } catch (IllegalArgumentException expected) {
      assertEquals(true, expected.getMessage().contains(text), expected.getMessage());
    }
  }

  @Property(tries = 1000)
  void arbitraryTextParsesOrFailsWithIllegalArgumentExceptionOnly(
      @ForAll @StringLength(max = 30) String raw) {
    String text = raw.replace('a', ':').replace('b', '-').replace('c', '/').replace('d', '[');
    try {
      Optional<String> shortForm = PortSyntax.parse(text).get(0).toShortForm();
      assertEquals(true, shortForm.isPresent());
    } catch (IllegalArgumentException expected) {
      // the documented failure
    }
  }
}
