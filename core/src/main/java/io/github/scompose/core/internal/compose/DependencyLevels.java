package io.github.scompose.core.internal.compose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dependency levels of services: level 0 has no dependencies, level k depends on something of level
 * k-1 and nothing higher. A real topological sort (depth-first, with the path kept), so a cycle is
 * reported with its members in order ({@code a -> b -> a}), before anything starts — unlike
 * singularity-compose 0.1.19, which started the others first.
 */
public final class DependencyLevels {

  private DependencyLevels() {}

  /**
   * Levels of {@code dependencies}' keys.
   *
   * @param dependencies service → the services it depends on; keys in the project's order; every
   *     value must be a key
   * @return service → level, in the order of the keys
   * @throws IllegalArgumentException naming the cycle, or the unknown service
   */
  public static Map<String, Integer> of(Map<String, List<String>> dependencies) {
    Map<String, Integer> level = new HashMap<>();
    for (String s : dependencies.keySet()) {
      visit(s, dependencies, level, new ArrayList<>());
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String s : dependencies.keySet()) {
      out.put(s, level.get(s));
    }
    return out;
  }

  private static int visit(
      String s, Map<String, List<String>> deps, Map<String, Integer> level, List<String> path) {
    Integer known = level.get(s);
    if (known != null) {
      return known;
    }
    int at = path.indexOf(s);
    if (at >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
      cycle.add(s);
      throw new IllegalArgumentException("depends_on has a cycle: " + String.join(" -> ", cycle));
    }
    List<String> mine = deps.get(s);
    if (mine == null) {
      throw new IllegalArgumentException(
          (path.isEmpty() ? "" : path.get(path.size() - 1) + " ")
              + "depends on '"
              + s
              + "', which is not a service of the project");
    }
    path.add(s);
    int l = 0;
    for (String d : mine) {
      l = Math.max(l, visit(d, deps, level, path) + 1);
    }
    path.remove(path.size() - 1);
    level.put(s, l);
    return l;
  }
}
