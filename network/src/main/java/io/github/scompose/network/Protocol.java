package io.github.scompose.network;

import java.util.Locale;

/** Transport protocol of a published port; written lower case ({@code tcp}, {@code udp}). */
public enum Protocol {
  /** TCP, the default of compose files and of CNI portmap. */
  TCP,
  /** UDP. */
  UDP;

  /** Lower-case name as in {@code portmap=8080:80/tcp}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code tcp} or {@code udp}, any case.
   *
   * @throws IllegalArgumentException for anything else (SCTP is not supported by SingularityCE's
   *     portmap argument)
   */
  public static Protocol parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "tcp" -> TCP;
      case "udp" -> UDP;
      default -> throw new IllegalArgumentException("protocol '" + text + "' is not tcp or udp");
    };
  }
}
