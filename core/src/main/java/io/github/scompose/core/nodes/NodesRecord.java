package io.github.scompose.core.nodes;

import io.github.scompose.style.ValueStyle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a project brought up across nodes records, in {@value #FILE_NAME} under {@value
 * ComposeAcrossNodes#STATE_DIRECTORY} of the project directory: the placement (nodes with address,
 * SSH user and port, and labels; every instance with its node), how the nodes are reached, and the
 * Slurm job (and whether this project asked for it, so that {@code down} releases it). Each node's
 * own engine state is beside it, in {@code .scompose-nodes/<node>/}.
 *
 * <p>The file is text, one record per line, fields separated by a tab: {@code project NAME}, {@code
 * transport ssh|srun|fake|…}, {@code job ID created|adopted}, {@code node NAME ADDRESS USER PORT
 * LABELS} ({@code -} for none; labels as {@code k=v,…}), {@code instance NAME SERVICE REPLICA
 * NODE}; {@code #} lines are comments. Written to a temporary file, then renamed.
 */
@Value.Immutable
@ValueStyle
public abstract class NodesRecord implements WithNodesRecord {

  /** The file's name: {@value}. */
  public static final String FILE_NAME = "nodes.tsv";

  /** The project name. */
  public abstract String project();

  /** How the nodes are reached, as the CLI names it ({@code ssh}, {@code srun}, {@code fake}). */
  public abstract String transport();

  /** The Slurm job the nodes belong to, if any. */
  public abstract Optional<String> jobId();

  /**
   * {@code true} when this project asked Slurm for the job ({@code up --slurm}): down releases it.
   */
  @Value.Default
  public boolean jobCreated() {
    return false;
  }

  /** Where every instance runs. */
  public abstract Placement placement();

  /** The file under {@code projectDirectory}. */
  public static Path file(Path projectDirectory) {
    return projectDirectory.resolve(ComposeAcrossNodes.STATE_DIRECTORY).resolve(FILE_NAME);
  }

  /**
   * Writes this record under {@code projectDirectory} (atomically).
   *
   * @throws UncheckedIOException when it cannot be written
   */
  public void write(Path projectDirectory) {
    StringBuilder b = new StringBuilder("# scompose: a project across nodes (issue 16)\n");
    b.append("project\t").append(project()).append('\n');
    b.append("transport\t").append(transport()).append('\n');
    jobId()
        .ifPresent(
            j ->
                b.append("job\t")
                    .append(j)
                    .append('\t')
                    .append(jobCreated() ? "created" : "adopted")
                    .append('\n'));
    for (Node n : placement().nodes()) {
      List<String> l = new ArrayList<>();
      n.labels().forEach((k, v) -> l.add(k + "=" + v));
      b.append("node\t")
          .append(n.name())
          .append('\t')
          .append(n.address().orElse("-"))
          .append('\t')
          .append(n.user().orElse("-"))
          .append('\t')
          .append(n.sshPort().map(String::valueOf).orElse("-"))
          .append('\t')
          .append(l.isEmpty() ? "-" : String.join(",", l))
          .append('\n');
    }
    for (PlacedInstance i : placement().instances()) {
      b.append("instance\t")
          .append(i.name())
          .append('\t')
          .append(i.service())
          .append('\t')
          .append(i.replica())
          .append('\t')
          .append(i.node())
          .append('\n');
    }
    Path file = file(projectDirectory);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), FILE_NAME + ".", ".tmp");
      try {
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The record under {@code projectDirectory}, empty when the project is not up across nodes.
   *
   * @throws IllegalStateException naming the file and line when it is damaged
   * @throws UncheckedIOException when it exists and cannot be read
   */
  public static Optional<NodesRecord> read(Path projectDirectory) {
    Path file = file(projectDirectory);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    NodesRecord.Builder r = NodesRecord.builder();
    Placement.Builder p = Placement.builder();
    boolean project = false;
    boolean transport = false;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      try {
        switch (f[0]) {
          case "project" -> {
            r.project(f[1]);
            project = true;
          }
          case "transport" -> {
            r.transport(f[1]);
            transport = true;
          }
          case "job" -> r.jobId(f[1]).jobCreated(f[2].equals("created"));
          case "node" -> {
            Node.Builder nb = Node.builder().name(f[1]);
            if (!f[2].equals("-")) {
              nb.address(f[2]);
            }
            if (!f[3].equals("-")) {
              nb.user(f[3]);
            }
            if (!f[4].equals("-")) {
              nb.sshPort(Integer.parseInt(f[4]));
            }
            if (!f[5].equals("-")) {
              Map<String, String> labels = new LinkedHashMap<>();
              for (String kv : f[5].split(",")) {
                int eq = kv.indexOf('=');
                labels.put(kv.substring(0, eq), kv.substring(eq + 1));
              }
              nb.labels(labels);
            }
            p.addNodes(nb.build());
          }
          case "instance" ->
              p.addInstances(
                  PlacedInstance.builder()
                      .name(f[1])
                      .service(f[2])
                      .replica(Integer.parseInt(f[3]))
                      .node(f[4])
                      .build());
          default -> throw new IllegalArgumentException("unknown record " + f[0]);
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            file + ":" + (n + 1) + ": damaged line (" + line.replace('\t', ' ') + ")", e);
      }
    }
    if (!project || !transport) {
      throw new IllegalStateException(file + ": damaged (no project or transport line)");
    }
    return Optional.of(r.placement(p.build()).build());
  }

  /**
   * Deletes the record under {@code projectDirectory} (and the folder when it is then empty).
   *
   * @throws UncheckedIOException when it cannot be deleted
   */
  public static void delete(Path projectDirectory) {
    Path file = file(projectDirectory);
    try {
      Files.deleteIfExists(file);
      try (var s = Files.list(file.getParent())) {
        if (s.findAny().isEmpty()) {
          Files.delete(file.getParent());
        }
      }
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A new, empty builder of {@link NodesRecord}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link NodesRecord}; get one from {@link NodesRecord#builder()} or {@link
   * NodesRecord#toBuilder()}.
   */
  public static final class Builder extends ImmutableNodesRecord.Builder {
    Builder() {}
  }
}
