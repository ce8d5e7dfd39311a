package io.github.scompose.core.compose;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which runtime an entry point works on: a real {@code apptainer}/{@code singularity} binary, the
 * testkit's embedded fake, or whichever is available. One definition for the CLI ({@code
 * --runtime}), {@link Compose#local()} and the testkit's JUnit extension ({@code
 * SingularityTest(runtime = ...)}); {@link #select} gives the same answer in all three.
 */
public enum RuntimeChoice {
  /** The real binary when one is found, else the embedded fake runtime. */
  AUTO,
  /** The real binary; none found is an error. */
  REAL,
  /** The embedded fake runtime of {@code scompose-testkit}. */
  FAKE;

  /** System property choosing the runtime: {@value}. Wins over {@link #VARIABLE}. */
  public static final String PROPERTY = "scompose.runtime";

  /** Environment variable choosing the runtime when {@link #PROPERTY} is unset: {@value}. */
  public static final String VARIABLE = "SCOMPOSE_RUNTIME";

  /** The value as written by users: {@code auto}, {@code real} or {@code fake}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code auto}, {@code real} or {@code fake} (surrounding blanks and letter case ignored).
   *
   * @param source where the value came from, for the error, e.g. {@code --runtime}
   * @throws IllegalArgumentException naming {@code source}, the value and the allowed values, when
   *     the value is none of them
   */
  public static RuntimeChoice parse(String value, String source) {
    String v = Objects.requireNonNull(value, "value").strip().toLowerCase(Locale.ROOT);
    for (RuntimeChoice c : values()) {
      if (c.toString().equals(v)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "runtime \"" + value.strip() + "\" from " + source + " is not one of auto, real, fake");
  }

  /**
   * {@link #select(String, String, Function, Map)} with this process's system properties and
   * environment.
   */
  public static RuntimeSelection select(String explicit, String explicitSource) {
    return select(explicit, explicitSource, System::getProperty, System.getenv());
  }

  /**
   * The runtime chosen, by precedence: an explicit choice (the CLI's {@code --runtime}, the
   * extension's {@code runtime} attribute) wins, then the system property {@value #PROPERTY}, then
   * the environment variable {@value #VARIABLE}, else {@link #AUTO}. A {@code null} or blank value
   * counts as not given at its level.
   *
   * @param explicit the explicit choice, or {@code null}/blank when none was given
   * @param explicitSource how the explicit choice is named in errors, e.g. {@code --runtime}
   * @param properties system property lookup ({@code null} when unset)
   * @param environment the process environment
   * @throws IllegalArgumentException when the value that decides is not {@code auto}, {@code real}
   *     or {@code fake}; the message names where it came from
   */
  public static RuntimeSelection select(
      String explicit,
      String explicitSource,
      Function<String, String> properties,
      Map<String, String> environment) {
    if (given(explicit)) {
      return selection(explicit, explicitSource);
    }
    String property = properties.apply(PROPERTY);
    if (given(property)) {
      return selection(property, "system property " + PROPERTY);
    }
    String variable = environment.get(VARIABLE);
    if (given(variable)) {
      return selection(variable, "environment variable " + VARIABLE);
    }
    return RuntimeSelection.builder().choice(AUTO).source("default").build();
  }

  private static boolean given(String value) {
    return value != null && !value.isBlank();
  }

  private static RuntimeSelection selection(String value, String source) {
    return RuntimeSelection.builder().choice(parse(value, source)).source(source).build();
  }
}
