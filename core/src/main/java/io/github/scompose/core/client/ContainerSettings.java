package io.github.scompose.core.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * Options shared by the commands that run a container: {@link InstanceStart}, {@link InstanceRun},
 * {@link Exec} and {@link Run}. Every option is off or empty by default. Options the binary lacks
 * are refused with {@link io.github.scompose.core.errors.UnknownFlagException} when the command is
 * rendered, before anything runs.
 *
 * <p>Flags are those of SingularityCE 3.4.2's {@code instance start --help} (recorded) unless
 * noted.
 */
public interface ContainerSettings {

  /** {@code --bind} mounts, in order. */
  List<Bind> binds();

  /**
   * Variables for the container, name to value. Values may be secrets: they never appear in argv,
   * logs or exception messages. Passed in an env file written with mode 0600 ({@code --env-file},
   * removed after the command) where the dialect supports it and {@link #envFile()} is not set,
   * else as {@code SINGULARITYENV_NAME}/{@code APPTAINERENV_NAME} in the binary's environment.
   * Names must match {@code [A-Za-z_][A-Za-z0-9_]*}.
   */
  @Value.Redacted
  Map<String, String> environment();

  /** {@code --env-file PATH}: the user's own env file on the transport's host (3.6+, Apptainer). */
  Optional<String> envFile();

  /** {@code --hostname NAME} (3.x+). */
  Optional<String> hostname();

  /** {@code --net}: a new network namespace (3.x+). */
  @Value.Default
  default boolean net() {
    return false;
  }

  /** {@code --network TYPE}, e.g. {@code bridge}, {@code none} (3.x+). */
  Optional<String> network();

  /**
   * {@code --network-args ARG}, one flag per entry, e.g. {@code IP=10.22.0.2}, {@code
   * portmap=8080:80/tcp} (recorded from 3.4.2). Written without quotes: singularity-compose's
   * literal {@code "IP=..."} quotes are its defect.
   */
  List<String> networkArgs();

  /** {@code --fakeroot} (3.3+). */
  @Value.Default
  default boolean fakeroot() {
    return false;
  }

  /** {@code --contain}. */
  @Value.Default
  default boolean contain() {
    return false;
  }

  /** {@code --containall}. */
  @Value.Default
  default boolean containall() {
    return false;
  }

  /** {@code --cleanenv}. */
  @Value.Default
  default boolean cleanenv() {
    return false;
  }

  /** {@code --home SPEC} ({@code src} or {@code src:dest}). */
  Optional<String> home();

  /**
   * {@code --pwd DIR}: initial working directory in the container. Not every subcommand has it
   * (SingularityCE 3.4.2's {@code instance start} has not, recorded): rendering for a dialect whose
   * {@link Dialect#supportsOption} says no throws {@link
   * io.github.scompose.core.errors.UnknownFlagException}.
   */
  Optional<String> pwd();

  /** {@code --nv}: NVIDIA GPU support. */
  @Value.Default
  default boolean nv() {
    return false;
  }

  /** {@code --rocm}: AMD GPU support (3.5+). */
  @Value.Default
  default boolean rocm() {
    return false;
  }

  /**
   * {@code --cpus N}: how many CPUs the container may use, e.g. {@code 1.5} (SingularityCE 3.10+,
   * Apptainer 1.1+: {@link Dialect#supportsResourceFlags()}). Empty: no limit.
   */
  OptionalDouble cpus();

  /**
   * {@code --memory BYTES}: the container's memory limit in bytes (SingularityCE 3.10+, Apptainer
   * 1.1+). Empty: no limit.
   */
  OptionalLong memory();

  /**
   * {@code --pids-limit N}: most processes in the container (SingularityCE 3.10+, Apptainer 1.1+).
   * Empty: no limit.
   */
  OptionalLong pidsLimit();

  /**
   * {@code --apply-cgroups FILE}: a cgroups TOML file on the binary's host (3.x, SingularityCE,
   * Apptainer; {@link Dialect#supportsApplyCgroups()}); root only before SingularityCE 3.10 /
   * Apptainer 1.1.
   */
  Optional<String> applyCgroups();

  /** {@code --overlay IMAGE}, one flag per entry. */
  List<String> overlays();

  /**
   * {@code --scratch DIR}, one flag per entry: an empty, writable directory at DIR inside the
   * container, backed by a temporary directory on the host and discarded with the container
   * (recorded help of 3.4.2: "include a scratch directory within the container that is linked to a
   * temporary dir"). What a Compose {@code tmpfs} mount becomes.
   */
  List<String> scratch();

  /** {@code --writable-tmpfs}: a writable, discarded overlay on the image. */
  @Value.Default
  default boolean writableTmpfs() {
    return false;
  }

  /**
   * Pass-through options as written in a compose file's {@code options} list: {@code x} becomes
   * {@code -x}, {@code name} becomes {@code --name}, {@code k=v} (also a {@code {k: v}} map entry)
   * becomes {@code --k=v}, and an entry that already starts with {@code -} is kept as is (where
   * singularity-compose 0.1.19 wrote {@code ----contain}). Rendered after the typed options, before
   * {@code --hostname}, as singularity-compose does. A long option that the dialect is known to
   * lack is refused.
   */
  List<String> options();
}
