package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.InstanceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose ps [-a] [-q] [--format table|json] [SERVICE…]}: the project's instances as its
 * state file records them and one {@code instance list} shows them now; as {@code docker compose
 * ps}, only the running ones unless {@code -a/--all} (then also those stopped or exited, as
 * recorded). {@code -q/--quiet}: only the instance names, one per line (also with {@code
 * --format}). Table columns NAME, SERVICE, PID, IP, STATUS, IMAGE ({@code -} for none); JSON: an
 * array of objects with the keys {@code name}, {@code service}, {@code pid} (number or null),
 * {@code ip} (string or null), {@code status} ({@code running}/{@code exited}), {@code image},
 * {@code restarts}. A damaged state file gives exit 1 and one line naming the file, what is wrong
 * with it, and that {@code down} stops the project and keeps the file as {@code .bak}.
 */
@Command(name = "ps", description = "List the project's instances.")
final class PsCommand implements Runnable {

  enum Format {
    TABLE,
    JSON
  }

  @ParentCommand ScomposeCommand root;

  @Option(names = "--format", paramLabel = "table|json", description = "Default: table.")
  Format format = Format.TABLE;

  @Option(
      names = {"-a", "--all"},
      description = "Also the stopped and exited instances the project records.")
  boolean all;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only the instance names, one per line.")
  boolean quiet;

  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Override
  public void run() {
    var acrossNodes = AcrossNodesCli.recorded(root); // issue 16
    if (acrossNodes.isPresent()) {
      AcrossNodesOutput.ps(root, acrossNodes.get(), format, all, quiet, services);
      return;
    }
    try (ProjectSession session = ProjectSession.open(root)) {
      List<InstanceStatus> rows =
          session.ps(services).stream()
              .filter(i -> all || i.state() == InstanceStatus.State.RUNNING)
              .toList();
      if (quiet) {
        rows.forEach(i -> root.out.println(i.name()));
      } else {
        root.out.print(format == Format.JSON ? json(rows) : table(rows));
      }
      root.out.flush();
    }
  }

  static String json(List<InstanceStatus> rows) {
    List<Object> out = new ArrayList<>();
    for (InstanceStatus i : rows) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", i.name());
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

  static String table(List<InstanceStatus> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"NAME", "SERVICE", "PID", "IP", "STATUS", "IMAGE"});
    for (InstanceStatus i : rows) {
      cells.add(
          new String[] {
            i.name(),
            i.service(),
            i.pid().isPresent() ? Long.toString(i.pid().getAsLong()) : "-",
            i.ip().orElse("-"),
            i.state().name().toLowerCase(Locale.ROOT),
            i.image()
          });
    }
    return columns(cells);
  }

  /**
   * Rows as left-aligned columns, three spaces apart, trailing blanks stripped; one line per row.
   * The one table layout of the CLI ({@code ps}, {@code ps} across nodes).
   */
  static String columns(List<String[]> cells) {
    int[] width = new int[cells.isEmpty() ? 0 : cells.get(0).length];
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
}
