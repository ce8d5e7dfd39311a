package io.github.scompose.core.internal.plan;

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
      walk(s, dependencies, level);
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String s : dependencies.keySet()) {
      out.put(s, level.get(s));
    }
    return out;
  }

  /**
   * Depth-first from {@code root}, iterative (an explicit path, so a chain of any length needs no
   * recursion), each service and dependency visited once: levels of everything reachable.
   */
  private static void walk(
      String root, Map<String, List<String>> deps, Map<String, Integer> level) {
    if (level.containsKey(root)) {
      return;
    }
    List<String> path = new ArrayList<>();
    List<int[]> state = new ArrayList<>(); // per path entry: {next dependency index, level so far}
    Map<String, Integer> onPath = new HashMap<>();
    path.add(root);
    state.add(new int[] {0, 0});
    onPath.put(root, 0);
    while (!path.isEmpty()) {
      int top = path.size() - 1;
      String s = path.get(top);
      int[] st = state.get(top);
      List<String> mine = deps.get(s);
      if (st[0] == mine.size()) {
        path.remove(top);
        state.remove(top);
        onPath.remove(s);
        level.put(s, st[1]);
        if (top > 0) {
          int[] parent = state.get(top - 1);
          parent[1] = Math.max(parent[1], st[1] + 1);
        }
        continue;
      }
      String d = mine.get(st[0]++);
      Integer known = level.get(d);
      if (known != null) {
        st[1] = Math.max(st[1], known + 1);
        continue;
      }
      Integer at = onPath.get(d);
      if (at != null) {
        List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
        cycle.add(d);
        throw new IllegalArgumentException("depends_on has a cycle: " + String.join(" -> ", cycle));
      }
      if (deps.get(d) == null) {
        throw new IllegalArgumentException(
            s + " depends on '" + d + "', which is not a service of the project");
      }
      onPath.put(d, path.size());
      path.add(d);
      state.add(new int[] {0, 0});
    }
  }
}
