package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * Who runs the binary on the transport's host: what the default log paths are made of ({@code
 * <home>/.singularity/instances/logs/<hostname>/<user>/}, recorded from 3.4.2). Found by the client
 * with {@code printenv HOME}, {@code uname -n} and {@code id -un} when not given.
 */
@Value.Immutable
@ValueStyle
public abstract class HostIdentity implements WithHostIdentity {

  /** The home directory, e.g. {@code /root}. */
  public abstract String home();

  /** The host name, as {@code uname -n} gives it, e.g. {@code vm}. */
  public abstract String hostname();

  /** The user name, e.g. {@code root}. */
  public abstract String user();

  /** The three. */
  public static HostIdentity of(String home, String hostname, String user) {
    return HostIdentity.builder().home(home).hostname(hostname).user(user).build();
  }

  /**
   * A new, empty builder of {@link HostIdentity}.
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
   * Builds a {@link HostIdentity}; get one from {@link HostIdentity#builder()} or {@link
   * HostIdentity#toBuilder()}.
   */
  public static final class Builder extends ImmutableHostIdentity.Builder {
    Builder() {}
  }
}
