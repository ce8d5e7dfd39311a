package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.BinaryVersion;
import java.util.List;
import java.util.Set;

/**
 * Singularity 2.x (2.4-2.6), from its documentation (not checked against a real binary): dotted
 * instance commands {@code instance.start}, {@code instance.list} (a table headed {@code DAEMON
 * NAME PID CONTAINER IMAGE}), {@code instance.stop}; no network namespace options, no {@code
 * --hostname}, {@code --fakeroot}, {@code --env}, {@code --env-file}, {@code --rocm}; {@code
 * SINGULARITYENV_} variables; per-user directory {@code ~/.singularity}.
 */
public final class Singularity2Dialect extends AbstractDialect {

  private static final Set<String> MISSING =
      Set.of(
          "--net",
          "--network",
          "--network-args",
          "--dns",
          "--hostname",
          "--fakeroot",
          "--env",
          "--env-file",
          "--rocm",
          "--apply-cgroups",
          "--cpus",
          "--memory",
          "--pids-limit");

  public Singularity2Dialect(BinaryVersion version) {
    super(version);
  }

  @Override
  Set<String> missingOptions() {
    return MISSING;
  }

  /**
   * Singularity 2.x's {@code instance.start} help lists no {@code --pwd}; its {@code instance.stop}
   * is taken to have neither {@code --signal} nor {@code --timeout} (so the engine sends the
   * binary's default signal there). Documentation; not checked against a real binary.
   */
  @Override
  Set<String> missingOptions(String subcommand) {
    if (subcommand.equals("instance stop")) {
      return Set.of("--signal", "--timeout");
    }
    return subcommand.equals(INSTANCE_START) || subcommand.equals(INSTANCE_RUN)
        ? Set.of("--pwd")
        : Set.of();
  }

  @Override
  public List<String> instanceStartCommand() {
    return List.of("instance.start");
  }

  @Override
  public List<String> instanceRunCommand() {
    throw new UnsupportedOperationException(version().format() + " has no instance run");
  }

  @Override
  public List<String> instanceListCommand() {
    return List.of("instance.list");
  }

  @Override
  public List<String> instanceStopCommand() {
    return List.of("instance.stop");
  }

  @Override
  public boolean supportsEnvFile() {
    return false;
  }

  @Override
  public boolean supportsInstanceRun() {
    return false;
  }

  @Override
  public boolean supportsJsonList() {
    return false;
  }

  @Override
  public boolean supportsNetworking() {
    return false;
  }

  @Override
  public boolean supportsFakeroot() {
    return false;
  }

  @Override
  public boolean supportsHostname() {
    return false;
  }

  @Override
  public boolean supportsRocm() {
    return false;
  }

  @Override
  public boolean supportsResourceFlags() {
    return false;
  }

  @Override
  public boolean supportsApplyCgroups() {
    return false;
  }

  @Override
  public boolean pullTakesDestinationArgument() {
    return false;
  }

  @Override
  public boolean supportsStopTimeout() {
    return false;
  }

  @Override
  public String envPrefix() {
    return "SINGULARITYENV_";
  }

  @Override
  public String userDirectory() {
    return ".singularity";
  }

  @Override
  public java.util.Optional<String> instanceRecordDirectory() {
    return java.util.Optional.empty();
  }

  @Override
  public Set<String> jsonListFields() {
    return Set.of();
  }
}
