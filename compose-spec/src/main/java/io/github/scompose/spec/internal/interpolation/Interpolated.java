package io.github.scompose.spec.internal.interpolation;

import java.util.List;

/**
 * Result of {@link Interpolator#interpolate(String)}.
 *
 * @param value the text with every expression replaced
 * @param unsetVariables names of the variables that were referred to without a default ({@code
 *     $VAR}, {@code ${VAR}}) and were not set, each once, in order of first use; they were replaced
 *     by the empty string (Compose Specification, interpolation: "warn the user and substitute the
 *     variable with an empty string")
 */
public record Interpolated(String value, List<String> unsetVariables) {

  /** Copies {@code unsetVariables}; both arguments must be non-null. */
  public Interpolated {
    if (value == null) {
      throw new NullPointerException("value");
    }
    unsetVariables = List.copyOf(unsetVariables);
  }
}
