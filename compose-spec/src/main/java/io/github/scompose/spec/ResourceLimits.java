package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * Upper bounds on what a service's instance may use. Every field is empty (no limit) by default.
 *
 * <p>Sources (Compose Specification): {@code deploy.resources.limits} ({@code cpus}, {@code
 * memory}, {@code pids}) and the service-level {@code cpus}, {@code mem_limit}, {@code pids_limit}.
 * Both may be given when they agree; distinct values are a load error, as in compose-go. Forms as
 * compose-go reads them: {@code cpus} a number or a numeric string ({@code 1.5}, {@code '0.5'});
 * memory a byte value ({@code 512m}, {@code 1.5g}, {@code 1073741824}); pids a whole number. {@code
 * deploy.resources.reservations} (cpus, memory) are not limits and are warned about.
 */
@Value.Immutable
@ValueStyle
public abstract class ResourceLimits implements WithResourceLimits {

  /** CPUs, e.g. {@code 1.5}; greater than 0. Empty: no limit. */
  public abstract OptionalDouble cpus();

  /** Memory in bytes; greater than 0. Empty: no limit. */
  public abstract OptionalLong memoryBytes();

  /** Maximum number of processes (pids); greater than 0. Empty: no limit. */
  public abstract OptionalLong pids();

  /** Whether no limit is set. */
  public boolean isEmpty() {
    return cpus().isEmpty() && memoryBytes().isEmpty() && pids().isEmpty();
  }

  @Value.Check
  protected void check() {
    if (cpus().isPresent() && !(cpus().getAsDouble() > 0)) {
      throw new IllegalArgumentException("cpus must be greater than 0, found " + cpus());
    }
    if (memoryBytes().isPresent() && memoryBytes().getAsLong() <= 0) {
      throw new IllegalArgumentException(
          "memory must be greater than 0 bytes, found " + memoryBytes().getAsLong());
    }
    if (pids().isPresent() && pids().getAsLong() <= 0) {
      throw new IllegalArgumentException(
          "pids must be greater than 0, found " + pids().getAsLong());
    }
  }

  /**
   * A new, empty builder of {@link ResourceLimits}.
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
   * Builds a {@link ResourceLimits}; get one from {@link ResourceLimits#builder()} or {@link
   * ResourceLimits#toBuilder()}.
   */
  public static final class Builder extends ImmutableResourceLimits.Builder {
    Builder() {}
  }
}
