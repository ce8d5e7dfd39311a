package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.BuildSpec;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.NetworkSpec;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.VolumeMount;
import io.github.scompose.spec.internal.syntax.PortSyntax;
import io.github.scompose.spec.internal.syntax.VolumeSyntax;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Binds one singularity-compose instance (spec 1.0/2.0) to a {@link ServiceSpec}. Keys and shapes:
 * singularity-compose spec 2.0 and the schema of singularity-compose 0.1.19
 * (scompose/config/schema.py). Unknown keys, at any depth, are warnings naming the nearest known
 * key (singularity-compose 0.1.19 ignores them, and files in the wild carry {@code
 * instances.X.name}, {@code instances.X.options}, {@code network.options}), except a near-miss of
 * {@code image} or {@code build} in an instance that has neither, which is an error.
 */
final class ScBinder {

  static final Set<String> INSTANCE_KEYS =
      ordered(
          "image",
          "build",
          "volumes",
          "volumes_from",
          "ports",
          "depends_on",
          "network",
          "start",
          "exec",
          "run",
          "post",
          "deploy",
          "command");

  private final Nodes nodes;
  private final HostPaths paths;

  ScBinder(Nodes nodes, HostPaths paths) {
    this.nodes = nodes;
    this.paths = paths;
  }

  static Set<String> ordered(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }

