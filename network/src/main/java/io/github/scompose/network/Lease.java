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
public interface Lease {

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
}
