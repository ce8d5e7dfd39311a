package io.github.scompose.spec.internal.load;

import java.nio.file.Path;

/** Host path resolution: {@code ~} expansion and relative paths against a base directory. */
final class HostPaths {

  private final Path home;

  HostPaths(Path home) {
    this.home = home;
  }

  /** {@code ~} and {@code ~/x} expanded; relative paths resolved against {@code base}. */
  String resolve(String path, Path base) {
    String p = path;
    if (p.equals("~")) {
      return home.toString();
    }
    if (p.startsWith("~/")) {
      return home.resolve(p.substring(2)).normalize().toString();
    }
    Path asPath = Path.of(p);
    if (asPath.isAbsolute()) {
      return asPath.normalize().toString();
    }
    return base.resolve(asPath).normalize().toString();
  }

  Path resolvePath(String path, Path base) {
    return Path.of(resolve(path, base));
  }
}
