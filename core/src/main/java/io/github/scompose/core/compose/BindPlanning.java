package io.github.scompose.core.compose;

import io.github.scompose.core.client.Bind;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.SecretReference;
import io.github.scompose.spec.SecretSpec;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.VolumeMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The binds of {@link UpPlanner}: {@code volumes} (binds, named volumes, {@code volumes_from}), the
 * hosts/resolver files, and secrets (owner-only files bound read-only).
 */
final class BindPlanning {

  private BindPlanning() {}

  static List<Bind> binds(
      ServiceSpec s, String instance, Path state, Set<Path> dirs, Set<Path> hostPaths) {
    List<Bind> out = new ArrayList<>();
    int anonymous = 0;
    for (VolumeMount v : s.volumes()) {
      String source;
      switch (v.type()) {
        case BIND -> {
          source = trimSlash(v.source().orElseThrow());
          if (v.createHostPath() && source.startsWith("/")) {
            hostPaths.add(Path.of(source));
          }
        }
        case VOLUME -> {
          Path dir =
              v.source().isPresent()
                  ? state.resolve("volumes").resolve(v.source().get())
                  : state
                      .resolve("volumes")
                      .resolve("_anonymous")
                      .resolve(instance)
                      .resolve(Integer.toString(++anonymous));
          dirs.add(dir);
          source = dir.toString();
        }
        default -> {
          continue; // tmpfs: see scratch()
        }
      }
      out.add(
          Bind.builder()
              .source(source)
              .destination(trimSlash(v.target()))
              .readOnly(v.readOnly())
              .build());
    }
    return out;
  }

  static String trimSlash(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  static Bind secretBind(ComposeProject project, ServiceSpec s, SecretReference ref) {
    SecretSpec secret =
        project.secrets().stream()
            .filter(x -> x.name().equals(ref.source()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "service '" + s.name() + "' uses undefined secret '" + ref.source() + "'"));
    Path file =
        secret
            .file()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "secret '"
                            + secret.name()
                            + "' has no file; only file secrets can be bound into instances"));
    return Bind.builder()
        .source(file.toString())
        .destination(ref.mountPath())
        .readOnly(true)
        .build();
  }
}
