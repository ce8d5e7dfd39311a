package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * One problem found while loading compose files: where it is and what was expected.
 *
 * <p>Shape: {@link #file()} (the path or the name given to the loader), {@link #line()} and {@link
 * #column()} (1-based; {@code 0} when the problem concerns the whole file or project, e.g. a
 * dependency cycle found after merging), {@link #path()} (the key path inside the document, e.g.
 * {@code instances.web.ports[1]}; list indexes are 0-based; empty for the document root), {@link
 * #message()} and {@link #severity()}.
 *
 * <p>{@link Severity#ERROR} problems make {@link ComposeLoader} throw a {@link ComposeException}
 * carrying all of them; {@link Severity#WARNING} problems travel in {@link
 * ComposeProject#warnings()}.
 */
@Value.Immutable
@ValueStyle
public abstract class Problem implements WithProblem {

  /** How bad a problem is. */
  public enum Severity {
    /** The file cannot be loaded. */
    ERROR,
    /** The file loads; something in it is ignored or may not do what the author meant. */
    WARNING
  }

  /** The file the problem is in: the path given to the loader, or the name of a string source. */
  public abstract String file();

  /** 1-based line, {@code 0} when unknown or not tied to one place. */
  public abstract int line();

  /** 1-based column, {@code 0} when unknown. */
  public abstract int column();

  /** Key path such as {@code services.web.ports[0]}; empty for the whole document. */
  public abstract String path();

  /** What is wrong and what was expected, e.g. {@code port 70000 is outside 1..65535}. */
  public abstract String message();

  /** Error or warning. */
  public abstract Severity severity();

  /** An error at a place. */
  public static Problem error(String file, int line, int column, String path, String message) {
    return Problem.builder()
        .file(file)
        .line(line)
        .column(column)
        .path(path)
        .message(message)
        .severity(Severity.ERROR)
        .build();
  }

  /** A warning at a place. */
  public static Problem warning(String file, int line, int column, String path, String message) {
    return Problem.builder()
        .file(file)
        .line(line)
        .column(column)
        .path(path)
        .message(message)
        .severity(Severity.WARNING)
        .build();
  }

  /** {@code file:line:column: path: message} (line and column left out when 0). */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(file());
    if (line() > 0) {
      out.append(':').append(line()).append(':').append(column());
    }
    out.append(": ");
    if (!path().isEmpty()) {
      out.append(path()).append(": ");
    }
    return out.append(message()).toString();
  }

  /**
   * A new, empty builder of {@link Problem}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link Problem}; get one from {@link Problem#builder()} or {@link
   * Problem#toBuilder()}.
   */
  public static final class Builder extends ImmutableProblem.Builder {
    Builder() {}
  }
}
