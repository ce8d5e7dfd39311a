package io.github.scompose.core.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DependencyLevelsTest {

  @Test
  void levelsFollowTheLongestChain() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("web", List.of("app", "cache"));
    deps.put("app", List.of("db"));
    deps.put("cache", List.of());
    deps.put("db", List.of());
    assertEquals(Map.of("web", 2, "app", 1, "cache", 0, "db", 0), DependencyLevels.of(deps));
  }

  @Test
  void aCycleIsNamedInOrder() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("first", List.of("second"));
    deps.put("second", List.of("third"));
    deps.put("third", List.of("first"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DependencyLevels.of(deps));
    assertEquals("depends_on has a cycle: first -> second -> third -> first", e.getMessage());
  }

  @Test
  void aSelfDependencyIsACycle() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("second", List.of("second"));
    assertEquals(
        "depends_on has a cycle: second -> second",
        assertThrows(IllegalArgumentException.class, () -> DependencyLevels.of(deps)).getMessage());
  }

  @Test
  void aMissingDependencyIsNamed() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("web", List.of("db"));
    assertEquals(
        "web depends on 'db', which is not a service of the project",
        assertThrows(IllegalArgumentException.class, () -> DependencyLevels.of(deps)).getMessage());
  }

  /**
   * Whatever the declaration order of a chain (singularity-compose 0.1.19 got 35 of 120 orders of a
   * 5-long chain wrong), each link is one level above the one it depends on.
   */
  @Property(tries = 200)
  void chainsInAnyDeclarationOrder(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll long seed) {
    List<Integer> order = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(seed));
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (int i : order) {
      deps.put("s" + i, i == 0 ? List.of() : List.of("s" + (i - 1)));
    }
    Map<String, Integer> levels = DependencyLevels.of(deps);
    for (int i = 0; i < n; i++) {
      assertEquals(i, levels.get("s" + i));
    }
  }

  /** A 20,001-long chain declared head first: walked without recursion (issue 12). */
  @Test
  void aTwentyThousandLongChainDeclaredHeadFirst() {
    int n = 20_001;
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      deps.put("s" + i, i == n - 1 ? List.of() : List.of("s" + (i + 1)));
    }
    Map<String, Integer> levels = DependencyLevels.of(deps);
    assertEquals(n - 1, levels.get("s0"));
    assertEquals(0, levels.get("s" + (n - 1)));
    deps.put("s" + (n - 1), List.of("s0"));
    String cycle =
        assertThrows(IllegalArgumentException.class, () -> DependencyLevels.of(deps)).getMessage();
    assertEquals(true, cycle.startsWith("depends_on has a cycle: s0 -> s1 -> "), cycle);
    assertEquals(true, cycle.endsWith(" -> s20000 -> s0"), cycle);
  }
}
