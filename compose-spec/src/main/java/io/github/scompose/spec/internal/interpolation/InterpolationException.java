package io.github.scompose.spec.internal.interpolation;

import java.util.Optional;

/**
 * A value could not be interpolated: a malformed expression (unterminated <code>${</code>, a bad
 * variable name, an unsupported operator such as {@code ${VAR/a/b}}) or a required variable ({@code
 * ${VAR:?message}}, {@code ${VAR?message}}) without a value.
 *
 * <p>The message says what is wrong and never holds a variable's value.
 */
public final class InterpolationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String variable;
  private final int offset;

  /**
   * @param variable the variable involved, or {@code null} for a syntax error without one
   * @param offset index (UTF-16 char) in the interpolated text where the expression starts
   * @param message what is wrong
   */
  public InterpolationException(String variable, int offset, String message) {
    super(message);
    this.variable = variable;
    this.offset = offset;
  }

  /** The variable involved; empty for syntax errors that name none. */
  public Optional<String> variable() {
    return Optional.ofNullable(variable);
  }

  /** Index (UTF-16 char, 0-based) in the interpolated text where the faulty expression starts. */
  public int offset() {
    return offset;
  }
}
