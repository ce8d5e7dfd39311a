package io.github.scompose.samples.cli;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeLogLine;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.LogOptions;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.nodes.ComposeAcrossNodes;
import io.github.scompose.core.nodes.Node;
import io.github.scompose.core.nodes.NodeInstance;
import io.github.scompose.core.nodes.NodeLabels;
import io.github.scompose.core.nodes.NodePorts;
import io.github.scompose.core.nodes.NodeResults;
import io.github.scompose.core.nodes.NodesFailedException;
import io.github.scompose.core.nodes.NodesRecord;
import io.github.scompose.core.nodes.Placement;
import io.github.scompose.core.nodes.PlacementException;
import io.github.scompose.core.nodes.SlurmJob;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.SrunTransport;
import io.github.scompose.core.transport.SshConfig;
import io.github.scompose.core.transport.SshTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.LeaseStore;
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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The CLI side of one project across several nodes (issue 16), over {@link ComposeAcrossNodes}.
 *
 * <p><b>Nodes</b> ({@code up} only; the first that applies): {@code --nodes}, {@code --slurm}
 * (salloc), the variable {@value #NODES_VARIABLE}, the file's {@code x-scompose.nodes}, the Slurm
 * job this runs in when it has two nodes or more ({@code SLURM_JOB_ID}, {@code
 * SLURM_JOB_NODELIST}). Otherwise {@code up} is the single-node one, unchanged. Labels from {@code
 * --node-labels}, {@value #LABELS_VARIABLE}, or {@code x-scompose.node-labels}. A node's address:
 * {@code =ADDRESS} of its entry, else {@code address=} of the label file, else its name resolved
 * here.
 *
 * <p><b>Transport</b>: {@code --node-transport}, else {@value #TRANSPORT_VARIABLE}, else {@code
 * srun} in a Slurm job, else {@code ssh} ({@value #SSH_CONFIG_VARIABLE} names an ssh config file);
 * with {@code --runtime fake} (or {@code fake}) each node is an embedded fake runtime with its own
 * state under the fake's state directory, {@code nodes/NODE}. Per node: the binary found there
 * ({@code APPTAINER_BINARY}/{@code SINGULARITY_BINARY} of this process taken as paths on the node,
 * else the node's PATH), its ports ({@link NodePorts}), a lease file per node ({@code
 * leases-NODE.json} beside the per-user one).
 *
 * <p><b>Output</b>: {@code up --dry-run} prints {@code # placement} and the placement table ({@link
 * Placement#render()}), then each node's invocations under {@code # node NAME}; {@code ps} adds a
 * NODE column (json: {@code node}); {@code logs} prefixes {@code INSTANCE@NODE | }; {@code down}
 * stops every node in parallel and releases a job that {@code up --slurm} asked for. A node that
 * does not answer: {@code scompose: node NAME: WHAT} on stderr and exit 1; the others are still
 * listed, or taken down.
 */
final class AcrossNodesCli {

  /** Nodes when {@code --nodes} is not given: {@value}. */
  static final String NODES_VARIABLE = "SCOMPOSE_NODES";

  /** The transport when {@code --node-transport} is not given: {@value}. */
  static final String TRANSPORT_VARIABLE = "SCOMPOSE_NODE_TRANSPORT";

  /** The label file when {@code --node-labels} is not given: {@value}. */
  static final String LABELS_VARIABLE = "SCOMPOSE_NODE_LABELS";

  /** An ssh client configuration file for the ssh transport ({@code ssh -F}): {@value}. */
  static final String SSH_CONFIG_VARIABLE = "SCOMPOSE_SSH_CONFIG";

  /** Test seam: the environment read (variables above, Slurm's). */
  static volatile Supplier<Map<String, String>> environment = System::getenv;

  /**
   * Test seam: the transport of this machine's Slurm commands (salloc, squeue, scontrol, scancel).
   */
  static volatile Supplier<Transport> slurmCommands = LocalProcessTransport::create;

  /** Test seam: wraps each node's transport (e.g. one that no longer answers). */
  static volatile BiFunction<String, Transport, Transport> nodeTransportOverrides = (n, t) -> t;

  private AcrossNodesCli() {}

  /** What {@code up} chose. */
  record Selection(List<Node> nodes, String source, Optional<SlurmJob> job) {}

  // ---- up
  // ----------------------------------------------------------------------------------------

  /**
   * {@code up} across nodes when nodes are chosen (see the class comment): returns {@code true}
   * when it ran, {@code false} for the single-node {@code up}.
   *
   * @throws CliException exit 2 for {@code SERVICE} arguments across nodes (not supported: the
   *     whole project is placed), a bad node entry or label file, no node for a service
   */
  static boolean up(
      ScomposeCommand root, NodeOptions o, List<String> services, boolean dryRun, boolean detach) {
    Map<String, String> env = environment.get();
    boolean maybe =
        !o.nodes.isEmpty()
            || o.slurm != null
            || env.get(NODES_VARIABLE) != null
            || env.get("SLURM_JOB_ID") != null
            || o.transport != null;
    ComposeProject project = null;
    if (!maybe && NodesRecord.read(directory(root)).isEmpty()) {
      project = root.projectFiles().load();
      if (!project.extensions().containsKey("x-scompose")
          || !xScompose(project).containsKey("nodes")) {
        return false;
      }
    }
    if (project == null) {
      project = root.projectFiles().load();
    }
    // only the services of the active profiles are placed (each node's engine plans with them too)
    project = project.withProfiles(root.activeProfiles(), List.of());
    Optional<NodesRecord> before = recorded(root);
    Optional<Selection> s =
        before.isPresent() && o.nodes.isEmpty() && o.slurm == null
            ? Optional.of(again(before.get()))
            : select(root, o, project, dryRun);
    if (before.isPresent() && o.transport == null) {
      o.transport = before.get().transport(); // up again: the nodes are reached as before
    }
    if (s.isEmpty()) {
      return false;
    }
    if (before.isPresent()) {
      List<String> was = before.get().placement().nodes().stream().map(Node::name).toList();
      List<String> now = s.get().nodes().stream().map(Node::name).toList();
      if (!was.equals(now)) {
        releaseCreated(root, s.get().job());
        throw new CliException(
            ScomposeCommand.EXIT_FAILURE,
            "project "
                + project.name()
                + " is up across "
                + String.join(", ", was)
                + "; run 'scompose down' before bringing it up on "
                + String.join(", ", now));
      }
    }
    ProblemPrinter.print(project.warnings(), root.err);
    if (!services.isEmpty()) {
      releaseCreated(root, s.get().job());
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "up SERVICE... across nodes is not supported: the whole project is placed (give no"
              + " service)");
    }
    up(root, o, project, s.get(), dryRun, detach);
    return true;
  }

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
  private static Selection again(NodesRecord r) {
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

  private static Map<String, Object> xScompose(ComposeProject project) {
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
          "cannot read the node label file " + file + ": " + e.getMessage());
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

  /** {@code up} across the nodes of {@code s}. */
  static void up(
      ScomposeCommand root,
      NodeOptions o,
      ComposeProject project,
      Selection s,
      boolean dryRun,
      boolean detach) {
    String kind = transportKind(root, o, s);
    PlanOptions options = planOptions(root);
    Placement placement;
    try {
      placement = Placement.of(project, s.nodes(), options.naming());
    } catch (PlacementException e) {
      releaseCreated(root, s.job());
      throw new CliException(ScomposeCommand.EXIT_INVALID, e.getMessage());
    }
    root.err.println(
        "nodes: "
            + String.join(", ", s.nodes().stream().map(Node::name).toList())
            + " (from "
            + s.source()
            + "), reached by "
            + kind
            + "; host networking on each node");
    root.err.flush();
    try (NodeConnections connections = new NodeConnections(kind, s.job().map(SlurmJob::id), root)) {
      ComposeAcrossNodes layer = ComposeAcrossNodes.create(connections);
      if (dryRun) {
        String invocations;
        try {
          invocations = layer.dryRun(project, placement, options);
        } catch (NodesFailedException e) {
          throw new CliException(
              ScomposeCommand.EXIT_FAILURE, e.getMessage().replace("\n", "\nscompose: "));
        }
        root.out.print("# placement\n" + placement.render());
        root.out.print(invocations);
        root.out.flush();
        return;
      }
      NodesRecord record =
          NodesRecord.builder()
              .project(project.name())
              .transport(kind)
              .jobId(s.job().map(SlurmJob::id))
              .jobCreated(s.job().map(SlurmJob::created).orElse(false))
              .placement(placement)
              .build();
      Map<String, List<String>> started;
      try {
        started = layer.up(project, record, options);
      } catch (NodesFailedException e) {
        releaseCreated(root, s.job());
        throw new CliException(
            ScomposeCommand.EXIT_FAILURE, e.getMessage().replace("\n", "\nscompose: "));
      }
      started.forEach(
          (n, l) -> root.err.println("node " + n + ": running " + String.join(", ", l)));
      if (!detach) {
        root.err.println(
            "note: across nodes up returns once every instance runs (as up -d); follow the logs"
                + " with 'scompose logs', stop with 'scompose down'");
      }
      root.err.flush();
    }
  }

  private static void releaseCreated(ScomposeCommand root, Optional<SlurmJob> job) {
    if (job.isPresent() && job.get().created()) {
      SlurmJob.release(slurmCommands.get(), job.get().id());
      root.err.println("released Slurm job " + job.get().id());
    }
  }

  /**
   * @throws CliException exit 1 when {@code project} is up across nodes: the other commands ({@code
   *     exec}, {@code run}, {@code stop}, …) work on one node's state only
   */
  static void refuseOneNodeCommand(ComposeProject project) {
    Optional<NodesRecord> r;
    try {
      r = NodesRecord.read(project.directory());
    } catch (IllegalStateException e) {
      return; // a damaged record is reported by ps and down
    }
    if (r.isPresent()) {
      throw new CliException(
          ScomposeCommand.EXIT_FAILURE,
          "project "
              + project.name()
              + " is up across nodes ("
              + String.join(", ", r.get().placement().nodes().stream().map(Node::name).toList())
              + "): up, ps, logs and down work across them; for this command, run scompose on"
              + " the node, or down first");
    }
  }

  // ---- ps, logs, down
  // ------------------------------------------------------------------------------

  /** The record of the project directory the options name, if it is up across nodes. */
  static Optional<NodesRecord> recorded(ScomposeCommand root) {
    try {
      return NodesRecord.read(root.projectFiles().directory().toAbsolutePath().normalize());
    } catch (IllegalStateException e) {
      throw new CliException(ScomposeCommand.EXIT_FAILURE, e.getMessage());
    }
  }

  private static Path directory(ScomposeCommand root) {
    return root.projectFiles().directory().toAbsolutePath().normalize();
  }

  /** {@code ps} across nodes. */
  static void ps(
      ScomposeCommand root,
      NodesRecord record,
      PsCommand.Format format,
      boolean all,
      boolean quiet,
      List<String> services) {
    try (NodeConnections c = new NodeConnections(record.transport(), record.jobId(), root)) {
      NodeResults<List<NodeInstance>> r = ComposeAcrossNodes.create(c).ps(directory(root));
      List<NodeInstance> rows = new ArrayList<>();
      r.results().values().forEach(rows::addAll);
      rows =
          rows.stream()
              .filter(i -> all || i.status().state() == InstanceStatus.State.RUNNING)
              .filter(i -> services.isEmpty() || services.contains(i.status().service()))
              .toList();
      if (quiet) {
        rows.forEach(i -> root.out.println(i.status().name()));
      } else if (format == PsCommand.Format.JSON) {
        root.out.print(json(rows));
      } else {
        root.out.print(table(rows));
      }
      root.out.flush();
      fail(r, "ps");
    }
  }

  static String table(List<NodeInstance> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"NAME", "NODE", "SERVICE", "PID", "IP", "STATUS", "IMAGE"});
    for (NodeInstance n : rows) {
      InstanceStatus i = n.status();
      cells.add(
          new String[] {
            i.name(),
            n.node(),
            i.service(),
            i.pid().isPresent() ? Long.toString(i.pid().getAsLong()) : "-",
            i.ip().orElse("-"),
            i.state().name().toLowerCase(Locale.ROOT),
            i.image()
          });
    }
    int[] width = new int[7];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        line.append(row[c]);
        if (c + 1 < row.length) {
          line.append(" ".repeat(width[c] - row[c].length() + 3));
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  static String json(List<NodeInstance> rows) {
    List<Object> out = new ArrayList<>();
    for (NodeInstance n : rows) {
      InstanceStatus i = n.status();
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", i.name());
      o.put("node", n.node());
      o.put("service", i.service());
      o.put("pid", i.pid().isPresent() ? (Object) i.pid().getAsLong() : null);
      o.put("ip", i.ip().orElse(null));
      o.put("status", i.state().name().toLowerCase(Locale.ROOT));
      o.put("image", i.image());
      o.put("restarts", i.restarts());
      out.add(o);
    }
    return JsonText.write(out) + "\n";
  }

  /**
   * {@code logs} across nodes: the lines of every node, node by node, prefixed {@code INSTANCE@NODE
   * | } (labels padded to one width) unless {@code prefix} is off; with {@code follow}, as they
   * come until the process is stopped.
   */
  static void logs(
      ScomposeCommand root,
      NodesRecord record,
      List<String> services,
      Integer tail,
      java.time.Instant since,
      boolean follow,
      boolean prefix) {
    io.github.scompose.core.compose.LogOptions.Builder b =
        io.github.scompose.core.compose.LogOptions.builder().services(services);
    if (tail != null) {
      b.tail(tail);
    }
    if (since != null) {
      b.since(since);
    }
    LogOptions options = b.build();
    if (follow) {
      follow(root, record, options, prefix);
      return;
    }
    try (NodeConnections c = new NodeConnections(record.transport(), record.jobId(), root)) {
      NodeResults<List<ComposeLogLine>> r =
          ComposeAcrossNodes.create(c).logLines(directory(root), options);
      int width = 0;
      for (Map.Entry<String, List<ComposeLogLine>> e : r.results().entrySet()) {
        for (ComposeLogLine l : e.getValue()) {
          width = Math.max(width, l.instance().length() + 1 + e.getKey().length());
        }
      }
      for (Map.Entry<String, List<ComposeLogLine>> e : r.results().entrySet()) {
        for (ComposeLogLine l : e.getValue()) {
          String label = l.instance() + "@" + e.getKey();
          root.out.println(
              (prefix ? label + " ".repeat(width - label.length()) + " | " : "") + l.text());
        }
      }
      root.out.flush();
      fail(r, "logs");
    }
  }

  /**
   * {@code logs -f} across nodes: every node's lines as they come ({@code INSTANCE@NODE | } prefix,
   * not padded: the widths are not known ahead), until the process is stopped (Ctrl-C); the nodes
   * that do not answer are reported first, and the others followed.
   */
  private static void follow(
      ScomposeCommand root, NodesRecord record, LogOptions options, boolean prefix) {
    NodeConnections c = new NodeConnections(record.transport(), record.jobId(), root);
    NodeResults<io.github.scompose.core.compose.ComposeLogFollower> r =
        ComposeAcrossNodes.create(c)
            .followLogs(
                directory(root),
                options,
                (node, l) -> {
                  synchronized (root.out) {
                    root.out.println((prefix ? l.instance() + "@" + node + " | " : "") + l.text());
                    root.out.flush();
                  }
                });
    r.failures().forEach((n, w) -> root.err.println("scompose: node " + n + ": " + w));
    root.err.flush();
    r.results().values().forEach(io.github.scompose.core.compose.ComposeLogFollower::start);
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  r.results().values().forEach(f -> f.close());
                  c.close();
                  done.countDown();
                }));
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code down} across nodes; releases the job {@code up --slurm} asked for. */
  static void down(ScomposeCommand root, NodesRecord record, Duration timeout) {
    NodeResults<List<String>> r;
    try (NodeConnections c = new NodeConnections(record.transport(), record.jobId(), root)) {
      r = ComposeAcrossNodes.create(c).down(directory(root), timeout);
    }
    r.results()
        .forEach(
            (n, l) ->
                root.err.println(
                    "node " + n + ": stopped " + (l.isEmpty() ? "nothing" : String.join(", ", l))));
    if (record.jobCreated() && record.jobId().isPresent()) {
      SlurmJob.release(slurmCommands.get(), record.jobId().get());
      root.err.println("released Slurm job " + record.jobId().get());
    }
    root.err.flush();
    fail(r, "down");
  }

  /** Exit 1 with one line {@code node NAME: WHAT} per node that did not answer. */
  private static void fail(NodeResults<?> r, String what) {
    if (!r.ok()) {
      throw new CliException(
          ScomposeCommand.EXIT_FAILURE, r.describeFailures().replace("\n", "\nscompose: "));
    }
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
