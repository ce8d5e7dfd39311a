package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.Dialect;
import java.util.Objects;
import java.util.Set;

/** What the dialects share: the version, the missing-option check, equality, a description. */
abstract class AbstractDialect implements Dialect {

  private final BinaryVersion version;

  AbstractDialect(BinaryVersion version) {
    this.version = Objects.requireNonNull(version, "version");
  }

  @Override
  public BinaryVersion version() {
    return version;
  }

  /** Long options (without value) known to be missing in this version. */
  abstract Set<String> missingOptions();

  @Override
  public boolean mayHaveOption(String longOption) {
    return !missingOptions().contains(longOption);
  }

  /**
   * Long options known to be missing from one subcommand only (named as in {@link
   * Dialect#supportsOption}); default none.
   */
  Set<String> missingOptions(String subcommand) {
    return Set.of();
  }

  @Override
  public boolean supportsOption(String subcommand, String longOption) {
    return mayHaveOption(longOption) && !missingOptions(subcommand).contains(longOption);
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((AbstractDialect) o).version.equals(version);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), version);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + version.format() + "]";
  }
}
