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
public abstract class CheckedArguments {

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
}
