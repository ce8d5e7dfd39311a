package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.internal.syntax.PortSyntax;
import io.github.scompose.spec.internal.syntax.VolumeSyntax;
import io.github.scompose.spec.internal.yaml.Loc;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an override document onto a base document.
 *
 * <p>Compose Specification ("Merge and override"): mappings merge key by key; {@code command},
 * {@code entrypoint} and {@code healthcheck.test} are replaced; {@code ports}, {@code volumes},
 * {@code secrets} and {@code configs} are unique by target (the override wins); {@code
 * environment}, {@code labels}, {@code extra_hosts}, {@code depends_on} and other "list or dict"
 * values merge by key; other sequences are appended without duplicates. singularity-compose
 * (scompose/config/__init__.py merge_config): mappings merge, lists are replaced whole. In both, a
 * value tagged {@code !reset} removes the key and {@code !override} replaces the value without
 * merging.
 */
final class Merger {

  private static final Set<String> REPLACED = Set.of("command", "entrypoint");
  private static final Set<String> BY_TARGET = Set.of("ports", "volumes", "secrets", "configs");
  private static final Set<String> BY_KEY =
      Set.of(
          "environment",
          "labels",
          "extra_hosts",
          "depends_on",
          "sysctls",
          "annotations",
          "build_args",
          "args");

  private final boolean compose;

  private Merger(boolean compose) {
    this.compose = compose;
  }

  static YMap compose(YMap base, YMap override) {
    return (YMap) new Merger(true).merge(base, override, "");
  }

  static YMap singularityCompose(YMap base, YMap override) {
    return (YMap) new Merger(false).merge(base, override, "");
  }

  /**
   * Removes {@code !reset}/{@code !override} tags (used for a document merged onto nothing). A node
   * without tags inside is returned as it is, so an untagged document is not copied.
   */
  static YNode untag(YNode node) {
    if (node instanceof YMap m) {
      LinkedHashMap<String, YNode> out = null;
      int i = 0;
      for (Map.Entry<String, YNode> e : m.entrySetView()) {
        YNode value = e.getValue();
        boolean reset = "!reset".equals(value.tag());
        YNode clean = reset ? null : untag(value);
        if (out == null && (reset || clean != value)) {
          out = new LinkedHashMap<>();
          int k = 0;
          for (Map.Entry<String, YNode> before : m.entrySetView()) {
            if (k++ == i) {
              break;
            }
            out.put(before.getKey(), before.getValue());
          }
        }
        if (out != null && !reset) {
          out.put(e.getKey(), clean);
        }
        i++;
      }
      if (out == null) {
        return m.tag() == null ? m : m.withTag(null);
      }
      return new YMap(out, m.keyLocs(), m.loc(), null);
    }
    if (node instanceof YSeq q) {
      List<YNode> items = null;
      for (int i = 0; i < q.items().size(); i++) {
        YNode item = q.items().get(i);
        YNode clean = untag(item);
        if (items == null && clean != item) {
          items = new ArrayList<>(q.items().subList(0, i));
        }
        if (items != null) {
          items.add(clean);
        }
      }
      if (items == null) {
        return q.tag() == null ? q : q.withTag(null);
      }
      return new YSeq(items, q.loc(), null);
    }
    return node.tag() == null ? node : node.withTag(null);
  }

