package io.github.scompose.samples.cli;

import static io.github.scompose.samples.cli.AcrossNodesCli.directory;
import static io.github.scompose.samples.cli.AcrossNodesCli.fail;

import io.github.scompose.core.compose.ComposeLogLine;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.LogOptions;
import io.github.scompose.core.nodes.ComposeAcrossNodes;
import io.github.scompose.core.nodes.NodeInstance;
import io.github.scompose.core.nodes.NodeResults;
import io.github.scompose.core.nodes.NodesRecord;
import io.github.scompose.samples.cli.NodeSelection.NodeConnections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output of {@code ps} and {@code logs} across nodes (issue 16, see {@link AcrossNodesCli}): a
 * NODE column (json: {@code node}), lines prefixed {@code INSTANCE@NODE | }.
 */
final class AcrossNodesOutput {

  private AcrossNodesOutput() {}

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
    return PsCommand.columns(cells);
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
}
