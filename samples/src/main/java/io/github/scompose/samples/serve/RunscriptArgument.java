package io.github.scompose.samples.serve;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/** One declared runscript argument: its name (passed as {@code --name}) and type. */
@Value.Immutable
@ValueStyle
public abstract class RunscriptArgument implements WithRunscriptArgument {

  /** The name, e.g. {@code age}: a letter or {@code _}, then letters, digits, {@code _ . -}. */
  public abstract String name();

  /** The type, from the declaring label. */
  public abstract ArgumentType type();

  /** {@code name} of {@code type}. */
  public static RunscriptArgument of(String name, ArgumentType type) {
    return RunscriptArgument.builder().name(name).type(type).build();
  }

  /**
   * A new, empty builder of {@link RunscriptArgument}.
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
   * Builds a {@link RunscriptArgument}; get one from {@link RunscriptArgument#builder()} or {@link
   * RunscriptArgument#toBuilder()}.
   */
  public static final class Builder extends ImmutableRunscriptArgument.Builder {
    Builder() {}
  }
}
