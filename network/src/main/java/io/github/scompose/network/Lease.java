package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.time.Instant;
import java.util.List;
import org.immutables.value.Value;

/**
 * One address held by one instance of one project, as recorded in the {@link LeaseStore} file. Key:
 * ({@link #project()}, {@link #instance()}); a project holds at most one lease per instance name.
 */
@Value.Immutable
@ValueStyle
public interface Lease extends WithLease {

  /** The compose project name (e.g. the project directory's name). */
  String project();

  /** The instance name, e.g. {@code web1}. */
  String instance();

  /** The network the address belongs to. */
  Cidr cidr();

  /** The leased address. */
  IpAddress address();

  /**
   * When the lease was taken or last renewed (UTC). Leases younger than the store's reclaim grace
   * period are never reclaimed, so an instance that is still starting keeps its address.
   */
  Instant leasedAt();

  /**
   * Host ports the instance publishes through CNI portmap. Recorded because such ports hold no
   * socket on the host (they are iptables DNAT rules), so a try-bind check cannot see them; the
   * store refuses a second project publishing the same host port. Default: none.
   */
  List<PublishedPort> ports();

  /**
   * A new, empty builder of {@link Lease}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** Builds a {@link Lease}; get one from {@link Lease#builder()} or {@link Lease#toBuilder()}. */
  static final class Builder extends ImmutableLease.Builder {
    Builder() {}
  }
}
