package io.github.scompose.samples.serve;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * Given arguments checked against the declared ones ({@link RunscriptArguments#check}): the argv
 * words for the runscript when every value is of its type, the undeclared names that were ignored,
 * and the problems.
 */
@Value.Immutable
@ValueStyle
public abstract class CheckedArguments implements WithCheckedArguments {

  /**
   * The runscript's arguments in declaration order: {@code --name VALUE} per given value, {@code
   * --flag} per given flag; empty when there are problems.
   */
  public abstract List<String> argv();

  /** Names given but not declared by the image's labels, sorted; they are not passed. */
  public abstract List<String> ignored();

  /** Values that are not of their argument's type. */
  public abstract List<ArgumentProblem> problems();

  /** Whether there are no problems. */
  public boolean valid() {
    return problems().isEmpty();
  }

  /**
   * A new, empty builder of {@link CheckedArguments}.
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
   * Builds a {@link CheckedArguments}; get one from {@link CheckedArguments#builder()} or {@link
   * CheckedArguments#toBuilder()}.
   */
  public static final class Builder extends ImmutableCheckedArguments.Builder {
    Builder() {}
  }
}
