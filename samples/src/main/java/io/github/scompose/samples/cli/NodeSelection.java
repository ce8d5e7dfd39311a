package io.github.scompose.samples.cli;

import static io.github.scompose.samples.cli.AcrossNodesCli.LABELS_VARIABLE;
import static io.github.scompose.samples.cli.AcrossNodesCli.NODES_VARIABLE;
import static io.github.scompose.samples.cli.AcrossNodesCli.SSH_CONFIG_VARIABLE;
import static io.github.scompose.samples.cli.AcrossNodesCli.TRANSPORT_VARIABLE;
import static io.github.scompose.samples.cli.AcrossNodesCli.environment;
import static io.github.scompose.samples.cli.AcrossNodesCli.nodeTransportOverrides;
import static io.github.scompose.samples.cli.AcrossNodesCli.slurmCommands;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.nodes.Node;
import io.github.scompose.core.nodes.NodeLabels;
import io.github.scompose.core.nodes.NodePorts;
import io.github.scompose.core.nodes.NodesRecord;
import io.github.scompose.core.nodes.SlurmJob;
import io.github.scompose.core.transport.SrunTransport;
import io.github.scompose.core.transport.SshConfig;
import io.github.scompose.core.transport.SshTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.samples.cli.AcrossNodesCli.Selection;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Across nodes (issue 16, see {@link AcrossNodesCli}): which nodes {@code up} runs on, their labels
 * and addresses, the transport kind, the plan options, and each node's engine over its transport
 * ({@link NodeConnections}).
 */
final class NodeSelection {

  private NodeSelection() {}

  /**
   * The nodes {@code up} runs on, or empty for a single-node {@code up}. Asks Slurm for a job when
   * {@code --slurm} is given (not in a dry run: exit 2).
   */
  static Optional<Selection> select(
      ScomposeCommand root, NodeOptions o, ComposeProject project, boolean dryRun) {
    Map<String, String> env = environment.get();
    Map<String, Object> x = xScompose(project);
    List<String> entries = new ArrayList<>();
    String source;
    Optional<SlurmJob> job = Optional.empty();
    if (!o.nodes.isEmpty()) {
      entries.addAll(o.nodes);
      source = "--nodes";
    } else if (o.slurm != null) {
      if (dryRun) {
        throw new CliException(
            ScomposeCommand.EXIT_INVALID,
            "--slurm with --dry-run: the nodes are known only once Slurm grants them; give"
                + " --nodes to see a placement");
      }
      Transport t = slurmCommands.get();
      SlurmJob j = SlurmJob.allocate(t, "scompose-" + project.name(), o.slurm, Duration.ofHours(1));
      root.err.println("Slurm granted job " + j.id() + ": " + String.join(", ", j.nodes()));
      job = Optional.of(j);
      entries.addAll(j.nodes());
      source = "salloc " + o.slurm;
    } else if (env.get(NODES_VARIABLE) != null && !env.get(NODES_VARIABLE).isBlank()) {
      entries.addAll(List.of(env.get(NODES_VARIABLE).split(",")));
      source = NODES_VARIABLE;
    } else if (x.get("nodes") != null) {
      Object v = x.get("nodes");
      if (v instanceof List<?> l) {
        l.forEach(e -> entries.add(String.valueOf(e)));
      } else {
        entries.addAll(List.of(String.valueOf(v).split(",")));
      }
      source = "x-scompose.nodes";
    } else if (env.get("SLURM_JOB_ID") != null && env.get("SLURM_JOB_NODELIST") != null) {
      Optional<SlurmJob> here = SlurmJob.fromEnvironment(env, slurmCommands.get());
      if (here.isEmpty() || here.get().nodes().size() < 2) {
        return Optional.empty();
      }
      job = here;
      entries.addAll(here.get().nodes());
      source = "Slurm job " + here.get().id();
    } else {
      return Optional.empty();
    }
    List<Node> nodes = new ArrayList<>();
    for (String e : entries) {
      if (e.isBlank()) {
        continue;
      }
      try {
        nodes.add(Node.parse(e));
      } catch (IllegalArgumentException bad) {
        throw new CliException(
            ScomposeCommand.EXIT_INVALID, bad.getMessage() + " (" + source + ")");
      }
    }
    nodes = labels(o, x, env, project).apply(nodes);
    return Optional.of(new Selection(resolve(nodes), source, job));
  }

  /** The nodes, job and transport a project up across nodes recorded: up again uses them. */
  static Selection again(NodesRecord r) {
    return new Selection(
        r.placement().nodes(),
        "the project's record",
        r.jobId()
            .map(
                id ->
                    new SlurmJob(
                        id,
                        r.placement().nodes().stream().map(Node::name).toList(),
                        r.jobCreated())));
  }

