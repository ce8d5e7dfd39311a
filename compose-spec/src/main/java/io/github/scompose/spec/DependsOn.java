package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * One dependency of a service on another: start {@link #service()} first, and wait for {@link
 * #condition()}.
 *
 * <p>Sources: singularity-compose {@code depends_on: [name, …]} (always {@link
 * Condition#SERVICE_STARTED}); Compose Specification {@code depends_on} short form (a list of
 * names) and long form ({@code condition}, {@code required} default {@code true}, {@code restart}
 * default {@code false}).
 */
@Value.Immutable
@ValueStyle
public abstract class DependsOn implements WithDependsOn {

  /** What to wait for. Compose Specification: {@code depends_on.<name>.condition}. */
  public enum Condition {
    /** {@code service_started} (default): the dependency has been started. */
    SERVICE_STARTED,
    /** {@code service_healthy}: the dependency's healthcheck passed. */
    SERVICE_HEALTHY,
    /** {@code service_completed_successfully}: the dependency ran to completion with exit 0. */
    SERVICE_COMPLETED_SUCCESSFULLY;

    /** The value as written in compose files, e.g. {@code service_healthy}. */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Name of the service depended on. */
  @Value.Parameter
  public abstract String service();

  /** Condition to wait for; default {@link Condition#SERVICE_STARTED}. */
  @Value.Default
  public Condition condition() {
    return Condition.SERVICE_STARTED;
  }

  /**
   * {@code false}: start even when the dependency is missing or fails (a warning then). Default
   * {@code true}.
   */
  @Value.Default
  public boolean required() {
    return true;
  }

  /** Restart this service when the dependency is restarted by an explicit operation. */
  @Value.Default
  public boolean restart() {
    return false;
  }

  /** A started-and-required dependency on {@code service}. */
  public static DependsOn on(String service) {
    return ImmutableDependsOn.of(service);
  }

  /**
   * A new, empty builder of {@link DependsOn}.
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
   * Builds a {@link DependsOn}; get one from {@link DependsOn#builder()} or {@link
   * DependsOn#toBuilder()}.
   */
  public static final class Builder extends ImmutableDependsOn.Builder {
    Builder() {}
  }
}
