package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.BinaryVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Singularity 3.x and SingularityCE 3.x-4.x. Checked against recordings of SingularityCE 3.4.2
 * (help texts, {@code unknown flag: --env}); later additions from the SingularityCE docs: {@code
 * --env}/{@code --env-file} in 3.6, {@code --rocm} in 3.5, list entries with {@code ip}, {@code
 * logOutPath}, {@code logErrPath} after 3.4.
 */
public final class SingularityCeDialect extends AbstractDialect {

  private final Set<String> missing;

  public SingularityCeDialect(BinaryVersion version) {
    super(version);
    Set<String> m = new HashSet<>();
    if (!supportsEnvFile()) {
      m.add("--env");
      m.add("--env-file");
    }
    if (!supportsRocm()) {
      m.add("--rocm");
    }
    if (!supportsFakeroot()) {
      m.add("--fakeroot");
    }
    if (!supportsResourceFlags()) {
      m.addAll(List.of("--cpus", "--memory", "--pids-limit"));
    }
    this.missing = Set.copyOf(m);
  }

  @Override
  Set<String> missingOptions() {
    return missing;
  }

  /** Action flags that 3.4.2's {@code instance start} lacks while {@code exec}/{@code run} have. */
  private static final Set<String> NOT_ON_INSTANCE_START =
      Set.of("--pwd", "--app", "--nonet", "--vm", "--vm-cpu", "--vm-err", "--vm-ip", "--vm-ram");

  @Override
  Set<String> missingOptions(String subcommand) {
    if (version().major() < 4 && subcommand.equals(INSTANCE_START)) {
      return NOT_ON_INSTANCE_START;
    }
    return Set.of();
  }

  @Override
  public boolean supportsOption(String subcommand, String longOption) {
    if (version().major() == 3 && version().minor() == 4) {
      Optional<Set<String>> recorded = RecordedFlags.singularityCe34(subcommand);
      if (recorded.isPresent() && RecordedFlags.anySingularityCe34(longOption)) {
        // an option 3.4.2 has elsewhere: this subcommand has it only if its help lists it
        return recorded.get().contains(longOption);
      }
    }
    return super.supportsOption(subcommand, longOption);
  }

  @Override
  public List<String> instanceStartCommand() {
    return List.of("instance", "start");
  }

  @Override
  public List<String> instanceRunCommand() {
    throw new UnsupportedOperationException(version().format() + " has no instance run");
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
    return version().isAtLeast(3, 6);
  }

  @Override
  public boolean supportsInstanceRun() {
    return false;
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
    return version().isAtLeast(3, 3);
  }

  @Override
  public boolean supportsHostname() {
    return true;
  }

  @Override
  public boolean supportsRocm() {
    return version().isAtLeast(3, 5);
  }

  @Override
  public boolean supportsResourceFlags() {
    return version().isAtLeast(3, 10);
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
    return "SINGULARITYENV_";
  }

  @Override
  public String userDirectory() {
    return ".singularity";
  }

  /** 3.0 to 3.4 (see {@link io.github.scompose.core.client.Dialect#listsInstanceRecords()}). */
  @Override
  public boolean listsInstanceRecords() {
    return version().major() == 3 && !version().isAtLeast(3, 5);
  }

  @Override
  public Set<String> jsonListFields() {
    return version().isAtLeast(3, 5)
        ? Set.of("instance", "pid", "img", "ip", "logOutPath", "logErrPath")
        : Set.of("instance", "pid", "img");
  }
}
