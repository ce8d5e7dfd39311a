package io.github.scompose.network.internal;

/**
 * Text forms of IP addresses: strict dotted-quad IPv4 and RFC 4291 IPv6 parsing, RFC 5952 canonical
 * IPv6 output. Works on a pair of longs (high and low 64 bits), so nothing here touches DNS.
 */
public final class AddressText {

  private AddressText() {}

  /** Parsed address: {@code ipv6}, high 64 bits and low 64 bits (IPv4 uses the low 32 bits). */
  public record Bits(boolean ipv6, long hi, long lo) {}

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static Bits parse(String text) {
    if (text == null || text.isEmpty()) {
      throw bad("", "the text is empty");
    }
    if (text.indexOf(':') >= 0) {
      return parseIpv6(text);
    }
    return new Bits(false, 0, parseIpv4(text, text) & 0xFFFFFFFFL);
  }

  private static long parseIpv4(String part, String whole) {
    String[] octets = part.split("\\.", -1);
    if (octets.length != 4) {
      throw bad(whole, "an IPv4 address has 4 dot-separated numbers");
    }
    long value = 0;
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3) {
        throw bad(whole, "each IPv4 number is 0..255");
      }
      if (octet.length() > 1 && octet.charAt(0) == '0') {
        throw bad(whole, "leading zero in '" + octet + "' (octal is not accepted)");
      }
      int n = 0;
      for (int i = 0; i < octet.length(); i++) {
        char c = octet.charAt(i);
        if (c < '0' || c > '9') {
          throw bad(whole, "'" + octet + "' is not a number");
        }
        n = n * 10 + (c - '0');
      }
      if (n > 255) {
        throw bad(whole, octet + " is outside 0..255");
      }
      value = (value << 8) | n;
    }
    return value;
  }

  private static Bits parseIpv6(String text) {
    if (text.indexOf('%') >= 0) {
      throw bad(text, "zone indexes (%...) are not accepted");
    }
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      throw bad(text, "'::' may appear only once");
    }
    int[] groups = new int[8];
    int count;
    if (doubleColon >= 0) {
      int[] head = groups(text.substring(0, doubleColon), text, false);
      int[] tail = groups(text.substring(doubleColon + 2), text, true);
      if (head.length + tail.length > 7) {
        throw bad(text, "too many groups around '::'");
      }
      System.arraycopy(head, 0, groups, 0, head.length);
      System.arraycopy(tail, 0, groups, 8 - tail.length, tail.length);
      count = 8;
    } else {
      int[] all = groups(text, text, true);
      if (all.length != 8) {
        throw bad(text, "an IPv6 address has 8 groups (or '::')");
      }
      groups = all;
      count = 8;
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < count; i++) {
      if (i < 4) {
        hi = (hi << 16) | groups[i];
      } else {
        lo = (lo << 16) | groups[i];
      }
    }
    return new Bits(true, hi, lo);
  }

  private static int[] groups(String part, String whole, boolean ipv4TailAllowed) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] pieces = part.split(":", -1);
    int n = pieces.length;
    boolean ipv4Tail = ipv4TailAllowed && pieces[n - 1].indexOf('.') >= 0;
    int[] out = new int[ipv4Tail ? n + 1 : n];
    for (int i = 0; i < n; i++) {
      String piece = pieces[i];
      if (ipv4Tail && i == n - 1) {
        long v4 = parseIpv4(piece, whole);
        out[i] = (int) (v4 >>> 16);
        out[i + 1] = (int) (v4 & 0xFFFF);
        break;
      }
      if (piece.isEmpty() || piece.length() > 4) {
        throw bad(whole, "each IPv6 group is 1 to 4 hex digits");
      }
      int v = 0;
      for (int j = 0; j < piece.length(); j++) {
        int d = Character.digit(piece.charAt(j), 16);
        if (d < 0) {
          throw bad(whole, "'" + piece + "' is not hexadecimal");
        }
        v = (v << 4) | d;
      }
      out[i] = v;
    }
    return out;
  }

  /** RFC 5952 text of an IPv6 address: lower case, longest run of two or more zero groups as ::. */
  public static String formatIpv6(long hi, long lo) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
      g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** Dotted-quad text of the low 32 bits. */
  public static String formatIpv4(long lo) {
    return ((lo >>> 24) & 0xFF)
        + "."
        + ((lo >>> 16) & 0xFF)
        + "."
        + ((lo >>> 8) & 0xFF)
        + "."
        + (lo & 0xFF);
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("invalid IP address '" + text + "': " + why);
  }
}
