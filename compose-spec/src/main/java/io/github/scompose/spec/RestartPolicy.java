package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * When to restart a service's instance after it stopped.
 *
 * <p>Sources: Compose Specification {@code restart} ({@code no}, {@code always}, {@code
 * on-failure[:N]}, {@code unless-stopped}) and {@code deploy.restart_policy} ({@code condition}:
 * {@code none}, {@code on-failure}, {@code any}; {@code delay}, {@code max_attempts}, {@code
 * window}). {@code deploy.restart_policy} wins when both are given. {@code any} maps to {@link
 * Condition#ALWAYS}, {@code none} to {@link Condition#NO}.
 */
@Value.Immutable
@ValueStyle
public abstract class RestartPolicy implements WithRestartPolicy {

  /** When to restart. */
  public enum Condition {
    /** Never ({@code no}, {@code none}); the default. */
    NO,
    /** Always ({@code always}, {@code any}). */
    ALWAYS,
    /** When it exited with a non-zero code ({@code on-failure}). */
    ON_FAILURE,
    /** Always, unless it was stopped by the user ({@code unless-stopped}). */
    UNLESS_STOPPED
  }

  /** When to restart. */
  public abstract Condition condition();

  /** {@code on-failure:N} / {@code max_attempts}: give up after this many restarts. */
  public abstract OptionalInt maxAttempts();

  /** {@code delay}: wait between restart attempts. */
  public abstract Optional<Duration> delay();

  /** {@code window}: how long to wait before deciding that a restart succeeded. */
  public abstract Optional<Duration> window();

  /** A policy with only a condition. */
  public static RestartPolicy of(Condition condition) {
    return RestartPolicy.builder().condition(condition).build();
  }

  /**
   * A new, empty builder of {@link RestartPolicy}.
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
   * Builds a {@link RestartPolicy}; get one from {@link RestartPolicy#builder()} or {@link
   * RestartPolicy#toBuilder()}.
   */
  public static final class Builder extends ImmutableRestartPolicy.Builder {
    Builder() {}
  }
}
