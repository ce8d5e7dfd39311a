package io.github.scompose.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ComposeLoader} when compose files cannot be loaded: it carries <em>every</em>
 * error found (YAML syntax, duplicate keys, wrong types, unknown keys, invalid names, unknown or
 * cyclic {@code depends_on}, bad ports, unreadable files, YAML safety limits …), each located by
 * file, line, column and key path. Warnings found in the same run are included too, after the
 * errors, so nothing is lost.
 *
 * <p>Unchecked, so that scripts (jshell) and tests stay short; it is the only exception type the
 * loader throws for bad input.
 */
public final class ComposeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  /**
   * @param problems the problems found, at least one of them an error
   */
  public ComposeException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  /** All problems, errors first, in the order found. */
  public List<Problem> problems() {
    return problems;
  }

  /** Only the {@link Problem.Severity#ERROR errors}. */
  public List<Problem> errors() {
    return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
  }

  private static String describe(List<Problem> problems) {
    long errors = problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
    return errors
        + (errors == 1 ? " error" : " errors")
        + " in compose file:\n"
        + problems.stream()
            .map(p -> "  " + p.severity().name().toLowerCase() + ": " + p)
            .collect(Collectors.joining("\n"));
  }
}