  static Map<String, Object> xScompose(ComposeProject project) {
    Object x = project.extensions().get("x-scompose");
    if (x instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    return Map.of();
  }

  private static NodeLabels labels(
      NodeOptions o, Map<String, Object> x, Map<String, String> env, ComposeProject project) {
    Path file = o.labels;
    if (file == null && env.get(LABELS_VARIABLE) != null && !env.get(LABELS_VARIABLE).isBlank()) {
      file = Path.of(env.get(LABELS_VARIABLE));
    }
    if (file == null && x.get("node-labels") != null) {
      file = project.directory().resolve(String.valueOf(x.get("node-labels")));
    }
    if (file == null) {
      return NodeLabels.none();
    }
    try {
      return NodeLabels.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "cannot read the node label file "
              + file
              + ": "
              + (e instanceof java.nio.file.NoSuchFileException
                  ? "no such file"
                  : e instanceof java.nio.file.AccessDeniedException
                      ? "permission denied"
                      : Files.isDirectory(file) ? "it is a folder" : "unreadable"));
    } catch (IllegalArgumentException e) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, e.getMessage());
    }
  }

  /** Nodes without an address get their name resolved here. */
  private static List<Node> resolve(List<Node> nodes) {
    List<Node> out = new ArrayList<>();
    for (Node n : nodes) {
      if (n.address().isPresent()) {
        out.add(n);
        continue;
      }
      try {
        out.add(
            Node.builder()
                .from(n)
                .address(InetAddress.getByName(n.name()).getHostAddress())
                .build());
      } catch (UnknownHostException e) {
        throw new CliException(
            ScomposeCommand.EXIT_FAILURE,
            "node "
                + n.name()
                + ": its address cannot be resolved here; give it as "
                + n.name()
                + "=ADDRESS or address= in the node label file");
      }
    }
    return out;
  }

  /** The transport kind of a new project: option, variable, srun in a job, fake, else ssh. */
  static String transportKind(ScomposeCommand root, NodeOptions o, Selection s) {
    String kind = o.transport;
    if (kind == null) {
      kind = environment.get().get(TRANSPORT_VARIABLE);
    }
    if (kind == null || kind.isBlank()) {
      String runtime = root.runtime != null ? root.runtime : runtimeSetting();
      if ("fake".equals(runtime)) {
        kind = "fake";
      } else {
        kind = s.job().isPresent() ? "srun" : "ssh";
      }
    }
    kind = kind.strip().toLowerCase(Locale.ROOT);
    if (!List.of("ssh", "srun", "fake").contains(kind)) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID, "--node-transport " + kind + " is not ssh, srun or fake");
    }
    if (kind.equals("srun") && s.job().isEmpty()) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "--node-transport srun needs a Slurm job: run inside one, or use --slurm");
    }
    return kind;
  }

  private static String runtimeSetting() {
    String p = System.getProperty("scompose.runtime");
    return p != null ? p : environment.get().get("SCOMPOSE_RUNTIME");
  }

  static PlanOptions planOptions(ScomposeCommand root) {
    InstanceNaming naming =
        root.compat == ScomposeCommand.Compat.SINGULARITY_COMPOSE
            ? InstanceNaming.REFERENCE
            : root.compat == ScomposeCommand.Compat.SINGULARITY_STACK
                ? InstanceNaming.STACK
                : InstanceNaming.PROJECT;
    return PlanOptions.builder().naming(naming).referenceCompatible(root.referenceCompat()).build();
  }

  // ---- node connections -------------------------------------------------------------------------

  /** Builds each node's engine over its transport; closing ends every transport opened. */
  static final class NodeConnections implements Function<Node, Compose.Builder>, AutoCloseable {

    private final String kind;
    private final Optional<String> job;
    private final ScomposeCommand root;
    private final ComposeWiring wiring = ComposeWiring.system();
    private final List<Transport> opened = new CopyOnWriteArrayList<>();

    NodeConnections(String kind, Optional<String> job, ScomposeCommand root) {
      this.kind = kind;
      this.job = job;
      this.root = root;
    }

    @Override
    public Compose.Builder apply(Node node) {
      SingularityClient client;
      HostPorts ports;
      if (kind.equals("fake")) {
        FakeRuntime runtime =
            CliRuntime.fakeOverrides
                .apply(FakeProgram.program(FakeRuntime.builder()))
                .hostName(node.name())
                .stateDirectory(
                    CliRuntime.fakeStateDirectory().resolve("nodes").resolve(node.name()))
                .build();
        Transport t = nodeTransportOverrides.apply(node.name(), runtime.transport());
        opened.add(t);
        SingularityBinary binary =
            BinaryLocator.builder().explicitPath(runtime.dialect().program()).build().locate(t);
        client =
            SingularityClient.builder()
                .transport(t)
                .binary(binary)
                .hostIdentity(
                    HostIdentity.of(runtime.homeDirectory(), node.name(), FakeProgram.userName()))
                .build();
        ports = runtime.hostPorts();
      } else {
        Transport t =
            kind.equals("srun")
                ? SrunTransport.create(
                    job.orElseThrow(() -> new IllegalStateException("srun needs a Slurm job")),
                    node.name())
                : SshTransport.create(sshConfig(node));
        t = nodeTransportOverrides.apply(node.name(), t);
        opened.add(t);
        client =
            SingularityClient.builder()
                .transport(t)
                .binary(BinaryLocator.builder().environment(environment.get()).build().locate(t))
                .build();
        ports = NodePorts.of(t);
      }
      Compose.Builder b =
          wiring.engine(
              client, CliRuntime.factsOverride.apply(wiring.facts(client.dialect())), ports);
      wiring
          .leases()
          .ifPresent(
              l ->
                  b.leases(
                      LeaseStore.open(l.file().resolveSibling("leases-" + node.name() + ".json"))));
      return b;
    }

    private io.github.scompose.core.transport.SshConfig sshConfig(Node node) {
      SshConfig.Builder b = SshConfig.builder().host(node.name());
      node.user().ifPresent(b::user);
      node.sshPort().ifPresent(b::port);
      String config = environment.get().get(SSH_CONFIG_VARIABLE);
      if (config != null && !config.isBlank()) {
        b.configFile(config);
      }
      return b.build();
    }

    @Override
    public void close() {
      for (Transport t : opened) {
        t.close();
      }
    }
  }
}
