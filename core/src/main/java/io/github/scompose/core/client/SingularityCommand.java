package io.github.scompose.core.client;

/**
 * A typed, immutable command for the binary. {@link #render(Dialect)} gives its exact arguments for
 * one dialect, without running anything; {@link SingularityClient} runs it.
 */
public interface SingularityCommand {

  /**
   * The arguments after the program (and its global options) for {@code dialect}.
   *
   * @throws io.github.scompose.core.errors.UnknownFlagException when the command asks for an option
   *     that {@code dialect} lacks
   * @throws IllegalArgumentException when an environment variable name is not {@code
   *     [A-Za-z_][A-Za-z0-9_]*}
   */
  RenderedCommand render(Dialect dialect);
}
