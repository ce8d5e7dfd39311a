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

  private static final Pattern FORM = Pattern.compile("(\\d{1,19}) ?([kmgtp]?)(i?b?)");

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
    if (!m.matches() || (m.group(2).isEmpty() && m.group(3).equals("i"))) {
      throw new IllegalArgumentException(
          "byte value \""
              + text
              + "\" is not like 2b, 1024kb, 2048k, 300m or 1gb (whole numbers; units b, k, m, g)");
    }
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          case "p" -> 50;
          default -> 0;
        };
    try {
      long number = Long.parseLong(m.group(1));
      if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return number << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "byte value \"" + text + "\" is larger than " + Long.MAX_VALUE + " bytes");
    }
  }
}
