package io.github.scompose.samples.cli;

import static io.github.scompose.samples.cli.NodeSelection.again;
import static io.github.scompose.samples.cli.NodeSelection.planOptions;
import static io.github.scompose.samples.cli.NodeSelection.select;
import static io.github.scompose.samples.cli.NodeSelection.transportKind;
import static io.github.scompose.samples.cli.NodeSelection.xScompose;

import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.nodes.ComposeAcrossNodes;
import io.github.scompose.core.nodes.Node;
import io.github.scompose.core.nodes.NodePorts;
import io.github.scompose.core.nodes.NodeResults;
import io.github.scompose.core.nodes.NodesFailedException;
import io.github.scompose.core.nodes.NodesRecord;
import io.github.scompose.core.nodes.Placement;
import io.github.scompose.core.nodes.PlacementException;
import io.github.scompose.core.nodes.SlurmJob;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.samples.cli.NodeSelection.NodeConnections;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
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
 *
 * <p>Here: {@code up} and {@code down}; the nodes, transports and per-node engines in {@link
 * NodeSelection}; the output of {@code ps} and {@code logs} in {@link AcrossNodesOutput}.
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
      project = root.loadProject();
      if (!project.extensions().containsKey("x-scompose")
          || !xScompose(project).containsKey("nodes")) {
        return false;
      }
    }
    if (project == null) {
      project = root.loadProject();
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

  // ---- down
  // ------------------------------------------------------------------------------

  /** The record of the project directory the options name, if it is up across nodes. */
  static Optional<NodesRecord> recorded(ScomposeCommand root) {
    try {
      return NodesRecord.read(root.projectFiles().directory().toAbsolutePath().normalize());
    } catch (IllegalStateException e) {
      throw new CliException(ScomposeCommand.EXIT_FAILURE, e.getMessage());
    }
  }

  static Path directory(ScomposeCommand root) {
    return root.projectFiles().directory().toAbsolutePath().normalize();
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
  static void fail(NodeResults<?> r, String what) {
    if (!r.ok()) {
      throw new CliException(
          ScomposeCommand.EXIT_FAILURE, r.describeFailures().replace("\n", "\nscompose: "));
    }
  }
}
