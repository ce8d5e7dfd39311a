package io.github.scompose.spec;

/**
 * The format a compose file was written in, detected per file by {@link ComposeLoader}.
 *
 * <ul>
 *   <li>a top-level {@code instances:} key with {@code version: "1.0"} or {@code "2.0"}:
 *       singularity-compose (spec 1.0, spec 2.0);
 *   <li>a top-level {@code services:} key (with or without {@code version}): the Compose
 *       Specification (docker-compose).
 * </ul>
 */
public enum SourceFormat {
  /** singularity-compose spec 1.0 ({@code version: "1.0"}, {@code instances:}). */
  SINGULARITY_COMPOSE_1_0,
  /** singularity-compose spec 2.0 ({@code version: "2.0"}, {@code instances:}). */
  SINGULARITY_COMPOSE_2_0,
  /** The Compose Specification ({@code services:}), i.e. docker-compose files. */
  COMPOSE_SPEC;

  /** {@code true} for both singularity-compose versions. */
  public boolean isSingularityCompose() {
    return this != COMPOSE_SPEC;
  }
}
