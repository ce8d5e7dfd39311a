package io.github.scompose.core.transport;

import io.github.scompose.core.internal.transport.SshRemoteFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs commands on one node of a Slurm job through {@code srun}, for sites where SSH to compute
 * nodes is not allowed: every command is {@code srun --overlap --jobid=JOB -w NODE -N1 -n1
 * --export=ALL --quiet [--chdir=DIR] -- ARGV…}, started on this machine (a login node or the job's
 * first node) by a {@link LocalProcessTransport}. No shell on either side: srun hands the argv to
 * the node as it is. Environment values reach the node through srun's own environment ({@code
 * --export=ALL}), never through a command line; {@link CommandRequest#removeEnvironment()} names
 * are removed from it.
 *
 * <p><b>Files.</b> Reads, writes and stats on the node run small fixed POSIX {@code sh} scripts
 * (the same as {@link SshTransport}'s) with the path as an argument: {@code srun … -- sh -c SCRIPT
 * sh PATH …}; a write's content goes on the step's stdin (srun forwards stdin to the one task).
 * {@link #readFile} decodes through UTF-8 (the command results are text), which serves log files;
 * bytes that are not UTF-8 come back replaced.
 *
 * <p><b>Errors.</b> When srun itself fails (no such job, node not in the job, node down, timeout
 * reaching slurmd) it prints {@code srun: error: …}: {@link #run} then throws a {@link
 * TransportException} with that line, naming the node. A timeout or cancel kills the local {@code
 * srun} (SIGTERM, which srun forwards to the task, then SIGKILL); Slurm ends the step.
 *
 * <p><b>Which transport fits which site.</b> Where users may SSH to the nodes of their own job
 * (commonly with {@code pam_slurm_adopt}, which puts the session, and the instances it starts, into
 * the job: they end with it), use {@link SshTransport}. Where SSH to compute nodes is not allowed,
 * use this one. Caveat: with {@code ProctrackType=proctrack/cgroup} (most production sites) Slurm
 * ends everything a step started when the step ends, and {@code instance start} returns at once, so
 * instances started through this transport stop with their {@code srun} step; there, run {@code
 * scompose} from inside the job and prefer SSH, or a site that adopts SSH sessions. With {@code
 * proctrack/linuxproc} or {@code pgid} (the fake cluster of CI) instances outlive the step.
 *
 * <p>Thread-safe.
 */
public final class SrunTransport implements Transport {

  private final Transport local;
  private final List<String> launcher;
  private final String node;
  private final String job;

  private SrunTransport(Transport local, List<String> launcher, String job, String node) {
    this.local = local;
    this.launcher = List.copyOf(launcher);
    this.job = job;
    this.node = node;
  }

  /**
   * A transport to {@code node} of Slurm job {@code jobId}, with {@code srun} from {@code PATH}.
   *
   * @throws IllegalArgumentException when the job id is not a number (optionally {@code N_M} for an
   *     array task) or the node name is not a host name
   */
  public static SrunTransport create(String jobId, String node) {
    return create(LocalProcessTransport.create(), List.of("srun"), jobId, node);
  }

  /**
   * A transport whose commands {@code local} runs, prefixed with {@code srun} (or another launcher
   * with srun's options, for tests) and the options of the class comment.
   */
  public static SrunTransport create(
      Transport local, List<String> srun, String jobId, String node) {
    if (!jobId.matches("[0-9]+(_[0-9]+)?")) {
      throw new IllegalArgumentException("Slurm job id \"" + jobId + "\" is not a number");
    }
    if (!node.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("node \"" + node + "\" is not a host name");
    }
    return new SrunTransport(Objects.requireNonNull(local), srun, jobId, node);
  }

  /** The argv run on this machine for {@code request}. */
  CommandRequest onNode(CommandRequest request) {
    List<String> argv = new ArrayList<>(launcher);
    argv.add("--overlap");
    argv.add("--jobid=" + job);
    argv.add("-w");
    argv.add(node);
    argv.add("-N1");
    argv.add("-n1");
    argv.add("--export=ALL");
    argv.add("--quiet");
    request.workingDirectory().ifPresent(d -> argv.add("--chdir=" + d));
    argv.add("--");
    argv.addAll(request.argv());
    return request.withArgv(argv).withWorkingDirectory(Optional.empty());
  }

  @Override
  public CommandResult run(CommandRequest request) {
    CommandResult r = local.run(onNode(request));
    checkSrun(r);
    return r.withArgv(request.argv());
  }

  private void checkSrun(CommandResult r) {
    if (r.exitCode() == 0) {
      return;
    }
    for (String line : r.stderr().split("\n")) {
      if (line.startsWith("srun: error:")) {
        throw new TransportException(describe() + " failed: " + line.strip());
      }
    }
  }

  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    RunningCommand c = local.start(onNode(request), listener);
    return new RunningCommand() {
      @Override
      public CompletableFuture<CommandResult> completion() {
        return c.completion().thenApply(r -> (CommandResult) r.withArgv(request.argv()));
      }

      @Override
      public void cancel() {
        c.cancel();
      }

      @Override
      public boolean isAlive() {
        return c.isAlive();
      }
    };
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " is negative");
    }
    CommandResult r =
        run(
            CommandRequest.of(
                "sh", "-c", SshRemoteFiles.READ_FILE_SCRIPT, "sh", path, Long.toString(offset)));
    if (r.exitCode() == 0) {
      return Optional.of(r.stdout().getBytes(StandardCharsets.UTF_8));
    }
    if (r.exitCode() == SshRemoteFiles.MISSING_FILE) {
      return Optional.empty();
    }
    throw new TransportException(
        "cannot read " + path + " on " + describe() + " (exit " + r.exitCode() + "): " + last(r));
  }

  @Override
  public void writeFile(
      String path, byte[] content, Set<java.nio.file.attribute.PosixFilePermission> mode) {
    CommandResult r =
        run(
            CommandRequest.builder()
                .addArgv(
                    "sh",
                    "-c",
                    SshRemoteFiles.WRITE_FILE_SCRIPT,
                    "sh",
                    path,
                    SshRemoteFiles.octal(mode))
                .stdin(content)
                .build());
    if (r.exitCode() != 0) {
      throw new TransportException(
          "cannot write "
              + path
              + " on "
              + describe()
              + " (exit "
              + r.exitCode()
              + "): "
              + last(r));
    }
  }

  @Override
  public void createDirectories(String path) {
    CommandResult r = run(CommandRequest.of("mkdir", "-p", "--", path));
    if (r.exitCode() != 0) {
      throw new TransportException(
          "cannot create the directory " + path + " on " + describe() + ": " + last(r));
    }
  }

  @Override
  public void deleteFile(String path) {
    CommandResult r = run(CommandRequest.of("rm", "-f", "--", path));
    if (r.exitCode() != 0) {
      throw new TransportException("cannot delete " + path + " on " + describe() + ": " + last(r));
    }
  }

  @Override
  public Optional<FileStamp> stat(String path) {
    CommandResult r = run(CommandRequest.of("stat", "-L", "-c", "%s %Y %a", "--", path));
    if (r.exitCode() != 0) {
      return Optional.empty();
    }
    return SshRemoteFiles.parseStat(r.stdout().strip());
  }

  private volatile String temporaryDirectory;

  @Override
  public String temporaryDirectory() {
    String dir = temporaryDirectory;
    if (dir == null) {
      CommandResult r = run(CommandRequest.of("sh", "-c", "printf %s \"${TMPDIR:-/tmp}\""));
      if (r.exitCode() != 0 || !r.stdout().startsWith("/") || r.stdout().contains("\n")) {
        throw new TransportException(
            "cannot find the temporary directory on " + describe() + ": " + last(r));
      }
      dir = r.stdout();
      temporaryDirectory = dir;
    }
    return dir;
  }

  private static String last(CommandResult r) {
    String text = r.stderr().strip();
    int nl = text.lastIndexOf('\n');
    return nl < 0 ? text : text.substring(nl + 1).strip();
  }

  /** {@code srun job JOB node NODE}. */
  @Override
  public String describe() {
    return "srun job " + job + " node " + node;
  }

  /** Closes the local transport. */
  @Override
  public void close() {
    local.close();
  }

  @Override
  public String toString() {
    return describe();
  }
}
