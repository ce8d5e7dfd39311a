package io.github.scompose.samples.serve;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** Why a given argument was refused (a 400 answer lists them); never quotes the value. */
@Value.Immutable
@ValueStyle
public abstract class ArgumentProblem {

  /** The argument's name. */
  public abstract String argument();

  /** The expected type's API name: {@code str}, {@code int}, {@code float}, {@code bool}. */
  public abstract String expected();

  /** The problem in words, naming the argument and the expected type. */
  public abstract String message();
}
