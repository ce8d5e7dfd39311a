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
public abstract class GpuRequest {

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
    return ImmutableGpuRequest.builder().build();
  }

  /** Whether this request is for AMD GPUs ({@code driver: amd}, any case). */
  public boolean isAmd() {
    return driver().map(d -> d.equalsIgnoreCase("amd")).orElse(false);
  }
}
