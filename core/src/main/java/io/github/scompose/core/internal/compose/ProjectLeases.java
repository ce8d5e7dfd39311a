package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.network.AddressAllocator;
import io.github.scompose.network.InstanceNetwork;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.LeaseLiveness;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.PublishedPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes the address and host-port leases of a plan, in {@code up} and {@code create} (never in
 * {@code plan}, which only reads the lease store): the addresses the plan gives its instances,
 * leased atomically with respect to every process sharing the lease file, and the project's owner
 * file ({@link LeaseOwners#record}). An address another project leased since the plan was made
 * fails the call: plan again.
 */
public final class ProjectLeases {

  private ProjectLeases() {}

  /**
   * Leases what {@code plan} planned, when the engine has a lease store; records the project's
   * owner file also without addresses (host networking): a {@code down} of another project whose
   * files are damaged reads the owners to leave this project's instances alone.
   *
   * @throws io.github.scompose.network.PortConflictException when another project publishes a
   *     planned host port now
   * @throws io.github.scompose.network.AddressExhaustedException when the subnet is full now
   * @throws IllegalStateException when a planned address is leased by another project now (the plan
   *     is stale)
   * @throws io.github.scompose.network.LeaseFileException when the lease file is bad
   */
  public static void take(EngineSettings settings, UpPlan plan) {
    if (settings.leases().isEmpty()) {
      return;
    }
    LeaseStore store = settings.leases().get();
    Map<String, IpAddress> planned = new LinkedHashMap<>();
    Map<String, List<PublishedPort>> ports = new LinkedHashMap<>();
    for (InstanceNetwork i : plan.network().instances()) {
      i.address().ifPresent(a -> planned.put(i.instance(), a));
      ports.put(i.instance(), i.ports());
    }
    if (plan.network().cidr().isPresent() && !planned.isEmpty()) {
      Map<String, IpAddress> leased =
          store.lease(
              plan.project(),
              AddressAllocator.builder()
                  .cidr(plan.network().cidr().get())
                  .preferred(planned)
                  .build(),
              new ArrayList<>(planned.keySet()),
              ports,
              List.of(),
              lazyLiveness(settings, store));
      List<String> moved = new ArrayList<>();
      planned.forEach(
          (name, address) -> {
            if (!address.equals(leased.get(name))) {
              moved.add(name + " (" + address + ")");
            }
          });
      if (!moved.isEmpty()) {
        if (!recordsProject(plan)) {
          store.release(plan.project()); // a first up or create holds nothing else
        }
        throw new OutdatedPlanException(
            "project "
                + plan.project()
                + ": the planned address of "
                + String.join(", ", moved)
                + " was leased by another project since the plan was made; plan again");
      }
    }
    LeaseOwners.record(store, plan.project(), plan.stateDirectory());
  }

  /** Whether the project's state file records it (a damaged one may: counts as recorded). */
  private static boolean recordsProject(UpPlan plan) {
    try {
      return StateFile.read(StateFile.in(plan.stateDirectory()))
          .filter(st -> st.project().equals(plan.project()))
          .isPresent();
    } catch (RuntimeException e) {
      return true;
    }
  }

  /**
   * A plan whose addresses another project leased after it was made (two {@code up}s planned at
   * once): plan again. {@code up} and {@code create} of a project do so themselves.
   */
  public static final class OutdatedPlanException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    OutdatedPlanException(String message) {
      super(message);
    }
  }

  /**
   * {@link LeaseOwners#liveness} with the listing taken only when a lease of another project is old
   * enough to be reclaimed (the plan took one listing already; most leases need none).
   */
  private static LeaseLiveness lazyLiveness(EngineSettings settings, LeaseStore store) {
    LeaseLiveness[] live = new LeaseLiveness[1];
    return lease -> {
      if (live[0] == null) {
        Set<String> listed = new HashSet<>();
        settings.client().list().forEach(i -> listed.add(i.name()));
        live[0] = LeaseOwners.liveness(store, listed);
      }
      return live[0].isLive(lease);
    };
  }
}
