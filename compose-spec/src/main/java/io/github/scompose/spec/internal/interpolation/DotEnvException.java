package io.github.scompose.spec.internal.interpolation;

/**
 * A {@code .env} / {@code env_file} text is malformed: a bad key, a missing {@code =}, an
 * unterminated quote, text after a closing quote, or a failed interpolation in a value.
 *
 * <p>{@link #getMessage()} is {@code "line N: <reason>"}; the message never holds a value.
 */
public final class DotEnvException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final String reason;

  /**
   * @param line 1-based line where the faulty statement starts
   * @param reason what is wrong
   */
  public DotEnvException(int line, String reason) {
    super("line " + line + ": " + reason);
    this.line = line;
    this.reason = reason;
  }

  /** 1-based line where the faulty statement starts. */
  public int line() {
    return line;
  }

  /** What is wrong, without the line number. */
  public String reason() {
    return reason;
  }
}
