package io.github.scompose.core.compose;

import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceLogs;
import io.github.scompose.core.internal.compose.ProjectState;
import io.github.scompose.core.internal.compose.RestartSupervisor;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.RunningCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A project brought up by {@link Compose#up} (or found with {@link Compose#attach}). {@link
 * #close()} is {@link #down()}, so try-with-resources leaves nothing running. Every method reads
 * the state file, so a handle stays right when another process changes the project. Thread-safe.
 */
public final class ComposeStack implements AutoCloseable {

  private final Compose compose;
  private final String project;
  private final Path stateDirectory;
  private final List<RunningCommand> background;
  private final AtomicBoolean down = new AtomicBoolean();
  private final RestartSupervisor supervisor;

  ComposeStack(
      Compose compose,
      String project,
      Path stateDirectory,
      List<RunningCommand> background,
      RestartSupervisor supervisor) {
    this.supervisor = supervisor;
    this.compose = compose;
    this.project = project;
    this.stateDirectory = stateDirectory;
    this.background = List.copyOf(background);
  }

  /** The project name. */
  public String project() {
    return project;
  }

  /** The state directory ({@code <project>/.scompose}). */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** Every instance of the project, from the state file and one {@code instance list}. */
  public List<InstanceStatus> ps() {
    return compose.psState(stateDirectory);
  }

  /** The instance names of {@code service}, in replica order (empty for an unknown service). */
  public List<String> instances(String service) {
    return compose.entries(stateDirectory).stream()
        .filter(e -> e.service().equals(service))
        .map(ProjectState.Entry::name)
        .toList();
  }

  /**
   * Runs {@code command} in the first replica of {@code service} ({@code exec instance://NAME
   * command…}) and returns its result, whatever its exit code (unlike singularity-compose 0.1.19,
   * the exit code is the command's).
   *
   * @throws IllegalArgumentException when the project has no such service
   */
  public CommandResult exec(String service, String... command) {
    List<String> names = instances(service);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no service '" + service + "' in project " + project);
    }
    return compose.client().exec(Exec.inInstance(names.get(0), command));
  }

  /**
   * The last {@code lines} lines of the logs of every instance of {@code service}, each line
   * prefixed with {@code "<instance> | "}, {@code .err} lines after {@code .out} lines of the same
   * instance. The binary appends to log files across runs, so earlier runs' lines can appear.
   */
  public String logs(String service, int lines) {
    StringBuilder b = new StringBuilder();
    for (String name : instances(service)) {
      InstanceLogs logs = compose.client().tailLogs(name, lines);
      prefix(b, name, logs.out());
      prefix(b, name, logs.err());
    }
    return b.toString();
  }

  private static void prefix(StringBuilder b, String name, String text) {
    if (text.isEmpty()) {
      return;
    }
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        b.append(name).append(" | ").append(line).append('\n');
      }
    }
  }

  /**
   * Runs one restart-policy round now: one {@code instance list}, then every gone instance whose
   * policy asks for it is started again. Does nothing for a handle from {@link Compose#attach}, a
   * project without restart policies, or after {@link #down()}.
   *
   * @return the instances started again
   */
  public List<String> superviseOnce() {
    return supervisor == null ? List.of() : supervisor.pollOnce();
  }

  /**
   * Stops the project (see {@link Compose#down}); later calls do nothing.
   *
   * @return the instances stopped; empty on later calls
   */
  public List<String> down() {
    if (!down.compareAndSet(false, true)) {
      return List.of();
    }
    if (supervisor != null) {
      supervisor.stop();
    }
    background.forEach(RunningCommand::cancel);
    return compose.downState(stateDirectory);
  }

  /** {@link #down()}. */
  @Override
  public void close() {
    down();
  }

  @Override
  public String toString() {
    return "ComposeStack[" + project + " at " + stateDirectory + "]";
  }
}
