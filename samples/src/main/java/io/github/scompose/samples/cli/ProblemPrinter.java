package io.github.scompose.samples.cli;

import io.github.scompose.spec.Problem;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints compose problems one per line: errors as {@code file:line:col: key.path: message} (the
 * {@link Problem#toString()} form, like compilers print), warnings as {@code file:line:col:
 * key.path: warning: message}.
 */
final class ProblemPrinter {

  private ProblemPrinter() {}

  static void print(List<Problem> problems, PrintWriter err) {
    problems.stream()
        .filter(p -> p.severity() == Problem.Severity.ERROR)
        .forEach(p -> err.println(p.toString()));
    problems.stream()
        .filter(p -> p.severity() == Problem.Severity.WARNING)
        .forEach(p -> err.println(warning(p)));
  }

  static String warning(Problem p) {
    StringBuilder out = new StringBuilder(p.file());
    if (p.line() > 0) {
      out.append(':').append(p.line()).append(':').append(p.column());
    }
    out.append(": ");
    if (!p.path().isEmpty()) {
      out.append(p.path()).append(": ");
    }
    return out.append("warning: ").append(p.message()).toString();
  }
}
