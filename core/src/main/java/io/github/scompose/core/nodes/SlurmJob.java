package io.github.scompose.core.nodes;

import io.github.scompose.core.internal.plan.ShellSplit;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slurm job whose nodes a stack runs on: the one the process runs in ({@link #fromEnvironment},
 * {@code SLURM_JOB_ID} and {@code SLURM_JOB_NODELIST}) or one asked for ({@link #allocate}, {@code
 * salloc --no-shell}) and given back by {@link #release} ({@code scancel}). Every command is an
 * argv run by the given transport (this machine's, normally), never through a shell; the Slurm
 * commands come from {@code PATH} and read {@code SLURM_CONF} from the environment as usual.
 *
 * @param id the job id, e.g. {@code 4242}
 * @param nodes the job's host names, in Slurm's order ({@code scontrol show hostnames})
 * @param created {@code true} when {@link #allocate} asked for it (so the project releases it)
 */
public record SlurmJob(String id, List<String> nodes, boolean created) {

  private static final Pattern GRANTED = Pattern.compile("Granted job allocation (\\d+)");

  /** The compact record. */
  public SlurmJob {
    nodes = List.copyOf(nodes);
  }

  /**
   * The job this process runs in: {@code SLURM_JOB_ID} and {@code SLURM_JOB_NODELIST} of {@code
   * environment}, the list expanded by {@code scontrol show hostnames LIST}; empty outside a job.
   *
   * @throws IllegalStateException when {@code scontrol} fails (its last line of stderr said)
   */
  public static Optional<SlurmJob> fromEnvironment(
      Map<String, String> environment, Transport local) {
    String id = environment.get("SLURM_JOB_ID");
    String list = environment.get("SLURM_JOB_NODELIST");
    if (id == null || id.isBlank() || list == null || list.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new SlurmJob(id.strip(), hostnames(local, list.strip()), false));
  }

  /**
   * The host names of a Slurm node list ({@code node[1-3],gpu7}): {@code scontrol show hostnames
   * LIST}, one per line.
   *
   * @throws IllegalStateException when {@code scontrol} exits non-zero or prints no name
   */
  public static List<String> hostnames(Transport local, String nodeList) {
    CommandResult r = local.run(CommandRequest.of("scontrol", "show", "hostnames", nodeList));
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    if (r.exitCode() != 0 || out.isEmpty()) {
      throw new IllegalStateException(
          "scontrol show hostnames "
              + nodeList
              + " failed (exit "
              + r.exitCode()
              + "): "
              + last(r));
    }
    return out;
  }

  /**
   * Asks Slurm for a job: {@code salloc --no-shell -J NAME OPTIONS…} ({@code options} split into
   * words like a shell, without running one: {@code "-N 2 -t 30"}), whose stderr line {@code
   * Granted job allocation ID} names the job; its nodes from {@code squeue -h -j ID -o %N},
   * expanded by {@link #hostnames}. Waits as long as salloc does, at most {@code wait}.
   *
   * @throws IllegalStateException when salloc fails or names no job (its last line of stderr), or
   *     the nodes cannot be found (the job is then cancelled)
   */
  public static SlurmJob allocate(Transport local, String name, String options, Duration wait) {
    List<String> argv = new ArrayList<>(List.of("salloc", "--no-shell", "-J", name));
    argv.addAll(ShellSplit.words(options));
    CommandResult r = local.run(CommandRequest.builder().argv(argv).timeout(wait).build());
    Matcher m = GRANTED.matcher(r.stderr() + "\n" + r.stdout());
    if (r.exitCode() != 0 || !m.find()) {
      throw new IllegalStateException(
          String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + last(r));
    }
    String id = m.group(1);
    try {
      CommandResult q = local.run(CommandRequest.of("squeue", "-h", "-j", id, "-o", "%N"));
      String list = q.stdout().strip();
      if (q.exitCode() != 0 || list.isEmpty()) {
        throw new IllegalStateException(
            "squeue -h -j " + id + " -o %N failed (exit " + q.exitCode() + "): " + last(q));
      }
      return new SlurmJob(id, hostnames(local, list), true);
    } catch (RuntimeException e) {
      release(local, id);
      throw e;
    }
  }

  /**
   * Gives job {@code id} back: {@code scancel ID}.
   *
   * @throws IllegalStateException when scancel exits non-zero (its last line of stderr)
   */
  public static void release(Transport local, String id) {
    CommandResult r = local.run(CommandRequest.of("scancel", id));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "scancel " + id + " failed (exit " + r.exitCode() + "): " + last(r));
    }
  }

  private static String last(CommandResult r) {
    String text = r.stderr().strip();
    int nl = text.lastIndexOf('\n');
    return nl < 0 ? text : text.substring(nl + 1).strip();
  }
}
