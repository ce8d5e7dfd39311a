package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * A located binary: how to call it on the transport's host and what it is.
 *
 * <p>Find one with {@link BinaryLocator}, or state it with {@link #of(String, BinaryVersion)} (e.g.
 * in tests or when the version is known).
 */
@Value.Immutable
@ValueStyle
public abstract class SingularityBinary implements WithSingularityBinary {

  /** The program: a name looked up on the transport host's PATH ({@code apptainer}) or a path. */
  public abstract String program();

  /** What {@code program --version} said. */
  public abstract BinaryVersion version();

  /** The dialect for {@link #version()}. */
  @Value.Lazy
  public Dialect dialect() {
    return Dialect.forVersion(version());
  }

  @Value.Check
  protected void check() {
    if (program().isBlank()) {
      throw new IllegalArgumentException("the program is blank");
    }
  }

  /** {@code program} of {@code version}. */
  public static SingularityBinary of(String program, BinaryVersion version) {
    return SingularityBinary.builder().program(program).version(version).build();
  }

  /**
   * A new, empty builder of {@link SingularityBinary}.
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
   * Builds a {@link SingularityBinary}; get one from {@link SingularityBinary#builder()} or {@link
   * SingularityBinary#toBuilder()}.
   */
  public static final class Builder extends ImmutableSingularityBinary.Builder {
    Builder() {}
  }
}
