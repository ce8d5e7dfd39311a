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
public abstract class SecretSpec {

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
}
