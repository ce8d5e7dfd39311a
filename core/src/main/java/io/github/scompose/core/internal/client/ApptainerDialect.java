package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.BinaryVersion;
import java.util.List;
import java.util.Set;

/**
 * Apptainer 1.x, from the Apptainer documentation (not checked against a real binary): {@code
 * APPTAINERENV_} variables, {@code --env-file}, {@code instance run}, per-user directory {@code
 * ~/.apptainer}, list entries with {@code ip}, {@code logOutPath}, {@code logErrPath}.
 */
public final class ApptainerDialect extends AbstractDialect {

  public ApptainerDialect(BinaryVersion version) {
    super(version);
  }

  @Override
  Set<String> missingOptions() {
    return supportsResourceFlags() ? Set.of() : Set.of("--cpus", "--memory", "--pids-limit");
  }

  /**
   * Apptainer registers {@code --pwd} (and {@code --cwd}) for the action commands {@code exec},
   * {@code run}, {@code shell} and {@code test} only, not for {@code instance start}/{@code
   * instance run} (its cmd/internal/cli/action_flags.go; not checked against a real binary).
   */
  @Override
  Set<String> missingOptions(String subcommand) {
    return subcommand.equals(INSTANCE_START) || subcommand.equals(INSTANCE_RUN)
        ? Set.of("--pwd")
        : Set.of();
  }

  @Override
  public List<String> instanceStartCommand() {
    return List.of("instance", "start");
  }

  @Override
  public List<String> instanceRunCommand() {
    return List.of("instance", "run");
  }

  @Override
  public List<String> instanceListCommand() {
    return List.of("instance", "list");
  }

  @Override
  public List<String> instanceStopCommand() {
    return List.of("instance", "stop");
  }

  @Override
  public boolean supportsEnvFile() {
    return true;
  }

  @Override
  public boolean supportsInstanceRun() {
    return true;
  }

  @Override
  public boolean supportsJsonList() {
    return true;
  }

  @Override
  public boolean supportsNetworking() {
    return true;
  }

  @Override
  public boolean supportsFakeroot() {
    return true;
  }

  @Override
  public boolean supportsHostname() {
    return true;
  }

  @Override
  public boolean supportsRocm() {
    return true;
  }

  @Override
  public boolean supportsResourceFlags() {
    return version().isAtLeast(1, 1);
  }

  @Override
  public boolean supportsApplyCgroups() {
    return true;
  }

  @Override
  public boolean pullTakesDestinationArgument() {
    return true;
  }

  @Override
  public boolean supportsStopTimeout() {
    return true;
  }

  @Override
  public String envPrefix() {
    return "APPTAINERENV_";
  }

  @Override
  public String userDirectory() {
    return ".apptainer";
  }

  @Override
  public java.util.Optional<String> instanceRecordDirectory() {
    return java.util.Optional.of("app");
  }

  @Override
  public Set<String> jsonListFields() {
    return Set.of("instance", "pid", "img", "ip", "logOutPath", "logErrPath");
  }
}
