package io.github.scompose.core.nodes;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeLogLine;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.LogOptions;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.internal.plan.DependencyLevels;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * One project across several nodes, a layer above the single-node engine: each node runs its own
 * {@link Compose} engine (built by the given function, over that node's transport: SSH, {@link
 * io.github.scompose.core.transport.SrunTransport}, or an in-JVM fake) on the project {@link
 * Placement#projectOn} gives it, with its state in {@value #STATE_DIRECTORY}{@code /<node>/} of the
 * project directory and the placement in {@link NodesRecord}.
 *
 * <ul>
 *   <li>{@link #up}: records the placement first (so that {@link #down} finds every node even after
 *       a crash), then starts the dependency levels of the project one after the other (level 0 on
 *       every node in parallel, then level 1, …): a service starts after what it depends on, on
 *       whichever node that runs. A failure on any node takes the whole project down on every node
 *       and throws.
 *   <li>{@link #ps}, {@link #logLines}: every node in parallel; a node that does not answer is in
 *       {@link NodeResults#failures()}.
 *   <li>{@link #down}: every node in parallel; the record is deleted when every node answered, else
 *       kept with the nodes that did not, so that a later {@code down} tries them again.
 * </ul>
 *
 * <p>Cross-node {@code depends_on} conditions are "started" (the dependency's level is up); {@code
 * service_healthy} across nodes is not waited for (within a node it is, by the node's engine).
 * Thread-safe.
 */
public final class ComposeAcrossNodes {

  /** Folder under the project directory for the record and the nodes' engine state: {@value}. */
  public static final String STATE_DIRECTORY = ".scompose-nodes";

  private final Function<Node, Compose.Builder> engines;
  private final Map<String, Compose> built = new ConcurrentHashMap<>();

  private ComposeAcrossNodes(Function<Node, Compose.Builder> engines) {
    this.engines = engines;
  }

  /**
   * A layer whose node engines come from {@code engines} (called once per node, lazily, from any
   * thread; it may throw, e.g. a {@link io.github.scompose.core.transport.TransportException} when
   * the node does not answer, and that node is then reported as failed). The state directory name
   * of each builder is set here.
   */
  public static ComposeAcrossNodes create(Function<Node, Compose.Builder> engines) {
    return new ComposeAcrossNodes(Objects.requireNonNull(engines));
  }

  /** The state directory name of {@code node}'s engine: {@value #STATE_DIRECTORY}{@code /NODE}. */
  public static String stateDirectoryOf(String node) {
    return STATE_DIRECTORY + "/" + node;
  }

  /**
   * The engine of {@code node} (built on first use).
   *
   * @throws RuntimeException whatever the engine function throws
   */
  public Compose engine(Node node) {
    Compose c = built.get(node.name());
    if (c != null) {
      return c;
    }
    Compose made = engines.apply(node).stateDirectoryName(stateDirectoryOf(node.name())).build();
    Compose prior = built.putIfAbsent(node.name(), made);
    return prior != null ? prior : made;
  }

  /** The options node {@code node}'s engine plans with. */
  static PlanOptions optionsOn(PlanOptions options, Placement placement, String node) {
    return options
        .withStateDirectoryName(stateDirectoryOf(node))
        .withReplicaNumbers(placement.replicaNumbers(node));
  }

  /**
   * The dry run of every node: for each node that runs an instance, a line {@code # node NAME},
   * then the binary invocations its engine would run, one per line (see {@link UpPlan#dryRun}).
   * Plans are discarded (no lease kept).
   *
   * @throws NodesFailedException when a node does not answer (its engine is needed to plan)
   */
  public String dryRun(ComposeProject project, Placement placement, PlanOptions options) {
    NodeResults<String> r =
        onEach(
            placement.usedNodes(),
            n -> {
              Compose c = engine(n);
              UpPlan plan =
                  c.plan(
                      placement.projectOn(project, n.name()),
                      optionsOn(options, placement, n.name()));
              c.discard(plan);
              return plan.dryRun(c.client());
            });
    if (!r.ok()) {
      throw new NodesFailedException("cannot plan on every node", r.failures());
    }
    StringBuilder b = new StringBuilder();
    r.results().forEach((n, text) -> b.append("# node ").append(n).append('\n').append(text));
    return b.toString();
  }

  /**
   * Brings {@code project} up across the nodes of {@code record}'s placement (see the class
   * comment). Only {@link PlanOptions#naming()}, {@link PlanOptions#referenceCompatible()} and
   * {@link PlanOptions#writableTmpfs()} of {@code options} are used: every service is started.
   *
   * @return node → the instances started there
   * @throws NodesFailedException when a node did not answer or its engine failed (after the project
   *     was taken down on every node that answers)
   */
  public Map<String, List<String>> up(
      ComposeProject project, NodesRecord record, PlanOptions options) {
    Placement placement = record.placement();
    record.write(project.directory());
    Map<String, List<String>> started = new LinkedHashMap<>();
    for (Set<String> level : levels(project)) {
      List<Node> nodes =
          placement.usedNodes().stream()
              .filter(
                  n -> placement.on(n.name()).stream().anyMatch(i -> level.contains(i.service())))
              .toList();
      NodeResults<List<String>> r =
          onEach(
              nodes,
              n -> {
                Set<String> mine = new TreeSet<>();
                placement.on(n.name()).stream()
                    .map(PlacedInstance::service)
                    .filter(level::contains)
                    .forEach(mine::add);
                PlanOptions o =
                    optionsOn(options, placement, n.name())
                        .withServices(mine)
                        .withDependencies(false)
                        .withRemoveOrphans(false);
                return engine(n).up(placement.projectOn(project, n.name()), o).instances();
              });
      r.results()
          .forEach(
              (n, l) -> {
                List<String> mine = started.computeIfAbsent(n, k -> new ArrayList<>());
                l.stream().filter(i -> !mine.contains(i)).forEach(mine::add);
              });
      if (!r.ok()) {
        NodeResults<List<String>> down = down(project.directory(), null);
        Map<String, String> failures = new LinkedHashMap<>(r.failures());
        down.failures().forEach((n, w) -> failures.putIfAbsent(n, "and down failed: " + w));
        throw new NodesFailedException(
            "up of " + project.name() + " failed; the project was taken down", failures);
      }
    }
    return started;
  }

  /** Service names by dependency level, level 0 first. */
  static List<Set<String>> levels(ComposeProject project) {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    Set<String> names = new LinkedHashSet<>();
    project.services().forEach(s -> names.add(s.name()));
    for (ServiceSpec s : project.services()) {
      deps.put(
          s.name(),
          s.dependsOn().stream().map(DependsOn::service).filter(names::contains).toList());
    }
    List<Set<String>> out = new ArrayList<>();
    DependencyLevels.of(deps)
        .forEach(
            (s, l) -> {
              while (out.size() <= l) {
                out.add(new LinkedHashSet<>());
              }
              out.get(l).add(s);
            });
    return out;
  }

  /** The record under {@code projectDirectory}, if the project is up across nodes. */
  public Optional<NodesRecord> record(Path projectDirectory) {
    return NodesRecord.read(projectDirectory);
  }

  /**
   * Every recorded instance on every node, node by node in the record's order; empty when the
   * project is not up across nodes.
   */
  public NodeResults<List<NodeInstance>> ps(Path projectDirectory) {
    Optional<NodesRecord> record = record(projectDirectory);
    if (record.isEmpty()) {
      return new NodeResults<>(Map.of(), Map.of());
    }
    return onEach(
        record.get().placement().usedNodes(),
        n -> {
          List<NodeInstance> rows = new ArrayList<>();
          for (InstanceStatus s : engine(n).ps(projectDirectory)) {
            rows.add(NodeInstance.builder().node(n.name()).status(s).build());
          }
          return rows;
        });
  }

  /**
   * The log lines of every node ({@link io.github.scompose.core.compose.ComposeStack#logLines}),
   * node by node; empty when the project is not up across nodes. Services of {@code options} that
   * have no instance on a node are left out there.
   */
  public NodeResults<List<ComposeLogLine>> logLines(Path projectDirectory, LogOptions options) {
    Optional<NodesRecord> record = record(projectDirectory);
    if (record.isEmpty()) {
      return new NodeResults<>(Map.of(), Map.of());
    }
    Placement placement = record.get().placement();
    return onEach(
        placement.usedNodes(),
        n -> {
          Set<String> here = new LinkedHashSet<>();
          placement.on(n.name()).forEach(i -> here.add(i.service()));
          List<String> wanted =
              options.services().isEmpty()
                  ? List.copyOf(here)
                  : options.services().stream().filter(here::contains).toList();
          if (wanted.isEmpty()) {
            return List.<ComposeLogLine>of();
          }
          Compose c = engine(n);
          if (c.ps(projectDirectory).isEmpty()) {
            return List.<ComposeLogLine>of();
          }
          return c.attach(projectDirectory).logLines(options.withServices(wanted));
        });
  }

  /**
   * Followers of the logs of every node ({@link
   * io.github.scompose.core.compose.ComposeStack#followLogs}), not yet started, each delivering its
   * lines to {@code listener} with the node's name; nodes without an instance of {@code options}'
   * services are left out. The caller starts and closes them.
   */
  public NodeResults<io.github.scompose.core.compose.ComposeLogFollower> followLogs(
      Path projectDirectory,
      LogOptions options,
      java.util.function.BiConsumer<String, ComposeLogLine> listener) {
    Optional<NodesRecord> record = record(projectDirectory);
    if (record.isEmpty()) {
      return new NodeResults<>(Map.of(), Map.of());
    }
    Placement placement = record.get().placement();
    List<Node> nodes =
        placement.usedNodes().stream()
            .filter(
                n ->
                    options.services().isEmpty()
                        || placement.on(n.name()).stream()
                            .anyMatch(i -> options.services().contains(i.service())))
            .toList();
    return onEach(
        nodes,
        n -> {
          Set<String> here = new LinkedHashSet<>();
          placement.on(n.name()).forEach(i -> here.add(i.service()));
          List<String> wanted =
              options.services().isEmpty()
                  ? List.copyOf(here)
                  : options.services().stream().filter(here::contains).toList();
          return engine(n)
              .attach(projectDirectory)
              .followLogs(options.withServices(wanted), l -> listener.accept(n.name(), l));
        });
  }

  /**
   * Stops and forgets every instance on every node in parallel, each node's engine as {@link
   * Compose#down(Path, Duration)}; deletes the record when every node answered, else rewrites it
   * with only the nodes that did not (and their instances). Nothing when the project is not up
   * across nodes.
   *
   * @param timeout as for {@link Compose#down(Path, Duration)}; {@code null} for the engines'
   * @return node → instances stopped; failures for the nodes that did not answer
   */
  public NodeResults<List<String>> down(Path projectDirectory, Duration timeout) {
    Optional<NodesRecord> record = record(projectDirectory);
    if (record.isEmpty()) {
      return new NodeResults<>(Map.of(), Map.of());
    }
    Placement placement = record.get().placement();
    NodeResults<List<String>> r =
        onEach(placement.usedNodes(), n -> engine(n).down(projectDirectory, timeout));
    if (r.ok()) {
      NodesRecord.delete(projectDirectory);
    } else {
      Placement.Builder kept = Placement.builder().nodes(placement.nodes());
      placement.instances().stream()
          .filter(i -> r.failures().containsKey(i.node()))
          .forEach(kept::addInstances);
      record.get().withPlacement(kept.build()).write(projectDirectory);
    }
    return r;
  }

  /** Runs {@code action} on each node in parallel; a thrown exception is that node's failure. */
  <T> NodeResults<T> onEach(List<Node> nodes, NodeAction<T> action) {
    if (nodes.isEmpty()) {
      return new NodeResults<>(Map.of(), Map.of());
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            nodes.size(),
            r -> {
              Thread t = new Thread(r, "scompose-node");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, Future<T>> futures = new LinkedHashMap<>();
      for (Node n : nodes) {
        futures.put(n.name(), pool.submit(() -> action.apply(n)));
      }
      Map<String, T> results = new LinkedHashMap<>();
      Map<String, String> failures = new LinkedHashMap<>();
      for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException x) {
          failures.put(e.getKey(), describe(x.getCause()));
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          failures.put(e.getKey(), "interrupted");
        }
      }
      return new NodeResults<>(results, failures);
    } finally {
      pool.shutdownNow();
    }
  }

  /** What went wrong, in words: the messages of the cause chain, never a class name alone. */
  static String describe(Throwable t) {
    List<String> parts = new ArrayList<>();
    for (Throwable c = t; c != null && parts.size() < 3; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && !m.isBlank() && parts.stream().noneMatch(p -> p.contains(m))) {
        parts.add(m.strip());
      }
    }
    return parts.isEmpty() ? "failed without a message" : String.join(": ", parts);
  }

  /** One node's work. */
  @FunctionalInterface
  interface NodeAction<T> {
    T apply(Node node) throws Exception;
  }
}
