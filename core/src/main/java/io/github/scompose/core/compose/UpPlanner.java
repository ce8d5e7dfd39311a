package io.github.scompose.core.compose;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.internal.compose.InstanceEnvironment;
import io.github.scompose.core.internal.plan.DependencyLevels;
import io.github.scompose.network.FileBind;
import io.github.scompose.network.HostsEntry;
import io.github.scompose.network.InstanceNetwork;
import io.github.scompose.network.InstanceRequest;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.NetworkMode;
import io.github.scompose.network.NetworkPlan;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.NetworkRequest;
import io.github.scompose.network.PortPublication;
import io.github.scompose.network.PortRange;
import io.github.scompose.network.Protocol;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.NetworkSpec;
import io.github.scompose.spec.PortMapping;
import io.github.scompose.spec.SecretReference;
import io.github.scompose.spec.ServiceSpec;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link ComposeProject} into an {@link UpPlan}, without running anything. Two steps, so
 * that the caller owns the network planning (lease store, host port checks):
 *
 * <ol>
 *   <li>{@link #networkRequest} — the instances, ports and wishes for {@link NetworkPlanner};
 *   <li>{@link #plan} — with the resulting {@link NetworkPlan}, one {@link
 *       io.github.scompose.core.client.InstanceStart} per instance.
 * </ol>
 *
 * <p><b>Rules</b> (singularity-compose 0.1.19's, as its command lines were recorded on
 * SingularityCE 3.4.2, unless said otherwise):
 *
 * <ul>
 *   <li>Instances: replicas 1..{@code deploy.replicas} of each service, named by {@link
 *       InstanceNaming}; {@link PlanOptions#services()} selects services and, transitively, what
 *       they depend on; services whose Compose {@code profiles} are not active ({@link
 *       PlanOptions#profiles()}) are left out unless selected by name, and a dependency on one is a
 *       {@link io.github.scompose.spec.ComposeException} naming both.
 *   <li>Levels: a topological sort of {@code depends_on}; a cycle or a required dependency that is
 *       not a service fails here, naming it, before anything starts.
 *   <li>Flag order of a start: user binds ({@code volumes}, in order), {@code volumes_from} binds,
 *       secret binds, the resolver bind, the hosts bind, {@code --net}, {@code --network}, {@code
 *       --network-args portmap=…} per port, {@code --network-args IP=…}, {@code --fakeroot} (when
 *       the network needs it and {@code start.options} lacks it), {@code start.options} (rendered
 *       {@code x → -x}, {@code name → --name}, {@code k=v → --k=v}), {@code --hostname}, {@code
 *       --writable-tmpfs}, image, name, {@code start.args} (a string is one argument).
 *   <li>Network: the mode and flags come from the {@link NetworkPlan}; an instance with {@code
 *       network.enable: false} gets no {@code --net} flags (its binds stay) and its ports are
 *       checked as in host networking ({@link
 *       io.github.scompose.network.InstanceRequest#hostNetwork()}): a port the mode cannot honour
 *       is a {@link io.github.scompose.network.NetworkModeException} before anything starts, never
 *       dropped. A {@code hostname} that host networking cannot set is a plan note. With {@link
 *       PlanOptions#referenceCompatible()} an instance without network namespace still gets {@code
 *       --hostname}, as in 0.1.19. Hosts and resolver files live in the state directory (not in the
 *       project directory, as 0.1.19 had them).
 *   <li>Images: with {@code build}: {@code <state>/images/<service>.sif}, built from {@code
 *       <context>/<recipe>} (default recipe {@code Singularity}; {@code fakeroot} in {@code
 *       build.options} becomes {@code --fakeroot}); an {@code image} URI ({@code docker://}, {@code
 *       library://}, {@code shub://}, {@code oras://}, {@code http(s)://}) is pulled into {@code
 *       <state>/images/<service>.sif} (Compose Specification files: a bare reference such as {@code
 *       nginx:alpine} means {@code docker://nginx:alpine}); a local path is used as it is. Nothing
 *       is written into the user's folders (the build context, the project directory):
 *       singularity-compose 0.1.19 builds into {@code <context>/<service>.sif} and pulls into
 *       {@code <project>/<service>/<service>.sif}, which {@link PlanOptions#referenceCompatible()}
 *       keeps (the CLI's {@code --compat}), so that images it made are found where it left them.
 *   <li>Volumes: binds as written; a bind whose host path is missing is created as a directory
 *       before the starts ({@link UpPlan#hostPathDirectories()}) when the Compose rules say so
 *       ({@code bind.create_host_path}, implied by the short syntax; Compose Specification:
 *       "creates a directory at the source path on host if there is nothing present yet"), else
 *       left to the binary's error; named volumes are folders {@code <state>/volumes/<name>},
 *       anonymous ones {@code <state>/volumes/_anonymous/<instance>/<n>}; tmpfs mounts become
 *       {@code --scratch TARGET} (an empty directory discarded with the instance; no size limit,
 *       noted) where the launch subcommand has {@code --scratch} ({@link Dialect#supportsOption}),
 *       else {@link IllegalArgumentException} naming service and path.
 *   <li>Environment ({@code environment}, {@code env_file}) goes into {@link
 *       io.github.scompose.core.client.ContainerSettings#environment()}, never argv. Secrets are
 *       bound read-only at {@code /run/secrets/<name>}.
 *   <li>After start (spec 2.0): {@code exec} → {@code exec instance://NAME command…}, then {@code
 *       run} → {@code run instance://NAME args…}; strings are split like a shell. Then {@code
 *       post.command(s)} → {@link HostCommand}s run on the host in the project directory (a list is
 *       the argv; a string is split like a shell, never run by one). singularity-compose 0.1.19 ran
 *       {@code post} when it built the image; here it runs once the instance is up.
 *   <li>Every command run in an instance once it started (the steps above and the background
 *       launches below) gets the start's environment, env file and {@code --cleanenv}: the binary
 *       does not give a later {@code exec}/{@code run instance://} the instance's environment
 *       (recorded from SingularityCE 3.4.2).
 *   <li>Images converted from Docker (Compose Specification services with a {@code docker://}
 *       image) have no startscript: {@code instance run IMAGE NAME command…} where {@link
 *       Dialect#supportsInstanceRun()}; else {@code instance start} with no arguments, then {@code
 *       run instance://NAME command…} in the background (singularity-stack's way); an {@code
 *       entrypoint} is run with {@code exec instance://NAME entrypoint… command…} in the
 *       background.
 *   <li>{@code working_dir} becomes {@code --pwd} on the instance start where that subcommand has
 *       it ({@link Dialect#supportsOption}; SingularityCE 3.x {@code instance start} has not,
 *       recorded from 3.4.2); otherwise a plan note says so, once per service, and it is given to
 *       the commands run in the instance ({@code exec}/{@code run} steps) only.
 *   <li>GPUs and limits (Compose Specification): {@code gpus} and GPU {@code
 *       deploy.resources.reservations.devices} become {@code --nv} (driver {@code nvidia} or none)
 *       or {@code --rocm} (driver {@code amd}); {@code cpus}, {@code mem_limit}, {@code pids_limit}
 *       and {@code deploy.resources.limits} become {@code --cpus}/{@code --memory}/{@code
 *       --pids-limit} where the dialect has them, else (as root) {@code --apply-cgroups} with a
 *       generated {@code <state>/cgroups-<instance>.toml}, else an {@link IllegalArgumentException}
 *       naming the service and the keys (see {@code resources}).
 *   <li>A service that another waits for with {@code service_completed_successfully} is not started
 *       as an instance: it gets a {@link PlannedInstance#oneOff()} {@code run} of its image (binds,
 *       environment, options, no network namespace), and its dependents wait for exit code 0.
 * </ul>
 *
 * <p><b>Deliberate differences from singularity-compose 0.1.19</b> (its {@code instance start} argv
 * for every corpus file is compared, with exactly these rules applied, by {@code
 * ReferenceToolUpPlanTest}):
 *
 * <ol>
 *   <li>{@code --network-args} values are passed as they are ({@code IP=10.22.0.2}), without the
 *       literal double quotes it put into the argument ({@code "IP=10.22.0.2"}).
 *   <li>Variables are interpolated by the loader: a volume {@code ${HOME}:${HOME}} binds the home
 *       directory, where it bound {@code WD/${HOME}} literally.
 *   <li>{@code etc.hosts} and {@code resolv.conf} are written to and bound from the state directory
 *       ({@code WD/.scompose/}), not the project directory, so nothing of the user's is
 *       overwritten, and they are bound read-only ({@code :ro}, as issue 6 asks), where it bound
 *       them read-write and an instance could rewrite the project's name table.
 *   <li>A start option written with dashes ({@code --contain}) is passed as written; it passed
 *       {@code ----contain}.
 *   <li>Not root and no fakeroot (or no networked instance): host networking (no {@code --net}, no
 *       {@code --network-args}, no {@code --hostname}, no resolver bind; every name maps to {@code
 *       127.0.0.1} in the hosts file), where it used {@code --net --network none} with an address
 *       nothing routes to, so instances could not reach each other. As root, a project without
 *       ports gets the bridge, where 0.1.19 (which took sudo from the ports, not from the user)
 *       gave it {@code --network none} too. An instance that shares the host's network ({@code
 *       network.enable: false}) gets no resolver bind: the host's own resolver applies.
 *   <li>Bridge: the CNI network is named, {@code --network bridge} as root and {@code --network
 *       fakeroot} with {@code --fakeroot}, rather than left to the binary's default; on the
 *       fakeroot network the addresses come from its subnet ({@code 10.23.0.0/16}), where 0.1.19
 *       gave bridge addresses that a real 3.4.2 refuses there.
 *   <li>Build recipes are passed as absolute paths ({@code <context>/<recipe>}); it passed the
 *       recipe relative to the context.
 *   <li>Instances of one dependency level start in parallel; it started one at a time in an order
 *       that was wrong for some {@code depends_on} chains. The names come from {@link
 *       InstanceNaming}; {@code REFERENCE} gives its {@code <service><n>}.
 *   <li>A published port the network mode cannot honour (a remapped port in host networking, a
 *       privileged one when not root, any with network none) is an error before anything starts; it
 *       dropped them without a word.
 *   <li>Options the binary does not have ({@code run}/{@code exec} {@code env=} on SingularityCE
 *       3.4.2) are refused when the plan is rendered; it passed them and the binary failed.
 * </ol>
 *
 * <p>{@code samples}' {@code CompatDryRunTest} runs {@code scompose --compat singularity-compose up
 * --dry-run} as root through the CLI for every corpus file and compares the start lines, in order,
 * with the same rules.
 */
public final class UpPlanner {

  private UpPlanner() {}

  record InstanceId(ServiceSpec service, String name, int replica) {}

  /**
   * What to ask {@link NetworkPlanner#plan} for this project: its instances in start order, their
   * ports, the mode asked for ({@code network.type}; {@code host} when no instance is networked),
   * {@code network.allocate_ip}, {@code extra_hosts}, and root/fakeroot from {@code facts}.
   *
   * @throws IllegalArgumentException for an unknown selected service, a dependency cycle or a
   *     missing dependency
   */
  public static NetworkRequest networkRequest(
      ComposeProject project, RuntimeFacts facts, PlanOptions options) {
    List<ServiceSpec> services = selected(project, options);
    List<ServiceSpec> networked = services.stream().filter(UpPlanner::networked).toList();
    NetworkRequest.Builder r =
        NetworkRequest.builder()
            .project(project.name())
            .root(facts.root())
            .fakerootAllowed(
                facts.fakerootAllowed()
                    || (!networked.isEmpty()
                        && networked.stream().allMatch(UpPlanner::startsWithFakeroot)));
    if (!facts.dialect().supportsNetworking()) {
      r.requestedMode(NetworkMode.HOST)
          .requestReason(facts.dialect().version().format() + " has no network namespaces");
    } else if (networked.isEmpty()) {
      r.requestedMode(NetworkMode.HOST).requestReason("network.enable is false for every service");
    } else {
      for (ServiceSpec s : networked) {
        Optional<String> type = s.network().flatMap(NetworkSpec::type);
        if (type.isPresent()) {
          String why = "network type " + type.get() + " of service " + s.name();
          switch (type.get().toLowerCase(Locale.ROOT)) {
            case "none" -> r.requestedMode(NetworkMode.NONE).requestReason(why);
            case "host" -> r.requestedMode(NetworkMode.HOST).requestReason(why);
            case "bridge" -> r.requestedMode(NetworkMode.BRIDGE);
            default -> r.requestedMode(NetworkMode.BRIDGE).bridgeNetwork(type.get());
          }
          break;
        }
      }
      r.allocateAddresses(
          networked.stream().allMatch(s -> s.network().map(NetworkSpec::allocateIp).orElse(true)));
    }
    for (InstanceId i : instances(project, services, options)) {
      InstanceRequest.Builder b =
          InstanceRequest.builder()
              .service(i.service().name())
              .instance(i.name())
              .replica(i.replica())
              // network.enable: false keeps the instance in the host's network: its ports are
              // checked as in host networking, never dropped
              .hostNetwork(!networked(i.service()));
      for (PortMapping m : i.service().ports()) {
        b.addPort(publication(m));
      }
      r.addInstance(b.build());
    }
    for (ServiceSpec s : services) {
      for (Map.Entry<String, List<String>> e : s.extraHosts().entrySet()) {
        for (String address : e.getValue()) {
          if (!address.equals("host-gateway")) {
            r.addExtraHost(HostsEntry.of(IpAddress.parse(address), e.getKey()));
          }
        }
      }
    }
    return r.build();
  }

  /**
   * The plan of {@code up}.
   *
   * @param network the plan {@link NetworkPlanner} made from {@link #networkRequest} of the same
   *     arguments
   * @throws IllegalArgumentException for a dependency cycle, a missing dependency or {@code
   *     volumes_from} source, a service with neither {@code image} nor {@code build}, a tmpfs
   *     mount, a secret without a file, or a network plan that lacks an instance
   */
  public static UpPlan plan(
      ComposeProject project, RuntimeFacts facts, NetworkPlan network, PlanOptions options) {
    List<ServiceSpec> services = selected(project, options);
    Map<String, List<String>> deps = new LinkedHashMap<>();
    Set<String> names = new LinkedHashSet<>();
    services.forEach(s -> names.add(s.name()));
    for (ServiceSpec s : services) {
      List<String> mine = new ArrayList<>();
      for (DependsOn d : s.dependsOn()) {
        boolean outsideByChoice =
            !options.dependencies() && project.service(d.service()).isPresent();
        if (names.contains(d.service()) || (d.required() && !outsideByChoice)) {
          mine.add(d.service());
        }
      }
      deps.put(s.name(), mine);
    }
    Map<String, Integer> levels = DependencyLevels.of(deps);
    Path state = project.directory().resolve(options.stateDirectoryName());
    List<InstanceId> ids = instances(project, services, options);
    Map<String, List<String>> instancesOf = new LinkedHashMap<>();
    for (InstanceId i : ids) {
      instancesOf.computeIfAbsent(i.service().name(), k -> new ArrayList<>()).add(i.name());
    }

    UpPlan.Builder plan =
        UpPlan.builder()
            .project(project.name())
            .directory(project.directory())
            .stateDirectory(state)
            .naming(options.naming())
            .network(network)
            .files(network.files())
            .notes(network.notes());
    Set<Path> volumeDirs = new LinkedHashSet<>();
    Set<Path> hostPaths = new LinkedHashSet<>();
    Map<String, String> imageOf = new LinkedHashMap<>();
    Set<String> fromDocker = new LinkedHashSet<>();
    for (ServiceSpec s : services) {
      if (!instancesOf.containsKey(s.name())) {
        continue;
      }
      ImagePlanning.ImageChoice c =
          ImagePlanning.image(project, s, state, options.referenceCompatible());
      imageOf.put(s.name(), c.path());
      c.step().ifPresent(plan::addImage);
      if (c.fromDocker()) {
        fromDocker.add(s.name());
      }
    }
    Set<String> oneOffs = new LinkedHashSet<>();
    for (ServiceSpec s : services) {
      for (DependsOn d : s.dependsOn()) {
        if (d.condition() == DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY
            && names.contains(d.service())) {
          oneOffs.add(d.service());
        }
      }
    }
    Dialect dialect = facts.dialect();
    Set<String> noted = new LinkedHashSet<>();
    List<PlannedInstance> planned = new ArrayList<>();
    for (InstanceId i : ids) {
      ServiceSpec s = i.service();
      LaunchPlanning.Launch launch =
          LaunchPlanning.launch(project, s, fromDocker.contains(s.name()), dialect, i.name());
      String launchWord = launch.instanceRun() ? Dialect.INSTANCE_RUN : Dialect.INSTANCE_START;
      InstanceStart.Builder start =
          InstanceStart.builder().image(imageOf.get(s.name())).name(i.name());
      start.addAllBinds(BindPlanning.binds(s, i.name(), state, volumeDirs, hostPaths));
      start.addAllScratch(LaunchPlanning.scratch(s, dialect, launchWord, noted, plan));
      for (String from : s.volumesFrom()) {
        ServiceSpec other =
            project
                .service(from)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "service '"
                                + s.name()
                                + "' takes volumes_from '"
                                + from
                                + "', which is not a service of the project"));
        start.addAllBinds(BindPlanning.binds(other, i.name(), state, volumeDirs, hostPaths));
      }
      for (SecretReference ref : s.secrets()) {
        start.addBind(BindPlanning.secretBind(project, s, ref));
      }
      InstanceNetwork n = network.instance(i.name());
      List<FileBind> files = new ArrayList<>(n.binds());
      files.sort(Comparator.comparing(f -> f.fileName().equals(NetworkPlanner.HOSTS_FILE)));
      for (FileBind f : files) {
        start.addBind(
            Bind.builder()
                .source(state.resolve(f.fileName()).toString())
                .destination(f.containerPath())
                .readOnly(true) // issue 6; singularity-compose 0.1.19 bound them read-write
                .build());
      }
      List<String> startOptions = s.start().map(Invocation::options).orElse(List.of());
      if (networked(s) && facts.dialect().supportsNetworking()) {
        start.net(n.net());
        n.network().ifPresent(start::network);
        n.networkArgs().stream()
            .filter(a -> a.startsWith("portmap="))
            .forEach(start::addNetworkArg);
        n.networkArgs().stream()
            .filter(a -> !a.startsWith("portmap="))
            .forEach(start::addNetworkArg);
        start.fakeroot(n.fakeroot() && !startsWithFakeroot(s));
      }
      start.addAllOptions(startOptions);
      if (facts.dialect().supportsHostname()) {
        if (networked(s) && n.mode() != NetworkMode.HOST) {
          start.hostname(s.hostname().orElse(n.hostname().orElse(i.name())));
        } else if (!networked(s) && options.referenceCompatible()) {
          start.hostname(s.hostname().orElse(i.name())); // as singularity-compose 0.1.19
        } else if (s.hostname().isPresent() && noted.add(s.name() + "/hostname")) {
          plan.addNotes(
              "service '"
                  + s.name()
                  + "': hostname "
                  + s.hostname().get()
                  + " is not set: "
                  + (networked(s)
                      ? network.reason()
                      : "network.enable is false, so the instance has the host's network")
                  + ", and keeps the host's name");
        }
      }
      start.writableTmpfs(options.writableTmpfs());
      ResourcePlanning.resources(s, i.name(), facts, launchWord, state, start, plan, noted);
      Optional<String> stepPwd = s.workingDir();
      if (s.workingDir().isPresent()) {
        if (dialect.supportsOption(launchWord, "--pwd")) {
          start.pwd(s.workingDir().get());
        } else if (noted.add(s.name() + "/pwd")) {
          plan.addNotes(
              "service '"
                  + s.name()
                  + "': working_dir "
                  + s.workingDir().get()
                  + " is not given to the instance itself ("
                  + dialect.version().format()
                  + " "
                  + launchWord
                  + " has no --pwd); it applies to the commands run in it (exec, run)");
        }
      }
      start.environment(s.environment());
      start.addAllArgs(launch.startArgs().orElseGet(() -> LaunchPlanning.startArgs(project, s)));

      List<DependencyWait> waits = new ArrayList<>();
      for (DependsOn d : s.dependsOn()) {
        if (!names.contains(d.service())) {
          continue;
        }
        waits.add(
            DependencyWait.builder()
                .service(d.service())
                .instances(instancesOf.getOrDefault(d.service(), List.of()))
                .condition(d.condition())
                .required(d.required())
                .build());
      }
      InstanceStart built = start.build();
      PlannedInstance.Builder p =
          PlannedInstance.builder()
              .service(s.name())
              .name(i.name())
              .replica(i.replica())
              .level(levels.get(s.name()))
              .start(built)
              .waits(waits)
              .healthcheck(s.healthcheck())
              .stopSignal(s.stopSignal())
              .stopGracePeriod(s.stopGracePeriod())
              .restartPolicy(s.restart());
      if (oneOffs.contains(s.name())) {
        p.oneOff(LaunchPlanning.oneOff(project, s, built, dialect, stepPwd));
      } else {
        List<AfterStartStep> steps = new ArrayList<>();
        launch.background().ifPresent(steps::add);
        steps.addAll(LaunchPlanning.afterStart(s, i.name()));
        p.runscriptInstance(launch.instanceRun())
            .afterStart(
                LaunchPlanning.withPwd(InstanceEnvironment.steps(steps, built), stepPwd, dialect))
            .post(LaunchPlanning.post(project, s));
      }
      planned.add(p.build());
    }
    planned.sort(Comparator.comparingInt(PlannedInstance::level));
    if (options.removeOrphans()) {
      project.services().forEach(sv -> plan.addOrphansUnless(sv.name()));
    }
    return plan.instances(planned)
        .volumeDirectories(volumeDirs)
        .hostPathDirectories(hostPaths)
        .build();
  }

  // ---- selection and names ----------------------------------------------------------------------

  static List<ServiceSpec> selected(ComposeProject all, PlanOptions options) {
    ComposeProject project = all.withProfiles(options.profiles(), options.services());
    if (options.services().isEmpty()) {
      return project.services();
    }
    Set<String> wanted = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(options.services());
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!wanted.add(name)) {
        continue;
      }
      ServiceSpec s =
          project
              .service(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no service '" + name + "' in project " + project.name()));
      for (DependsOn d : s.dependsOn()) {
        if (options.dependencies() && (d.required() || project.service(d.service()).isPresent())) {
          todo.push(d.service());
        }
      }
    }
    return project.services().stream().filter(s -> wanted.contains(s.name())).toList();
  }

  static List<InstanceId> instances(
      ComposeProject project, List<ServiceSpec> services, PlanOptions options) {
    List<InstanceId> out = new ArrayList<>();
    for (ServiceSpec s : services) {
      List<Integer> numbers = options.replicaNumbers().get(s.name()); // hook: across nodes
      for (int n = 1; numbers == null ? n <= s.replicas() : n <= numbers.size(); n++) {
        int r = numbers == null ? n : numbers.get(n - 1);
        out.add(new InstanceId(s, options.naming().name(project.name(), s.name(), r), r));
      }
    }
    return out;
  }

  static boolean networked(ServiceSpec s) {
    return s.network().map(NetworkSpec::enable).orElse(true);
  }

  static boolean startsWithFakeroot(ServiceSpec s) {
    return s.start()
        .map(Invocation::options)
        .map(o -> o.contains("fakeroot") || o.contains("--fakeroot"))
        .orElse(false);
  }

  static PortPublication publication(PortMapping m) {
    PortRange container = PortRange.of(m.containerPorts().start(), m.containerPorts().end());
    PortPublication.Builder b =
        PortPublication.builder()
            .containerPorts(container)
            .protocol(Protocol.parse(m.protocol().value()));
    m.hostIp().ifPresent(ip -> b.hostIp(IpAddress.parse(ip)));
    m.hostPorts()
        .ifPresent(
            h -> b.hostPorts(PortRange.of(h.start(), h.start() + m.containerPorts().size() - 1)));
    return b.build();
  }
}
