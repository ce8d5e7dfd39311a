package io.github.scompose.network;

/**
 * The caller's answer to "is the owner of this lease still running?", used by {@link LeaseStore} to
 * reclaim stale leases (a project that crashed or was stopped without {@code down}).
 *
 * <p>Core answers it from {@code instance list}: a lease is live while an instance of that name
 * runs. The network module starts no process and so cannot know by itself. The callback is called
 * while the lease file is locked: keep it quick (e.g. consult one listing taken beforehand).
 */
@FunctionalInterface
public interface LeaseLiveness {

  /** {@code true} while the lease's instance runs; {@code false} lets the lease be reclaimed. */
  boolean isLive(Lease lease);

  /** Treats every lease as live: nothing is ever reclaimed. */
  static LeaseLiveness assumeAlive() {
    return lease -> true;
  }
}
