package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.nio.file.Path;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A top-level secret of a project. Compose Specification: {@code secrets.<name>} with {@code file}
 * (resolved to an absolute path against the project directory) or {@code environment} (the name of
 * a variable holding the value). The value itself is never kept in the model nor printed.
 */
@Value.Immutable
@ValueStyle
public abstract class SecretSpec implements WithSecretSpec {

  /** The key under {@code secrets:}. */
  public abstract String name();

  /** {@code file}: absolute path of the file holding the secret. */
  public abstract Optional<Path> file();

  /** {@code environment}: name of the environment variable holding the secret. */
  public abstract Optional<String> environment();

  /** {@code external: true}: managed outside the project (not supported on Singularity). */
  @Value.Default
  public boolean external() {
    return false;
  }

  /**
   * A new, empty builder of {@link SecretSpec}.
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
   * Builds a {@link SecretSpec}; get one from {@link SecretSpec#builder()} or {@link
   * SecretSpec#toBuilder()}.
   */
  public static final class Builder extends ImmutableSecretSpec.Builder {
    Builder() {}
  }
}
