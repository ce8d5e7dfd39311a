package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One service (docker-compose) or instance (singularity-compose) of a project, resolved: variables
 * interpolated, override files merged, {@code extends} applied, relative host paths made absolute
 * against the project directory and {@code ~} expanded.
 *
 * <p>Both formats map onto this one shape; a field the source format has no key for stays empty.
 * singularity-compose keys (spec 1.0/2.0): {@code image}, {@code build}, {@code volumes}, {@code
 * volumes_from}, {@code ports}, {@code depends_on}, {@code network}, {@code start}, {@code exec},
 * {@code run}, {@code post}, {@code deploy.replicas}, and spec 1.0's instance-level {@code command}
 * (kept as {@code start.args}, one string). Compose Specification keys: {@code image}, {@code
 * command}, {@code entrypoint}, {@code environment} (with {@code env_file} values merged under it),
 * {@code depends_on}, {@code ports}, {@code volumes}, {@code extra_hosts}, {@code secrets}, {@code
 * hostname}, {@code working_dir}, {@code labels}, {@code healthcheck}, {@code restart} / {@code
 * deploy.restart_policy}, {@code deploy.replicas}, {@code deploy.resources} ({@code cpus}, {@code
 * mem_limit}, {@code pids_limit}), {@code gpus}, {@code profiles}, {@code x-*}.
 *
 * <p>The order of every list is the order in the file (binds, ports and options are passed to
 * {@code singularity instance start} in this order).
 */
@Value.Immutable
@ValueStyle
public abstract class ServiceSpec implements WithServiceSpec {

  /** Service (instance) name: {@code [a-zA-Z0-9][a-zA-Z0-9._-]*}. */
  public abstract String name();

  /**
   * {@code image}: a URI ({@code docker://…}, {@code oras://…}, {@code library://…}), a registry
   * reference (docker-compose: {@code nginx:alpine}), or, for singularity-compose, a SIF path made
   * absolute against the project directory.
   */
  public abstract Optional<String> image();

  /** singularity-compose {@code build}. */
  public abstract Optional<BuildSpec> build();

  /**
   * Compose {@code command}: argv (a string is split like a shell does, as docker compose does).
   * Empty: the image's default.
   */
  public abstract Optional<List<String>> command();

  /** Compose {@code entrypoint}: argv, as {@link #command()}. */
  public abstract Optional<List<String>> entrypoint();

  /**
   * Environment, in order: {@code env_file} values first, then {@code environment} (which wins). A
   * bare key ({@code - FOO}) takes its value from the loader's environment and is left out when
   * unset there.
   */
  public abstract Map<String, String> environment();

  /** {@code volumes}: binds (absolute host source), named and anonymous volumes, tmpfs. */
  public abstract List<VolumeMount> volumes();

  /** singularity-compose {@code volumes_from}: instances whose binds this one also gets. */
  public abstract List<String> volumesFrom();

  /** {@code ports}. */
  public abstract List<PortMapping> ports();

  /** {@code depends_on}, in the order written. */
  public abstract List<DependsOn> dependsOn();

  /** singularity-compose {@code network}; empty when the file has no {@code network} key. */
  public abstract Optional<NetworkSpec> network();

  /** singularity-compose {@code start} (and spec 1.0's {@code command}). */
  public abstract Optional<Invocation> start();

  /** singularity-compose {@code run}; present and empty for {@code run: []}. */
  public abstract Optional<Invocation> run();

  /** singularity-compose {@code exec}. */
  public abstract Optional<Invocation> exec();

  /** singularity-compose {@code post.command} / {@code post.commands}, in order. */
  public abstract List<Invocation> post();

  /** {@code deploy.replicas}; default 1. */
  @Value.Default
  public int replicas() {
    return 1;
  }

  /**
   * Compose {@code deploy.placement.constraints}, as written, in order (e.g. {@code node.hostname
   * == n1}, {@code node.labels.gpu == true}); empty when none is given. Honoured only when a stack
   * runs across several nodes; a single-node {@code up} ignores them.
   */
  public abstract List<String> placementConstraints();

  /** Compose {@code extra_hosts}: host name to addresses, in order. */
  public abstract Map<String, List<String>> extraHosts();

  /** Compose {@code secrets}. */
  public abstract List<SecretReference> secrets();

  /** Compose {@code hostname}. */
  public abstract Optional<String> hostname();

  /** Compose {@code working_dir}. */
  public abstract Optional<String> workingDir();

  /** Compose {@code labels}. */
  public abstract Map<String, String> labels();

  /** Compose {@code healthcheck}. */
  public abstract Optional<Healthcheck> healthcheck();

  /** Compose {@code restart} / {@code deploy.restart_policy}. */
  public abstract Optional<RestartPolicy> restart();

  /**
   * Compose {@code stop_signal}: the signal that stops the instance, as written (e.g. {@code
   * SIGTERM}, {@code TERM}, {@code 15}); empty when not given (the engine then sends {@code
   * SIGTERM}, as Compose does).
   */
  public abstract Optional<String> stopSignal();

  /**
   * Compose {@code stop_grace_period}: how long the instance may take to stop after the signal
   * before it is killed; empty when not given (the binary's default, 10 s in SingularityCE 3.4.2).
   */
  public abstract Optional<java.time.Duration> stopGracePeriod();

  /**
   * Compose {@code deploy.resources.limits} / {@code cpus}, {@code mem_limit}, {@code pids_limit};
   * empty when none is given.
   */
  public abstract Optional<ResourceLimits> limits();

  /**
   * Compose {@code gpus} and the GPU entries of {@code deploy.resources.reservations.devices}, in
   * order; empty when the service asks for no GPU.
   */
  public abstract List<GpuRequest> gpus();

  /** Compose {@code profiles}: empty means the service is always enabled. */
  public abstract List<String> profiles();

  /**
   * {@code x-*} keys of the service, kept and otherwise ignored: values are strings, lists and maps
   * of those.
   */
  public abstract Map<String, Object> extensions();

  @Value.Check
  protected void check() {
    if (replicas() < 0) {
      throw new IllegalArgumentException("replicas " + replicas() + " is negative");
    }
  }

  /**
   * A new, empty builder of {@link ServiceSpec}.
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
   * Builds a {@link ServiceSpec}; get one from {@link ServiceSpec#builder()} or {@link
   * ServiceSpec#toBuilder()}.
   */
  public static final class Builder extends ImmutableServiceSpec.Builder {
    Builder() {}
  }
}
