package io.github.scompose.samples.cli;

import picocli.CommandLine.Option;

/**
 * The options of {@code up} that run a project across nodes (issue 16; see {@link AcrossNodesCli}).
 * Only {@code up} chooses nodes: {@code ps}, {@code logs}, {@code down} read what {@code up}
 * recorded.
 */
final class NodeOptions {

  @Option(
      names = "--nodes",
      paramLabel = "HOST,…",
      split = ",",
      description =
          "Run the project across these nodes: [user@]host[:sshport][=address]. Unset: the"
              + " variable SCOMPOSE_NODES, else x-scompose.nodes of the file, else the nodes of the"
              + " Slurm job this runs in (when it has two or more).")
  java.util.List<String> nodes = new java.util.ArrayList<>();

  @Option(
      names = "--slurm",
      paramLabel = "SALLOC_OPTIONS",
      description =
          "Ask Slurm for nodes first (salloc --no-shell OPTIONS, e.g. \"-N 2 -t 30\"); down"
              + " releases the job (scancel).")
  String slurm;

  @Option(
      names = "--node-transport",
      paramLabel = "ssh|srun|fake",
      description =
          "How nodes are reached. Default: the variable SCOMPOSE_NODE_TRANSPORT, else srun in a"
              + " Slurm job, else ssh; fake with --runtime fake (one emulated runtime per node).")
  String transport;

  @Option(
      names = "--node-labels",
      paramLabel = "FILE",
      description =
          "Node label file (lines NODE KEY=VALUE ...; address=A sets the node's address)."
              + " Unset: SCOMPOSE_NODE_LABELS, else x-scompose.node-labels of the file.")
  java.nio.file.Path labels;
}
