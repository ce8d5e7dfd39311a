package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * A request for GPUs: what the engine turns into {@code --nv} (NVIDIA) or {@code --rocm} (AMD).
 *
 * <p>Sources (Compose Specification, forms as compose-go reads them): {@code gpus: all} (any string
 * means all GPUs), {@code gpus: [{driver, count, device_ids, capabilities, options}]}, and {@code
 * deploy.resources.reservations.devices} entries whose {@code capabilities} include {@code gpu}.
 * Singularity exposes every GPU of the host with {@code --nv}/{@code --rocm}: a {@link #count()} or
 * {@link #deviceIds()} is kept here, and the engine notes that it does not narrow the GPUs.
 */
@Value.Immutable
@ValueStyle
public abstract class GpuRequest implements WithGpuRequest {

  /**
   * {@code driver} as written, e.g. {@code nvidia}, {@code amd}; empty when not given (Docker's
   * default GPU driver is NVIDIA's).
   */
  public abstract Optional<String> driver();

  /** {@code capabilities}, e.g. {@code [gpu]}, {@code [gpu, compute, utility]}; may be empty. */
  public abstract List<String> capabilities();

  /** {@code count}: how many GPUs; empty means all ({@code all}, or no count given). */
  public abstract OptionalLong count();

  /** {@code device_ids}, e.g. {@code ["0", "3"]}; empty when not given. */
  public abstract List<String> deviceIds();

  /** A request for all GPUs of the default driver ({@code gpus: all}). */
  public static GpuRequest all() {
    return GpuRequest.builder().build();
  }

  /** Whether this request is for AMD GPUs ({@code driver: amd}, any case). */
  public boolean isAmd() {
    return driver().map(d -> d.equalsIgnoreCase("amd")).orElse(false);
  }

  /**
   * A new, empty builder of {@link GpuRequest}.
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
   * Builds a {@link GpuRequest}; get one from {@link GpuRequest#builder()} or {@link
   * GpuRequest#toBuilder()}.
   */
  public static final class Builder extends ImmutableGpuRequest.Builder {
    Builder() {}
  }
}
