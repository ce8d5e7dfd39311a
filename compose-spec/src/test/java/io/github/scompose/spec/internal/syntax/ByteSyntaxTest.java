package io.github.scompose.spec.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSyntaxTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "2b, 2",
    "1024kb, 1048576",
    "2048k, 2097152",
    "300m, 314572800",
    "1gb, 1073741824",
    "64M, 67108864",
    "1GiB, 1073741824",
    "1 g, 1073741824",
    "4096, 4096",
    "1t, 1099511627776",
    // go-units RAMInBytes (docker compose) takes a decimal fraction and truncates to whole bytes
    "1.5g, 1610612736",
    "0.5k, 512",
    "1.0001k, 1024",
  })
  void parsesSpecExamples(String text, long bytes) {
    assertEquals(bytes, ByteSyntax.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"-1", "g", "10x", "'1 gb '", "1i", "1.g", ".5g"})
  void rejectsOtherForms(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteSyntax.parse(text));
    assertEquals(
        "byte value \""
            + text
            + "\" is not like 2b, 1024kb, 2048k, 300m, 1.5g or 1gb (units b, k, m, g, t, p)",
        e.getMessage());
  }

  @Test
  void rejectsOverflow() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteSyntax.parse("9999999999999p"));
    assertEquals(
        "byte value \"9999999999999p\" is larger than 9223372036854775807 bytes", e.getMessage());
  }
}
