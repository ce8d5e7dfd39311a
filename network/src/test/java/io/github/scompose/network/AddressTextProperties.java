package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class AddressTextProperties {

  @Property(tries = 500)
  void ipv4TextRoundTrips(@ForAll int bits) {
    IpAddress a = IpAddress.ipv4(bits);
    assertEquals(a, IpAddress.parse(a.toString()));
    assertEquals(a, IpAddress.of(a.toInetAddress()));
  }

  @Property(tries = 500)
  void ipv6TextRoundTripsAndMatchesTheJdk(
      @ForAll long hi, @ForAll long lo, @ForAll @IntRange(min = 0, max = 7) int zeroRun) {
    // force runs of zero groups so that '::' compression is exercised
    long mask = zeroRun == 0 ? -1L : ~((1L << (zeroRun * 8)) - 1);
    IpAddress a = IpAddress.ipv6(hi & mask, lo & (zeroRun > 3 ? 0 : mask));
    String text = a.toString();
    assertEquals(a, IpAddress.parse(text));
    InetAddress jdk = a.toInetAddress();
    assertEquals(a, IpAddress.of(jdk));
    assertEquals(a, IpAddress.parse(jdk.getHostAddress()), "reads the JDK's uncompressed form");
    assertTrue(!text.contains(":::") && text.equals(text.toLowerCase()), text);
  }

  @Example
  void canonicalIpv6FormFollowsRfc5952() {
    assertEquals("fd00:22::2", IpAddress.parse("FD00:0022:0:0:0:0:0:2").toString());
    assertEquals("::1", IpAddress.parse("0:0:0:0:0:0:0:1").toString());
    assertEquals("::", IpAddress.parse("::").toString());
    assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:db8:0:0:1:0:0:1").toString());
    assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parse("2001:db8::1:1:1:1:1").toString());
    assertEquals("::ffff:a00:1", IpAddress.parse("::ffff:10.0.0.1").toString());
  }

  @Example
  void badAddressesAreRefusedWithTheText() {
    for (String bad :
        new String[] {
          "",
          "10.0.0",
          "10.0.0.256",
          "010.0.0.1",
          "1.2.3.4.5",
          "a.b.c.d",
          "1:::2",
          "1::2::3",
          "1:2:3:4:5:6:7:8:9",
          "fe80::1%eth0",
          "12345::",
          "web"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Example
  void cidrsParseAndExplainMistakes() {
    Cidr v4 = Cidr.parse("10.22.0.0/16");
    assertEquals(BigInteger.valueOf(65536), v4.size());
    assertEquals("10.22.0.1", v4.firstHost().toString());
    assertEquals("10.22.255.255", v4.broadcast().orElseThrow().toString());
    assertTrue(v4.contains(IpAddress.parse("10.22.200.3")));
    Cidr v6 = Cidr.parse("fd00:22::/64");
    assertEquals(BigInteger.ONE.shiftLeft(64), v6.size());
    assertTrue(v6.broadcast().isEmpty());
    assertEquals("fd00:22::/64", Cidr.parse("FD00:22:0::/64").toString());
    assertEquals("0.0.0.0/0", Cidr.parse("0.0.0.0/0").toString());

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.22.0.5/16"));
    assertEquals(
        "invalid CIDR '10.22.0.5/16': host bits are set after the /16 prefix; did you mean"
            + " 10.22.0.0/16?",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.22.0.0"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.22.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fd00::/129"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.22.0.0/x"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.22.0.0/-1"));
  }

  @Property(tries = 300)
  void cidrTextRoundTrips(@ForAll int bits, @ForAll @IntRange(min = 0, max = 32) int prefix) {
    long m = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    Cidr c = Cidr.of(IpAddress.ipv4((int) (bits & m)), prefix);
    assertEquals(c, Cidr.parse(c.toString()));
  }
}
