package io.github.scompose.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The emulated CNI host-local allocation over 10.22.0.0/16. */
class BridgeRangeProperties {

  @Provide
  Arbitrary<String> rangeAddresses() {
    return Arbitraries.integers()
        .between(0, 255)
        .flatMap(
            third -> Arbitraries.integers().between(0, 255).map(f -> "10.22." + third + "." + f));
  }

  @Provide
  Arbitrary<Set<String>> inUse() {
    return rangeAddresses().set().ofMaxSize(200);
  }

  @Property
  void neverHandsOutAnAddressInUseTheGatewayOrOneOutsideTheRange(
      @ForAll("inUse") Set<String> inUse, @ForAll("rangeAddresses") String lastReserved) {
    String next = BridgeRange.next(inUse, lastReserved).orElseThrow();
    assertFalse(inUse.contains(next), next);
    assertTrue(BridgeRange.contains(next), next);
    assertFalse(next.equals("10.22.0.1"));
  }

  @Property
  void successiveAllocationsAreDistinct(@ForAll("inUse") Set<String> taken) {
    Set<String> held = new HashSet<>(taken);
    String last = null;
    for (int i = 0; i < 50; i++) {
      String next = BridgeRange.next(held, last).orElseThrow();
      assertTrue(held.add(next), next + " handed out twice");
      last = next;
    }
  }

  @Test
  void startsAfterTheGatewayThenAfterTheLastReservedAndWraps() {
    assertEquals(Optional.of("10.22.0.2"), BridgeRange.next(Set.of(), null));
    assertEquals(Optional.of("10.22.0.3"), BridgeRange.next(Set.of("10.22.0.2"), null));
    // host-local: round robin after the last reservation, not the lowest free address
    assertEquals(Optional.of("10.22.0.8"), BridgeRange.next(Set.of(), "10.22.0.7"));
    assertEquals(Optional.of("10.22.1.0"), BridgeRange.next(Set.of(), "10.22.0.255"));
    assertEquals(Optional.of("10.22.0.2"), BridgeRange.next(Set.of(), "10.22.255.254"));
    assertEquals(Optional.of("10.22.0.3"), BridgeRange.next(Set.of("10.22.0.2"), "10.22.255.254"));
  }

  @Test
  void aFullRangeHasNoAddressLeft() {
    Set<String> all = new HashSet<>();
    for (int third = 0; third <= 255; third++) {
      for (int fourth = 0; fourth <= 255; fourth++) {
        all.add("10.22." + third + "." + fourth);
      }
    }
    assertEquals(Optional.empty(), BridgeRange.next(all, "10.22.3.4"));
    all.remove("10.22.0.9");
    assertEquals(Optional.of("10.22.0.9"), BridgeRange.next(all, "10.22.3.4"));
  }

  @Test
  void parsesOnlyDottedQuads() {
    for (String bad : List.of("", "10.22.0", "10.22.0.256", "a.b.c.d", "10.22.0.1.2", "1..2.3")) {
      assertEquals(-1, BridgeRange.parse(bad), bad);
    }
    assertEquals("10.22.3.4", BridgeRange.format(BridgeRange.parse("10.22.3.4")));
  }
}