  private YNode merge(YNode base, YNode override, String key) {
    if ("!override".equals(override.tag())) {
      return untag(override);
    }
    if (base instanceof YMap bm && override instanceof YMap om) {
      LinkedHashMap<String, YNode> out = new LinkedHashMap<>(bm.entries());
      LinkedHashMap<String, Loc> locs = new LinkedHashMap<>(bm.keyLocs());
      for (Map.Entry<String, YNode> e : om.entrySetView()) {
        String k = e.getKey();
        YNode value = e.getValue();
        if ("!reset".equals(value.tag())) {
          out.remove(k);
          locs.remove(k);
          continue;
        }
        YNode existing = out.get(k);
        out.put(k, existing == null ? untag(value) : merge(existing, value, k));
        locs.put(k, om.keyLoc(k));
      }
      return new YMap(out, locs, bm.loc(), null);
    }
    if (!compose) {
      return untag(override);
    }
    if (REPLACED.contains(key) || key.equals("test")) {
      return untag(override);
    }
    if (BY_KEY.contains(key)
        && (base instanceof YSeq || base instanceof YMap)
        && (override instanceof YSeq || override instanceof YMap)) {
      return merge(asMap(base, key), asMap(override, key), "");
    }
    if (base instanceof YSeq bs && override instanceof YSeq os) {
      if (BY_TARGET.contains(key)) {
        LinkedHashMap<String, YNode> byTarget = new LinkedHashMap<>();
        for (YNode item : bs.items()) {
          byTarget.put(target(item, key), item);
        }
        for (YNode item : os.items()) {
          byTarget.put(target(item, key), untag(item));
        }
        return new YSeq(new ArrayList<>(byTarget.values()), os.loc(), null);
      }
      List<YNode> items = new ArrayList<>(bs.items());
      Set<Object> seen = new HashSet<>(); // linear in both lists, however long
      bs.items().forEach(i -> seen.add(YNode.toPlain(i)));
      for (YNode item : os.items()) {
        if (seen.add(YNode.toPlain(item))) {
          items.add(untag(item));
        }
      }
      return new YSeq(items, os.loc(), null);
    }
    return untag(override);
  }

  /** A "list or dict" as a mapping: {@code ["K=V"]} or {@code ["name"]} (depends_on). */
  private static YNode asMap(YNode node, String key) {
    if (node instanceof YMap) {
      return node;
    }
    YSeq seq = (YSeq) node;
    LinkedHashMap<String, YNode> out = new LinkedHashMap<>();
    LinkedHashMap<String, Loc> locs = new LinkedHashMap<>();
    for (YNode item : seq.items()) {
      if (!(item instanceof YScalar s)) {
        return node;
      }
      String text = s.value();
      String k;
      YNode v;
      if (key.equals("depends_on")) {
        k = text;
        v =
            new YMap(
                Map.of(
                    "condition", new YScalar("service_started", YNode.Kind.STRING, s.loc(), null)),
                Map.of(),
                s.loc(),
                null);
      } else {
        int at = text.indexOf('=');
        if (key.equals("extra_hosts") && at < 0) {
          at = text.indexOf(':');
        }
        k = at < 0 ? text : text.substring(0, at);
        v =
            at < 0
                ? new YScalar("", YNode.Kind.NULL, s.loc(), null)
                : new YScalar(text.substring(at + 1), YNode.Kind.STRING, s.loc(), null);
      }
      out.put(k, v);
      locs.put(k, s.loc());
    }
    return new YMap(out, locs, seq.loc(), null);
  }

  private static String target(YNode item, String key) {
    if (item instanceof YMap m) {
      YNode t = m.get(key.equals("secrets") || key.equals("configs") ? "target" : "target");
      if (t == null && (key.equals("secrets") || key.equals("configs"))) {
        t = m.get("source");
      }
      return t instanceof YScalar s ? s.value() : String.valueOf(YNode.toPlain(item));
    }
    if (item instanceof YScalar s) {
      try {
        if (key.equals("volumes")) {
          return VolumeSyntax.parse(s.value()).target();
        }
        if (key.equals("ports")) {
          var ports = PortSyntax.parse(s.value());
          if (!ports.isEmpty()) {
            return ports.get(0).containerPorts().toShortForm() + "/" + ports.get(0).protocol();
          }
        }
      } catch (RuntimeException e) {
        // not parseable: keep it distinct, the binder reports it
      }
      return s.value();
    }
    return String.valueOf(YNode.toPlain(item));
  }
}