  Optional<ServiceSpec> bind(String name, YNode node, String path) {
    Optional<YMap> maybe = nodes.map(node, path);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    YMap m = maybe.get();
    ServiceSpec.Builder b = ServiceSpec.builder().name(name);
    boolean startable = m.get("image") != null || m.get("build") != null;
    for (String key : m.entries().keySet()) {
      if (INSTANCE_KEYS.contains(key) || key.startsWith("x-")) {
        continue;
      }
      String keyPath = Nodes.child(path, key);
      Optional<String> near = Nodes.closest(key, INSTANCE_KEYS);
      if (!startable && near.filter(k -> k.equals("image") || k.equals("build")).isPresent()) {
        // the one unknown key that matters: without it the instance has nothing to start
        nodes
            .problems()
            .error(
                m.keyLoc(key),
                keyPath,
                "\""
                    + key
                    + "\" is not a key; did you mean \""
                    + near.get()
                    + "\"? instance \""
                    + name
                    + "\" has no image or build");
      } else if (ComposeBinder.SERVICE_KEYS.contains(key)) {
        nodes
            .problems()
            .warning(
                m.keyLoc(key),
                keyPath,
                "\""
                    + key
                    + "\" is a docker-compose key that singularity-compose does not read;"
                    + " ignored");
      } else {
        // singularity-compose 0.1.19 ignores unknown keys, and files in the wild carry some
        // (instances.X.name, instances.X.options): a warning, never an error
        nodes
            .problems()
            .warning(
                m.keyLoc(key),
                keyPath,
                "unknown key \""
                    + key
                    + "\" in instance \""
                    + name
                    + "\" (ignored)"
                    + near.map(k -> "; did you mean \"" + k + "\"?")
                        .orElse("; expected one of " + String.join(", ", INSTANCE_KEYS)));
      }
    }
    YNode v;
    if ((v = m.get("image")) != null) {
      YNode imageNode = v;
      nodes.string(v, Nodes.child(path, "image")).ifPresent(i -> b.image(image(i, imageNode)));
    }
    if ((v = m.get("build")) != null) {
      build(v, Nodes.child(path, "build")).ifPresent(b::build);
    }
    if ((v = m.get("volumes")) != null) {
      String p = Nodes.child(path, "volumes");
      if (v instanceof YSeq seq) {
        int i = 0;
        for (YNode item : seq.items()) {
          String ip = p + "[" + i++ + "]";
          nodes.string(item, ip).flatMap(text -> bindMount(text, item, ip)).ifPresent(b::addVolume);
        }
      } else if (!(v instanceof YScalar s && s.isNull())) {
        nodes.wrongType(v, p, "a list of \"SOURCE:TARGET[:OPTIONS]\" strings");
      }
    }
    if ((v = m.get("volumes_from")) != null) {
      b.addAllVolumesFrom(nodes.strings(v, Nodes.child(path, "volumes_from")));
    }
    if ((v = m.get("ports")) != null) {
      String p = Nodes.child(path, "ports");
      if (v instanceof YSeq seq) {
        int i = 0;
        for (YNode item : seq.items()) {
          String ip = p + "[" + i++ + "]";
          nodes
              .string(item, ip)
              .ifPresent(
                  text -> {
                    try {
                      var parsed = PortSyntax.parse(text);
                      b.addAllPorts(parsed);
                      nodes.portsAt(name, item.loc(), parsed.size());
                    } catch (IllegalArgumentException e) {
                      nodes.problems().error(item.loc(), ip, e.getMessage());
                    }
                  });
        }
      } else if (!(v instanceof YScalar s && s.isNull())) {
        nodes.wrongType(v, p, "a list of \"HOST:CONTAINER\" strings");
      }
    }
    if ((v = m.get("depends_on")) != null) {
      nodes
          .strings(v, Nodes.child(path, "depends_on"))
          .forEach(d -> b.addDependsOn(DependsOn.on(d)));
    }
    if ((v = m.get("network")) != null) {
      String p = Nodes.child(path, "network");
      nodes
          .map(v, p)
          .ifPresent(
              net -> {
                nodes.unknownKeys(
                    net, p, ordered("enable", "allocate_ip", "type"), false, "network");
                NetworkSpec.Builder nb = NetworkSpec.builder();
                YNode x;
                if ((x = net.get("enable")) != null) {
                  nodes.bool(x, Nodes.child(p, "enable")).ifPresent(nb::enable);
                }
                if ((x = net.get("allocate_ip")) != null) {
                  nodes.bool(x, Nodes.child(p, "allocate_ip")).ifPresent(nb::allocateIp);
                }
                if ((x = net.get("type")) != null) {
                  nodes.string(x, Nodes.child(p, "type")).ifPresent(nb::type);
                }
                b.network(nb.build());
              });
    }
    if ((v = m.get("start")) != null) {
      invocation(v, Nodes.child(path, "start"), ordered("options", "args", "background"), "args")
          .ifPresent(b::start);
    }
    if ((v = m.get("command")) != null && m.get("start") == null) {
      YNode c = v;
      nodes
          .string(c, Nodes.child(path, "command"))
          .ifPresent(
              text -> b.start(Invocation.builder().addArg(text).argsAsOneString(true).build()));
    }
    if ((v = m.get("exec")) != null) {
      String p = Nodes.child(path, "exec");
      Optional<Invocation> exec = invocation(v, p, ordered("options", "command"), "command");
      if (v instanceof YMap em && em.get("command") == null) {
        nodes.problems().error(v.loc(), p, "exec needs a \"command\"");
      }
      exec.ifPresent(b::exec);
    }
    if ((v = m.get("run")) != null) {
      String p = Nodes.child(path, "run");
      if (v instanceof YSeq seq) {
        b.run(Invocation.builder().addAllArgs(nodes.strings(seq, p)).build());
      } else {
        invocation(v, p, ordered("options", "args", "background"), "args").ifPresent(b::run);
      }
    }
    if ((v = m.get("post")) != null) {
      String p = Nodes.child(path, "post");
      nodes
          .map(v, p)
          .ifPresent(
              post -> {
                nodes.unknownKeys(post, p, ordered("command", "commands"), false, "post");
                YNode c;
                if ((c = post.get("command")) != null) {
                  argsOf(c, Nodes.child(p, "command")).ifPresent(b::addPost);
                }
                if ((c = post.get("commands")) != null) {
                  for (String cmd : nodes.strings(c, Nodes.child(p, "commands"))) {
                    b.addPost(Invocation.builder().addArg(cmd).argsAsOneString(true).build());
                  }
                }
              });
    }
    if ((v = m.get("deploy")) != null) {
      String p = Nodes.child(path, "deploy");
      nodes
          .map(v, p)
          .ifPresent(
              deploy -> {
                nodes.unknownKeys(deploy, p, ordered("replicas"), false, "deploy");
                YNode r = deploy.get("replicas");
                if (r != null) {
                  String rp = Nodes.child(p, "replicas");
                  nodes
                      .integer(r, rp)
                      .ifPresent(
                          n -> {
                            if (n < 1) {
                              nodes
                                  .problems()
                                  .error(r.loc(), rp, "replicas must be at least 1, found " + n);
                            } else {
                              b.replicas(n);
                            }
                          });
                }
              });
    }
    // built even after errors in its fields (what could be read), so that the project checks
    // (depends_on, cycles, host ports) report their problems too; the load fails anyway
    try {
      return Optional.of(b.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      nodes.problems().error(m.loc(), path, e.getMessage());
      return Optional.empty();
    }
  }

  private String image(String image, YNode node) {
    if (image.contains("://")) {
      return image;
    }
    return paths.resolve(image, node.loc().baseDir());
  }

  private Optional<BuildSpec> build(YNode v, String p) {
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    YMap build = maybe.get();
    nodes.unknownKeys(build, p, ordered("context", "recipe", "options"), false, "build");
    YNode context = build.get("context");
    if (context == null) {
      nodes.problems().error(build.loc(), p, "build needs a \"context\" (the folder to build in)");
      return Optional.empty();
    }
    BuildSpec.Builder bb = BuildSpec.builder();
    Optional<String> ctx = nodes.string(context, Nodes.child(p, "context"));
    if (ctx.isEmpty()) {
      return Optional.empty();
    }
    bb.context(paths.resolvePath(ctx.get(), context.loc().baseDir()));
    YNode x;
    if ((x = build.get("recipe")) != null) {
      nodes.string(x, Nodes.child(p, "recipe")).ifPresent(bb::recipe);
    }
    if ((x = build.get("options")) != null) {
      bb.addAllOptions(nodes.options(x, Nodes.child(p, "options")));
    }
    return Optional.of(bb.build());
  }

  /** A singularity-compose volume: always a bind; a bare target binds the same host path. */
  private Optional<VolumeMount> bindMount(String text, YNode node, String path) {
    String spec = text;
    int colon = text.indexOf(':');
    String source = colon < 0 ? text : text.substring(0, colon);
    if (colon < 0) {
      spec = text + ":" + text;
    } else if (!source.startsWith("/") && !source.startsWith(".") && !source.startsWith("~")) {
      spec = "./" + text;
    }
    VolumeMount mount;
    try {
      mount = VolumeSyntax.parse(spec);
    } catch (IllegalArgumentException e) {
      nodes.problems().error(node.loc(), path, e.getMessage());
      return Optional.empty();
    }
    String resolved = paths.resolve(mount.source().orElse(mount.target()), node.loc().baseDir());
    return Optional.of(
        VolumeMount.builder().from(mount).type(VolumeMount.Type.BIND).source(resolved).build());
  }

  private Optional<Invocation> invocation(YNode v, String p, Set<String> keys, String argsKey) {
    Optional<YMap> maybe = nodes.map(v, p);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    YMap m = maybe.get();
    nodes.unknownKeys(m, p, keys, false, p.substring(p.lastIndexOf('.') + 1));
    Invocation.Builder ib = Invocation.builder();
    YNode x;
    if ((x = m.get("options")) != null) {
      ib.addAllOptions(nodes.options(x, Nodes.child(p, "options")));
    }
    if ((x = m.get(argsKey)) != null) {
      argsOf(x, Nodes.child(p, argsKey))
          .ifPresent(a -> ib.addAllArgs(a.args()).argsAsOneString(a.argsAsOneString()));
    }
    if ((x = m.get("background")) != null) {
      nodes.bool(x, Nodes.child(p, "background")).ifPresent(ib::background);
    }
    return Optional.of(ib.build());
  }

  /** Arguments: a string (kept as one) or a list of strings. */
  private Optional<Invocation> argsOf(YNode x, String p) {
    if (x instanceof YScalar s && !s.isNull()) {
      return Optional.of(Invocation.builder().addArg(s.value()).argsAsOneString(true).build());
    }
    if (x instanceof YSeq) {
      return Optional.of(Invocation.builder().addAllArgs(nodes.strings(x, p)).build());
    }
    if (x instanceof YScalar s && s.isNull()) {
      return Optional.of(Invocation.empty());
    }
    if (x instanceof YMap empty && empty.entries().isEmpty()) {
      // "args: {}": singularity-compose 0.1.19 runs it with no arguments (recorded), though its
      // schema wants a string or a list
      nodes
          .problems()
          .warning(
              x.loc(),
              p,
              "an empty mapping is read as no arguments; write a string or a list of strings");
      return Optional.of(Invocation.empty());
    }
    nodes.wrongType(x, p, "a string or a list of strings");
    return Optional.empty();
  }
}
