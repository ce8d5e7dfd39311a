package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.Problem;
import io.github.scompose.spec.internal.yaml.Loc;
import io.github.scompose.spec.internal.yaml.YamlReader;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one load. */
final class Problems implements YamlReader.Diagnostics {

  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  @Override
  public void error(Loc loc, String path, String message) {
    errors.add(Problem.error(loc.file(), loc.line(), loc.column(), path, message));
  }

  void warning(Loc loc, String path, String message) {
    Problem p = Problem.warning(loc.file(), loc.line(), loc.column(), path, message);
    if (!warnings.contains(p)) {
      warnings.add(p);
    }
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  int errorCount() {
    return errors.size();
  }

  List<Problem> errors() {
    return errors;
  }

  List<Problem> warnings() {
    return warnings;
  }

  /** Errors first, then warnings. */
  List<Problem> all() {
    List<Problem> out = new ArrayList<>(errors);
    out.addAll(warnings);
    return out;
  }
}
