package io.github.scompose.spec.internal.syntax;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Compose byte values such as {@code 2b}, {@code 1024kb}, {@code 2048k}, {@code 300m},
 * {@code 1gb} (Compose Specification, "Specifying byte values": units {@code b}, {@code k}, {@code
 * m}, {@code g} and {@code kb}, {@code mb}, {@code gb}). As in docker compose (go-units {@code
 * RAMInBytes}) the units are binary ({@code 1k} = 1024 bytes), any letter case, and {@code t},
 * {@code p} and the {@code kib} spelling are accepted; a plain number is bytes. Used for {@code
 * tmpfs.size} and {@code shm_size}.
 */
public final class ByteSyntax {

  private static final Pattern FORM =
      Pattern.compile("(\\d{1,19})(\\.\\d{1,19})? ?([kmgtp]?)(i?b?)");

  private ByteSyntax() {}

  /**
   * Parses a byte value.
   *
   * @return the number of bytes
   * @throws IllegalArgumentException when the text is not of that form or exceeds {@link
   *     Long#MAX_VALUE} bytes; the message names the text
   */
  public static long parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("byte value is missing");
    }
    Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches() || (m.group(3).isEmpty() && m.group(4).equals("i"))) {
      throw new IllegalArgumentException(
          "byte value \""
              + text
              + "\" is not like 2b, 1024kb, 2048k, 300m, 1.5g or 1gb (units b, k, m, g, t, p)");
    }
    int shift =
        switch (m.group(3)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          case "p" -> 50;
          default -> 0;
        };
    java.math.BigInteger bytes =
        new java.math.BigDecimal(m.group(1) + (m.group(2) == null ? "" : m.group(2)))
            .multiply(java.math.BigDecimal.valueOf(1L << shift))
            .toBigInteger();
    if (bytes.bitLength() > 63) {
      throw new IllegalArgumentException(
          "byte value \"" + text + "\" is larger than " + Long.MAX_VALUE + " bytes");
    }
    return bytes.longValueExact();
  }
}
