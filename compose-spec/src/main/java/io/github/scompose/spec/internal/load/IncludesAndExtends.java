package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.internal.load.ProjectLoading.Doc;
import io.github.scompose.spec.internal.yaml.Loc;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import io.github.scompose.spec.internal.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the Compose Specification's {@code include} (other files' services, volumes, networks,
 * secrets and configs, added to the including file's) and {@code extends} (a service built on
 * another, in the same file or another) to one document of a {@link ProjectLoading}. Referenced
 * files are read through the loading, once each; each service's extends chain is resolved once.
 */
final class IncludesAndExtends {

  /** Deepest chain of included files (a file including one that includes another …). */
  static final int MAX_INCLUDE_DEPTH = YamlReader.MAX_DEPTH;

  private final ProjectLoading loading;
  private final Problems problems;
  private final Nodes nodes;
  private final HostPaths paths;

  /** Services with their extends applied, per document root (by identity): each resolved once. */
  private final Map<YMap, Map<String, YNode>> resolvedServices = new IdentityHashMap<>();

  IncludesAndExtends(ProjectLoading loading, Nodes nodes, HostPaths paths) {
    this.loading = loading;
    this.problems = nodes.problems();
    this.nodes = nodes;
    this.paths = paths;
  }

  // ---- include (Compose Specification: "include") ----

