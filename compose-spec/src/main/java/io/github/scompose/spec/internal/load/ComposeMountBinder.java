package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.SecretReference;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.VolumeMount;
import io.github.scompose.spec.internal.syntax.VolumeSyntax;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The mounts of one Compose Specification service: {@code volumes} (short and long form; an
 * undeclared named volume becomes a bind of the project's folder of that name, as singularity-stack
 * does, with a warning) and {@code secrets} (each must be declared at the top level). Part of
 * {@link ComposeBinder}.
 */
final class ComposeMountBinder {

  private final Nodes nodes;
  private final HostPaths paths;
  private final Set<String> declaredVolumes;
  private final Set<String> declaredSecrets;

  ComposeMountBinder(
      Nodes nodes, HostPaths paths, Set<String> declaredVolumes, Set<String> declaredSecrets) {
    this.nodes = nodes;
    this.paths = paths;
    this.declaredVolumes = declaredVolumes;
    this.declaredSecrets = declaredSecrets;
  }

  void volumes(YNode v, String p, ServiceSpec.Builder b) {
    if (!(v instanceof YSeq seq)) {
      nodes.wrongType(v, p, "a list of volumes");
      return;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      String ip = p + "[" + i++ + "]";
      try {
        VolumeMount mount;
        if (item instanceof YScalar s && !s.isNull()) {
          mount = VolumeSyntax.parse(s.value());
        } else if (item instanceof YMap vm) {
          Optional<VolumeMount> longForm = longVolume(vm, ip);
          if (longForm.isEmpty()) {
            continue;
          }
          mount = longForm.get();
        } else {
          nodes.wrongType(item, ip, "a volume (\"SOURCE:TARGET[:MODE]\" or a mapping)");
          continue;
        }
        if (mount.type() == VolumeMount.Type.BIND) {
          mount =
              mount.withSource(paths.resolve(mount.source().orElseThrow(), item.loc().baseDir()));
        } else if (mount.type() == VolumeMount.Type.VOLUME
            && mount.source().isPresent()
            && !declaredVolumes.contains(mount.source().get())) {
          // singularity-stack binds an undeclared named volume from the folder of that name in
          // the project directory; docker compose rejects it. Files written for
          // singularity-stack must run: a bind, created at up when missing, and a warning.
          String name = mount.source().get();
          String source = paths.resolve("./" + name, item.loc().baseDir());
          nodes
              .problems()
              .warning(
                  item.loc(),
                  ip,
                  "volume \""
                      + name
                      + "\" is not defined under the top-level volumes; bound from the folder "
                      + source
                      + " (created at up if missing), as singularity-stack does (docker compose"
                      + " rejects it)");
          mount =
              VolumeMount.builder()
                  .from(mount)
                  .type(VolumeMount.Type.BIND)
                  .source(source)
                  .createHostPath(true)
                  .build();
        }
        b.addVolume(mount);
      } catch (IllegalArgumentException | IllegalStateException e) {
        nodes.problems().error(item.loc(), ip, e.getMessage());
      }
    }
  }

  private Optional<VolumeMount> longVolume(YMap vm, String ip) {
    nodes.unknownKeys(
        vm,
        ip,
        ScBinder.ordered(
            "type",
            "source",
            "target",
            "read_only",
            "consistency",
            "bind",
            "volume",
            "tmpfs",
            "image"),
        true,
        "a volume");
    YNode typeNode = vm.get("type");
    YNode target = vm.get("target");
    if (typeNode == null || target == null) {
      nodes.problems().error(vm.loc(), ip, "a volume in long form needs \"type\" and \"target\"");
      return Optional.empty();
    }
    Optional<String> type = nodes.string(typeNode, Nodes.child(ip, "type"));
    Optional<String> tgt = nodes.string(target, Nodes.child(ip, "target"));
    if (type.isEmpty() || tgt.isEmpty()) {
      return Optional.empty();
    }
    VolumeMount.Type t;
    switch (type.get()) {
      case "bind" -> t = VolumeMount.Type.BIND;
      case "volume" -> t = VolumeMount.Type.VOLUME;
      case "tmpfs" -> t = VolumeMount.Type.TMPFS;
      default -> {
        nodes
            .problems()
            .error(
                typeNode.loc(),
                Nodes.child(ip, "type"),
                "volume type \""
                    + type.get()
                    + "\" is not supported; expected bind, volume or tmpfs");
        return Optional.empty();
      }
    }
    VolumeMount.Builder vb = VolumeMount.builder().type(t).target(tgt.get());
    YNode x;
    if ((x = vm.get("source")) != null) {
      nodes.string(x, Nodes.child(ip, "source")).ifPresent(vb::source);
    }
    if ((x = vm.get("read_only")) != null) {
      nodes.bool(x, Nodes.child(ip, "read_only")).ifPresent(vb::readOnly);
    }
    if ((x = vm.get("bind")) instanceof YMap bm && bm.get("create_host_path") != null) {
      nodes
          .bool(bm.get("create_host_path"), Nodes.child(ip, "bind.create_host_path"))
          .ifPresent(vb::createHostPath);
    }
    if ((x = vm.get("tmpfs")) instanceof YMap tm && tm.get("size") != null) {
      nodes
          .string(tm.get("size"), Nodes.child(ip, "tmpfs.size"))
          .ifPresent(s -> vb.tmpfsSize(bytes(s)));
    }
    return Optional.of(vb.build());
  }

  static long bytes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long factor = 1;
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    if (!t.isEmpty()) {
      char unit = t.charAt(t.length() - 1);
      int shift = "kmg".indexOf(unit);
      if (shift >= 0) {
        factor = 1L << (10 * (shift + 1));
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      return Long.parseLong(t) * factor;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "size \"" + text + "\" is not a number of bytes (e.g. 1048576, 512k, 64m, 1g)");
    }
  }

  void secrets(YNode v, String p, ServiceSpec.Builder b) {
    if (!(v instanceof YSeq seq)) {
      nodes.wrongType(v, p, "a list of secrets");
      return;
    }
    int i = 0;
    for (YNode item : seq.items()) {
      String ip = p + "[" + i++ + "]";
      SecretReference.Builder sb = SecretReference.builder();
      String source;
      if (item instanceof YMap sm) {
        nodes.unknownKeys(
            sm, ip, ScBinder.ordered("source", "target", "uid", "gid", "mode"), true, "a secret");
        YNode s = sm.get("source");
        if (s == null) {
          nodes.problems().error(item.loc(), ip, "secret needs a \"source\"");
          continue;
        }
        Optional<String> src = nodes.string(s, Nodes.child(ip, "source"));
        if (src.isEmpty()) {
          continue;
        }
        source = src.get();
        YNode x;
        if ((x = sm.get("target")) != null) {
          nodes.string(x, Nodes.child(ip, "target")).ifPresent(sb::target);
        }
        if ((x = sm.get("mode")) != null) {
          nodes.string(x, Nodes.child(ip, "mode")).ifPresent(sb::mode);
        }
      } else {
        Optional<String> src = nodes.string(item, ip);
        if (src.isEmpty()) {
          continue;
        }
        source = src.get();
      }
      if (!declaredSecrets.contains(source)) {
        nodes
            .problems()
            .error(
                item.loc(),
                ip,
                "secret \"" + source + "\" is not defined under the top-level secrets");
        continue;
      }
      b.addSecret(sb.source(source).build());
    }
  }
}
