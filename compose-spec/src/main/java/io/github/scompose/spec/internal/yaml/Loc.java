package io.github.scompose.spec.internal.yaml;

import java.nio.file.Path;

/**
 * Where a node comes from: the file's label, the directory relative paths in it resolve against,
 * and the 1-based line and column (0 when unknown).
 */
public record Loc(String file, Path baseDir, int line, int column) {

  /** A location for the whole file. */
  public static Loc ofFile(String file, Path baseDir) {
    return new Loc(file, baseDir, 0, 0);
  }
}