  YMap applyIncludes(Doc doc, List<String> stack) {
    YMap root = doc.root();
    YNode include = root.get("include");
    if (include == null) {
      return root;
    }
    root = root.without("include");
    if (!(include instanceof YSeq seq)) {
      nodes.wrongType(include, "include", "a list of files to include");
      return root;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      String ip = "include[" + i++ + "]";
      List<String> files = new ArrayList<>();
      Path projectDir = null;
      if (item instanceof YMap im) {
        nodes.unknownKeys(
            im, ip, ScBinder.ordered("path", "project_directory", "env_file"), true, "include");
        YNode p = im.get("path");
        if (p == null) {
          problems.error(item.loc(), ip, "include needs a \"path\"");
          continue;
        }
        files.addAll(nodes.stringOrList(p, Nodes.child(ip, "path")));
        YNode pd = im.get("project_directory");
        if (pd != null) {
          Optional<String> pdText = nodes.string(pd, Nodes.child(ip, "project_directory"));
          if (pdText.isPresent()) {
            projectDir = paths.resolvePath(pdText.get(), doc.baseDir());
          }
        }
      } else {
        nodes.string(item, ip).ifPresent(files::add);
      }
      YMap included = null;
      for (String f : files) {
        Path file = paths.resolvePath(f, doc.baseDir());
        String k = file.toAbsolutePath().normalize().toString();
        if (stack.contains(k)) {
          List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(k), stack.size()));
          cycle.add(k);
          problems.error(
              item.loc(),
              ip,
              "include cycle: "
                  + String.join(
                      " -> ", cycle.stream().map(c -> loading.labelOf(Path.of(c))).toList()));
          continue;
        }
        if (stack.size() >= MAX_INCLUDE_DEPTH) {
          // each level recurses once: bounded like the nesting inside one document
          problems.error(
              item.loc(),
              ip,
              "includes nest more than "
                  + MAX_INCLUDE_DEPTH
                  + " files deep; the limit is "
                  + MAX_INCLUDE_DEPTH);
          continue;
        }
        Path base = projectDir != null ? projectDir : file.toAbsolutePath().getParent();
        Optional<Doc> sub = loading.referenced(file, base, item.loc(), ip);
        if (sub.isEmpty()) {
          continue;
        }
        List<String> deeper = new ArrayList<>(stack);
        deeper.add(k);
        YMap subRoot = applyIncludes(sub.get(), deeper);
        Doc subDoc =
            new Doc(sub.get().label(), sub.get().file(), base, subRoot, sub.get().format(), true);
        subRoot = applyExtends(subDoc);
        included = included == null ? subRoot : Merger.compose(included, subRoot);
      }
      if (included != null) {
        root = addIncluded(root, included, item.loc(), ip);
      }
    }
    return root;
  }

  private YMap addIncluded(YMap root, YMap included, Loc loc, String path) {
    for (String section : List.of("services", "volumes", "networks", "secrets", "configs")) {
      if (!(included.get(section) instanceof YMap add)) {
        continue;
      }
      YMap existing =
          root.get(section) instanceof YMap m ? m : new YMap(Map.of(), Map.of(), loc, null);
      LinkedHashMap<String, YNode> entries = new LinkedHashMap<>(existing.entries());
      LinkedHashMap<String, Loc> keyLocs = new LinkedHashMap<>(existing.keyLocs());
      for (Map.Entry<String, YNode> e : add.entrySetView()) {
        if (entries.get(e.getKey()) != null) {
          if (section.equals("services")) {
            problems.error(
                loc,
                path,
                "service \""
                    + e.getKey()
                    + "\" is defined both by the included file and by the including file");
          }
          continue;
        }
        entries.put(e.getKey(), e.getValue());
        keyLocs.putIfAbsent(e.getKey(), add.keyLoc(e.getKey()));
      }
      root = root.with(section, new YMap(entries, keyLocs, existing.loc(), existing.tag()), loc);
    }
    return root;
  }

  // ---- extends (Compose Specification: "extends") ----

  YMap applyExtends(Doc doc) {
    if (!(doc.root().get("services") instanceof YMap services)) {
      return doc.root();
    }
    LinkedHashMap<String, YNode> out = null;
    for (String name : services.entries().keySet()) {
      if (services.get(name) instanceof YMap s && s.get("extends") != null) {
        if (out == null) {
          out = new LinkedHashMap<>(services.entries());
        }
        out.put(name, resolve(doc, name));
      }
    }
    if (out == null) {
      return doc.root();
    }
    YMap resolved = new YMap(out, services.keyLocs(), services.loc(), services.tag());
    return doc.root().with("services", resolved, doc.root().keyLoc("services"));
  }

  /** One link of an extends chain: a service (its definition without extends) and where it is. */
  private record Link(YMap root, String name, YMap without) {}

  /**
   * {@code name} of {@code doc} with its extends chain applied (Compose Specification "extends"):
   * the chain is followed iteratively to its base, then merged from the base up, so a chain of any
   * length needs no recursion; each service's result is kept, so every link is resolved once. On an
   * error (cycle, missing service, unreadable file) the chain stops at the link where it is found.
   */
  private YNode resolve(Doc doc, String name) {
    List<Link> links = new ArrayList<>();
    List<String> chain = new ArrayList<>();
    Map<String, Integer> inChain = new HashMap<>();
    Doc at = doc;
    String atName = name;
    YNode base;
    while (true) {
      YMap services = (YMap) at.root().get("services");
      YNode known = resolvedServices.getOrDefault(at.root(), Map.of()).get(atName);
      if (known != null) {
        base = known;
        break;
      }
      YNode node = services.get(atName);
      if (!(node instanceof YMap service) || service.get("extends") == null) {
        base = node;
        if (!links.isEmpty() && !(node instanceof YMap)) {
          nodes.wrongType(node, "services." + atName, "a mapping (the service's definition)");
          base = links.remove(links.size() - 1).without();
        }
        break;
      }
      String path = "services." + atName + ".extends";
      String self = ProjectLoading.key(at) + "#" + atName;
      YNode ext = service.get("extends");
      YMap without = service.without("extends");
      Integer seen = inChain.get(self);
      if (seen != null) {
        List<String> cycle = new ArrayList<>();
        for (String c : chain.subList(seen, chain.size())) {
          cycle.add(c.substring(c.lastIndexOf('#') + 1));
        }
        cycle.add(atName);
        problems.error(ext.loc(), path, "extends cycle: " + ProjectChecks.cycleText(cycle));
        base = without;
        break;
      }
      Optional<Doc> next = extendsTarget(at, ext, path);
      String baseName = next.isEmpty() ? null : extendsName(ext);
      if (next.isEmpty()
          || !(next.get().root().get("services") instanceof YMap baseServices)
          || baseServices.get(baseName) == null) {
        if (next.isPresent()) {
          problems.error(
              ext.loc(),
              path,
              "extends: service \"" + baseName + "\" is not defined in " + next.get().label());
        }
        base = without;
        break;
      }
      inChain.put(self, chain.size());
      chain.add(self);
      links.add(new Link(at.root(), atName, without));
      at = next.get();
      atName = baseName;
    }
    YNode result = base;
    for (int i = links.size() - 1; i >= 0; i--) {
      Link link = links.get(i);
      result = Merger.compose(((YMap) result).without("extends"), link.without());
      resolvedServices.computeIfAbsent(link.root(), r -> new HashMap<>()).put(link.name(), result);
    }
    return result;
  }

  /** The service name of an extends value already checked by {@link #extendsTarget}. */
  private static String extendsName(YNode ext) {
    return ext instanceof YScalar s ? s.value() : ((YScalar) ((YMap) ext).get("service")).value();
  }

  /**
   * The document an extends value points into (the same one for a service name alone), or empty
   * after reporting why it cannot be followed.
   */
  private Optional<Doc> extendsTarget(Doc doc, YNode ext, String path) {
    if (ext instanceof YScalar s && !s.isNull()) {
      return Optional.of(doc);
    }
    if (!(ext instanceof YMap em)) {
      nodes.wrongType(ext, path, "a service name or a mapping with \"service\" and \"file\"");
      return Optional.empty();
    }
    nodes.unknownKeys(em, path, ScBinder.ordered("service", "file"), true, "extends");
    if (em.get("service") == null) {
      problems.error(ext.loc(), path, "extends needs a \"service\"");
      return Optional.empty();
    }
    if (nodes.string(em.get("service"), path + ".service").isEmpty()) {
      return Optional.empty();
    }
    if (em.get("file") == null) {
      return Optional.of(doc);
    }
    Optional<String> f = nodes.string(em.get("file"), path + ".file");
    if (f.isEmpty()) {
      return Optional.empty();
    }
    Path file = paths.resolvePath(f.get(), ext.loc().baseDir());
    return loading.referenced(
        file, file.toAbsolutePath().getParent(), em.keyLoc("file"), path + ".file");
  }
}
