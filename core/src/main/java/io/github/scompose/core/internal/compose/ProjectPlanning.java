package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.compose.UpPlanner;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkMode;
import io.github.scompose.network.NetworkPlan;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.NetworkRequest;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planning of the compose engine ({@code Compose.plan}, and the image-only plans of {@code pull},
 * {@code build}, {@code images}): reads the project's state and takes one {@code instance list};
 * takes no lease and writes nothing (the leases of a plan are taken by {@link ProjectLeases#take}
 * in {@code up} and {@code create}).
 */
public final class ProjectPlanning {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectPlanning.class);

  private final EngineSettings settings;
  private final RuntimeFacts facts;
  private final NetworkPlanner planner;
  private final Set<String> profiles;

  /** Planning with {@code planner} and {@code facts}; {@code profiles} when a call names none. */
  public ProjectPlanning(
      EngineSettings settings, RuntimeFacts facts, NetworkPlanner planner, Set<String> profiles) {
    this.settings = settings;
    this.facts = facts;
    this.planner = planner;
    this.profiles = Set.copyOf(profiles);
  }

  /** The runtime facts plans are made with. */
  public RuntimeFacts facts() {
    return facts;
  }

  /**
   * The plan of {@code up} (see {@code Compose.plan}): one {@code instance list}, the network plan
   * (the lease store, when there is one, only read), then {@link UpPlanner#plan}. Takes no lease,
   * writes no file.
   */
  public UpPlan plan(ComposeProject project, PlanOptions given) {
    PlanOptions options = withProfiles(given);
    NetworkRequest request = UpPlanner.networkRequest(project, facts, options);
    Path stateDirectory = project.directory().resolve(options.stateDirectoryName());
    Map<String, IpAddress> preferred = new LinkedHashMap<>();
    Set<String> ours = new HashSet<>();
    Map<String, ProjectState.Entry> recorded = new LinkedHashMap<>();
    readForPlan(stateDirectory)
        .filter(st -> st.project().equals(project.name()))
        .ifPresent(
            st ->
                st.instances()
                    .forEach(
                        e -> {
                          ours.add(e.name());
                          recorded.put(e.name(), e);
                          if (!e.ip().isBlank()) {
                            preferred.put(e.name(), IpAddress.parse(e.ip()));
                          }
                        }));
    List<InstanceInfo> listed = settings.client().list();
    List<IpAddress> taken = new ArrayList<>();
    Set<String> running = new HashSet<>();
    for (InstanceInfo i : listed) {
      running.add(i.name());
      Optional<IpAddress> ip = i.ip().filter(x -> !x.isBlank()).map(IpAddress::parse);
      if (ip.isEmpty()) {
        continue;
      }
      if (ours.contains(i.name())) {
        preferred.put(i.name(), ip.get()); // ours, running: keeps what it has
      } else {
        taken.add(ip.get());
      }
    }
    // addresses the CNI handed to instances of other tools, which no listing shows: as root, on the
    // bridge network, when addresses are allocated
    if (facts.root()
        && request.allocateAddresses()
        && request.requestedMode().map(m -> m == NetworkMode.BRIDGE).orElse(true)) {
      for (IpAddress ip : CniLeases.read(settings.client().transport(), request.bridgeNetwork())) {
        if (!preferred.containsValue(ip) && !taken.contains(ip)) {
          taken.add(ip);
        }
      }
    }
    // a partial up: the recorded instances it does not plan keep their addresses and hosts lines
    Set<String> planned = new HashSet<>();
    request.instances().forEach(i -> planned.add(i.instance()));
    List<io.github.scompose.network.InstanceAddress> kept = new ArrayList<>();
    recorded.values().stream()
        .filter(e -> !planned.contains(e.name()))
        .forEach(
            e ->
                kept.add(
                    io.github.scompose.network.InstanceAddress.builder()
                        .service(e.service())
                        .instance(e.name())
                        .replica(e.replica())
                        .address(preferred.getOrDefault(e.name(), IpAddress.parse("127.0.0.1")))
                        .build()));
    // the lease store only read: the addresses and port checks up will lease, nothing taken
    NetworkPlanner p =
        settings
            .leases()
            .map(l -> planner.withLeases(l.readOnly(), LeaseOwners.liveness(l, running)))
            .orElse(planner);
    NetworkPlan network =
        p.plan(
            request
                .withTakenAddresses(taken)
                .withPreferredAddresses(preferred)
                .withKeptInstances(kept));
    return UpPlanner.plan(project, facts, network, options);
  }

  /** {@code options} with the engine's profiles when it names none. */
  public PlanOptions withProfiles(PlanOptions options) {
    return options.profiles().isEmpty() && !profiles.isEmpty()
        ? options.withProfiles(profiles)
        : options;
  }

  /**
   * {@code Compose.discard}: with a lease store, releases the project's leases unless the project's
   * state file records the project or is damaged (the project may be up: its leases stay). A plan
   * takes no lease, so this releases only what an older version's dry run left.
   *
   * @return how many leases were released
   * @throws io.github.scompose.network.LeaseFileException when the lease file is bad
   */
  public int discard(UpPlan plan) {
    boolean recorded;
    try {
      recorded =
          StateFile.read(StateFile.in(plan.stateDirectory()))
              .filter(st -> st.project().equals(plan.project()))
              .isPresent();
    } catch (DamagedStateException e) {
      LOG.info("{}; keeping the project's leases", e.getMessage());
      recorded = true; // a damaged state may record a running project: its leases stay
    }
    if (recorded || settings.leases().isEmpty()) {
      return 0;
    }
    LeaseStore l = settings.leases().get();
    int released = l.release(plan.project());
    LeaseOwners.forget(l, plan.project(), plan.stateDirectory());
    return released;
  }

  /**
   * The state for planning: a damaged file counts as none (an INFO line); {@code up} sets it aside
   * as {@code .bak} and reconciles from the listing (saying so at WARN), a dry run leaves it alone.
   */
  private static Optional<ProjectState> readForPlan(Path stateDirectory) {
    try {
      return StateFile.read(StateFile.in(stateDirectory));
    } catch (DamagedStateException e) {
      LOG.info("{}; planning as if the project had no state", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The plan of the images only: the services reduced to name, image and build (one replica, no
   * network, ports, volumes, dependencies), so that planning takes no lease, checks no host port
   * and cannot fail on what images do not need.
   */
  public UpPlan imagePlan(ComposeProject project, PlanOptions base, List<String> services) {
    for (String s : services) {
      if (project.service(s).isEmpty()) {
        throw new IllegalArgumentException("no service '" + s + "' in project " + project.name());
      }
    }
    ComposeProject bare =
        project
            .withSecrets(List.of())
            .withServices(
                project.services().stream()
                    .map(
                        s ->
                            (io.github.scompose.spec.ServiceSpec)
                                io.github.scompose.spec.ServiceSpec.builder()
                                    .name(s.name())
                                    .image(s.image())
                                    .build(s.build())
                                    .profiles(s.profiles())
                                    .network(
                                        io.github.scompose.spec.NetworkSpec.builder()
                                            .enable(false)
                                            .build())
                                    .build())
                    .toList());
    PlanOptions options = withProfiles(base.withServices(services));
    NetworkPlan network =
        NetworkPlanner.create().plan(UpPlanner.networkRequest(bare, facts, options));
    return UpPlanner.plan(bare, facts, network, options);
  }
}
