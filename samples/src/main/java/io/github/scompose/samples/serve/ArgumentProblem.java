package io.github.scompose.samples.serve;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** Why a given argument was refused (a 400 answer lists them); never quotes the value. */
@Value.Immutable
@ValueStyle
public abstract class ArgumentProblem implements WithArgumentProblem {

  /** The argument's name. */
  public abstract String argument();

  /** The expected type's API name: {@code str}, {@code int}, {@code float}, {@code bool}. */
  public abstract String expected();

  /** The problem in words, naming the argument and the expected type. */
  public abstract String message();

  /**
   * A new, empty builder of {@link ArgumentProblem}.
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
   * Builds a {@link ArgumentProblem}; get one from {@link ArgumentProblem#builder()} or {@link
   * ArgumentProblem#toBuilder()}.
   */
  public static final class Builder extends ImmutableArgumentProblem.Builder {
    Builder() {}
  }
}
