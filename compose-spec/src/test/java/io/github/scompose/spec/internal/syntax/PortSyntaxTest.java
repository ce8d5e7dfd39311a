package io.github.scompose.spec.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.github.scompose.spec.PortMapping;
import io.github.scompose.spec.PortMapping.PortRange;
import io.github.scompose.spec.PortMapping.Protocol;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every short form of the Compose Specification's {@code services.ports} examples. */
class PortSyntaxTest {

  private static PortMapping one(String text) {
    var list = PortSyntax.parse(text);
    assertEquals(1, list.size());
    return list.get(0);
  }

  static Stream<Arguments> specExamples() {
    return Stream.of(
        arguments("3000", null, null, PortRange.single(3000), Protocol.TCP),
        arguments("3000-3005", null, null, PortRange.of(3000, 3005), Protocol.TCP),
        arguments("8000:8000", null, PortRange.single(8000), PortRange.single(8000), Protocol.TCP),
        arguments(
            "9090-9091:8080-8081",
            null,
            PortRange.of(9090, 9091),
            PortRange.of(8080, 8081),
            Protocol.TCP),
        arguments("49100:22", null, PortRange.single(49100), PortRange.single(22), Protocol.TCP),
        arguments(
            "8000-9000:80", null, PortRange.of(8000, 9000), PortRange.single(80), Protocol.TCP),
        arguments(
            "127.0.0.1:8001:8001",
            "127.0.0.1",
            PortRange.single(8001),
            PortRange.single(8001),
            Protocol.TCP),
        arguments(
            "127.0.0.1:5000-5010:5000-5010",
            "127.0.0.1",
            PortRange.of(5000, 5010),
            PortRange.of(5000, 5010),
            Protocol.TCP),
        arguments(
            "::1:6000:6000", "::1", PortRange.single(6000), PortRange.single(6000), Protocol.TCP),
        arguments(
            "[::1]:6001:6001", "::1", PortRange.single(6001), PortRange.single(6001), Protocol.TCP),
        arguments(
            "6060:6060/udp", null, PortRange.single(6060), PortRange.single(6060), Protocol.UDP),
        arguments("127.0.0.1::80", "127.0.0.1", null, PortRange.single(80), Protocol.TCP),
        arguments(":80", null, null, PortRange.single(80), Protocol.TCP),
        arguments("[fe80::1]::80/sctp", "fe80::1", null, PortRange.single(80), Protocol.SCTP),
        arguments("53:53/UDP", null, PortRange.single(53), PortRange.single(53), Protocol.UDP),
        arguments(
            "[2001:db8::10]:443:443/tcp",
            "2001:db8::10",
            PortRange.single(443),
            PortRange.single(443),
            Protocol.TCP));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("specExamples")
  void parsesEveryShortForm(
      String text, String ip, PortRange host, PortRange container, Protocol protocol) {
    PortMapping p = one(text);
    assertEquals(Optional.ofNullable(ip), p.hostIp());
    assertEquals(Optional.ofNullable(host), p.hostPorts());
    assertEquals(container, p.containerPorts());
    assertEquals(protocol, p.protocol());
    assertEquals(p, one(p.toShortForm().orElseThrow()));
  }

  @Test
  void shortFormIsCanonical() {
    assertEquals("8000:80", one("8000:80/tcp").toShortForm().orElseThrow());
    assertEquals("[::1]:6000:6000", one("::1:6000:6000").toShortForm().orElseThrow());
    assertEquals("127.0.0.1::80/udp", one("127.0.0.1::80/udp").toShortForm().orElseThrow());
    assertEquals("3000-3005", one("3000-3005").toShortForm().orElseThrow());
  }

  @Test
  void longFormOnlyFieldsHaveNoShortForm() {
    PortMapping p =
        PortMapping.builder()
            .containerPorts(PortRange.single(80))
            .name("web")
            .appProtocol("http")
            .build();
    assertEquals(Optional.empty(), p.toShortForm());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments(
            "", "port mapping is empty; expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]"),
        arguments("70000", "port 70000 is outside 1..65535 in port mapping \"70000\""),
        arguments("0:80", "port 0 is outside 1..65535 in port mapping \"0:80\""),
        arguments(
            "8080:123456789",
            "port 123456789 is outside 1..65535 in port mapping \"8080:123456789\""),
        arguments(
            "http",
            "\"http\" is not a port number or a range like 8000-8010 in port mapping \"http\""),
        arguments(
            "5010-5000",
            "port range 5010-5000 ends before it starts in port mapping \"5010-5000\""),
        arguments(
            "9090-9092:8080-8081",
            "host ports 9090-9092 and container ports 8080-8081 are ranges of different length"
                + " in port mapping \"9090-9092:8080-8081\""),
        arguments(
            "8080:80-81",
            "host ports 8080 and container ports 80-81 are ranges of different length"
                + " in port mapping \"8080:80-81\""),
        arguments(
            "80/xtp", "protocol \"xtp\" is not one of tcp, udp, sctp in port mapping \"80/xtp\""),
        arguments(
            "300.1.1.1:80:80",
            "host IP \"300.1.1.1\" is not an IPv4 or IPv6 address in port mapping \"300.1.1.1:80:80\""),
        arguments(":80:80", "host IP is empty in port mapping \":80:80\""),
        arguments(
            "[::1:80:80", "'[' of an IPv6 host IP is not closed in port mapping \"[::1:80:80\""),
        arguments(
            "[::1]80:80",
            "port mapping \"[::1]80:80\" is not of the form [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]"),
        arguments(
            "80:", "\"\" is not a port number or a range like 8000-8010 in port mapping \"80:\""),
        arguments(
            "1:2:3:4",
            "host IP \"1:2\" is not an IPv4 or IPv6 address in port mapping \"1:2:3:4\""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("errors")
  void rejectsWithAMessageThatNamesTheProblem(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PortSyntax.parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void valueTypeChecksRangesOnItsOwn() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PortRange.of(1, 70000));
    assertEquals("port 70000 is outside 1..65535", e.getMessage());
  }
}
