package io.github.scompose.samples.serve;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** One declared runscript argument: its name (passed as {@code --name}) and type. */
@Value.Immutable
@ValueStyle
public abstract class RunscriptArgument {

  /** The name, e.g. {@code age}: a letter or {@code _}, then letters, digits, {@code _ . -}. */
  public abstract String name();

  /** The type, from the declaring label. */
  public abstract ArgumentType type();

  /** {@code name} of {@code type}. */
  public static RunscriptArgument of(String name, ArgumentType type) {
    return ImmutableRunscriptArgument.builder().name(name).type(type).build();
  }
}
