package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A service's use of a top-level secret. Compose Specification: {@code services.secrets}, short
 * form (the secret's name) and long form ({@code source}, {@code target}, {@code mode}). The secret
 * is mounted at {@code /run/secrets/<target>} (default target: the source name).
 */
@Value.Immutable
@ValueStyle
public abstract class SecretReference implements WithSecretReference {

  /** Name of the top-level secret. */
  public abstract String source();

  /** {@code target}: file name under {@code /run/secrets}, or an absolute path. */
  public abstract Optional<String> target();

  /** {@code mode}: file permission bits, as written (e.g. {@code 0440}). */
  public abstract Optional<String> mode();

  /** The path the secret appears at inside the instance. */
  public String mountPath() {
    String t = target().orElse(source());
    return t.startsWith("/") ? t : "/run/secrets/" + t;
  }

  /**
   * A new, empty builder of {@link SecretReference}.
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
   * Builds a {@link SecretReference}; get one from {@link SecretReference#builder()} or {@link
   * SecretReference#toBuilder()}.
   */
  public static final class Builder extends ImmutableSecretReference.Builder {
    Builder() {}
  }
}
