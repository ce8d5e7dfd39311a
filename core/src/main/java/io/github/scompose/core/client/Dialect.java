package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ApptainerDialect;
import io.github.scompose.core.internal.client.Singularity2Dialect;
import io.github.scompose.core.internal.client.SingularityCeDialect;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one version of the binary understands: the words of its instance commands and the options it
 * has. All version differences live behind this interface; commands ask it, never the version
 * string.
 *
 * <p>Implementations (pick one with {@link #forVersion(BinaryVersion)}):
 *
 * <ul>
 *   <li>Singularity 2.x: {@code instance.start}, {@code instance.list} (table with {@code DAEMON
 *       NAME}), {@code instance.stop}; no {@code --net}, {@code --hostname}, {@code --fakeroot},
 *       {@code --env-file}. From the 2.x documentation, not checked against a real binary.
 *   <li>Singularity 3.x and SingularityCE 3.x-4.x: {@code instance start}, {@code instance list
 *       --json}; {@code --env}/{@code --env-file} from 3.6, {@code --rocm} from 3.5, {@code
 *       --fakeroot} from 3.3. 3.4.2 checked against recordings of a real binary.
 *   <li>Apptainer 1.x: {@code APPTAINERENV_}, {@code --env-file}, {@code instance run}, {@code
 *       ~/.apptainer}. From the Apptainer documentation, not checked against a real binary.
 * </ul>
 */
public interface Dialect {

  /** The binary's version this dialect was made for. */
  BinaryVersion version();

  /** Words of the start command: {@code [instance, start]} or {@code [instance.start]}. */
  List<String> instanceStartCommand();

  /**
   * Words of the start-with-runscript command: {@code [instance, run]}.
   *
   * @throws UnsupportedOperationException when {@link #supportsInstanceRun()} is false
   */
  List<String> instanceRunCommand();

  /** Words of the list command: {@code [instance, list]} or {@code [instance.list]}. */
  List<String> instanceListCommand();

  /** Words of the stop command: {@code [instance, stop]} or {@code [instance.stop]}. */
  List<String> instanceStopCommand();

  /** Whether {@code --env-file FILE} exists (SingularityCE >= 3.6, Apptainer). */
  boolean supportsEnvFile();

  /** Whether {@code instance run} exists (Apptainer). */
  boolean supportsInstanceRun();

  /** Whether {@code instance list --json} exists (3.x and later). */
  boolean supportsJsonList();

  /** Whether {@code --net}, {@code --network} and {@code --network-args} exist (3.x and later). */
  boolean supportsNetworking();

  /** Whether {@code --fakeroot} exists (3.3 and later). */
  boolean supportsFakeroot();

  /** Whether {@code --hostname} exists (3.x and later). */
  boolean supportsHostname();

  /** Whether {@code --rocm} exists (3.5 and later). */
  boolean supportsRocm();

  /**
   * Whether {@code --cpus}, {@code --memory} and {@code --pids-limit} exist on the commands that
   * run a container: SingularityCE 3.10 and later, Apptainer 1.1 and later (their changelogs; not
   * checked against a real binary). SingularityCE 3.4.2's recorded help has none of them.
   */
  boolean supportsResourceFlags();

  /**
   * Whether {@code --apply-cgroups FILE} (a cgroups TOML file) exists: Singularity 3.0 and later,
   * SingularityCE, Apptainer (recorded in SingularityCE 3.4.2's help of {@code instance start},
   * {@code exec} and {@code run}); not Singularity 2.x.
   */
  boolean supportsApplyCgroups();

  /**
   * Whether a user other than root may apply cgroup limits ({@code --apply-cgroups} or the resource
   * flags): only where {@link #supportsResourceFlags()} (cgroups v2 with systemd; SingularityCE
   * 3.10+, Apptainer 1.1+). Before that {@code --apply-cgroups} is root only: SingularityCE 3.4.2's
   * help says "(root only)" (recorded), and a real 3.4.2 run by another user exits 255 with {@code
   * FATAL: --apply-cgroups requires root privileges} (checked by hand; a generated file with cpu,
   * memory and pids limits was applied as root: the instance's cgroups showed them).
   */
  default boolean supportsRootlessCgroups() {
    return supportsResourceFlags();
  }

  /**
   * Whether {@code pull} takes its output file as a positional argument before the URI (3.x,
   * Apptainer; recorded help of 3.4.2: {@code pull [pull options...] [output file] <URI>}) rather
   * than with {@code --name FILE} (2.x).
   */
  boolean pullTakesDestinationArgument();

  /** Whether {@code instance stop -t SECONDS} exists. */
  boolean supportsStopTimeout();

  /**
   * Whether a long option (e.g. {@code --env}, given without value) may exist in this version:
   * {@code false} only for options known to be missing (such as {@code --env} in 3.4.2, recorded:
   * {@code unknown flag: --env}). Used to check pass-through options before anything runs.
   */
  boolean mayHaveOption(String longOption);

  /** {@link #supportsOption} subcommand name of {@code instance start}. */
  String INSTANCE_START = "instance start";

  /** {@link #supportsOption} subcommand name of {@code instance run}. */
  String INSTANCE_RUN = "instance run";

  /** {@link #supportsOption} subcommand name of {@code exec}. */
  String EXEC = "exec";

  /** {@link #supportsOption} subcommand name of {@code run}. */
  String RUN = "run";

  /**
   * Whether {@code subcommand} of this version has the long option {@code longOption} (given
   * without value, e.g. {@code --pwd}). Subcommands are named by their words as in the 3.x CLI:
   * {@value #INSTANCE_START}, {@value #INSTANCE_RUN}, {@value #EXEC}, {@value #RUN}, {@code build},
   * {@code pull}, {@code instance stop}, {@code instance list}, {@code inspect} (also for 2.x,
   * whose words are dotted). Options differ per subcommand: SingularityCE 3.4.2's {@code instance
   * start} has no {@code --pwd} and no {@code --app}, while its {@code exec} and {@code run} have
   * both (recorded help texts).
   *
   * <p>Like {@link #mayHaveOption}, this answers {@code false} only for options known to be
   * missing: an option no recorded table knows (a typo, a newer flag) answers as {@link
   * #mayHaveOption}, and the binary itself has the last word.
   *
   * <p>Sources: SingularityCE 3.4.x answers from the flag tables recorded from 3.4.2's {@code
   * --help} (an option 3.4.2 has on some subcommand exists on this one only if its help lists it);
   * other 3.x versions take 3.4.2's per-subcommand differences ({@code instance start} lacks {@code
   * --pwd}, {@code --app}, {@code --nonet}, {@code --vm*}) plus {@link #mayHaveOption};
   * SingularityCE 4.x answers {@link #mayHaveOption}; Apptainer and 2.x answer {@link
   * #mayHaveOption} except that their {@code instance start}/{@code instance run} have no {@code
   * --pwd} (Apptainer's action_flags.go registers it for exec/run/shell/test only; 2.x's help):
   * from sources and documentation, not checked against a real binary. An unknown subcommand
   * answers {@link #mayHaveOption}.
   */
  boolean supportsOption(String subcommand, String longOption);

  /**
   * Prefix of variables in the caller's environment that reach the container: {@code
   * SINGULARITYENV_} or {@code APPTAINERENV_}.
   */
  String envPrefix();

  /**
   * The per-user directory under the home directory: {@code .singularity} or {@code .apptainer}.
   */
  String userDirectory();

  /**
   * Fields of each entry of {@code instance list --json}: {@code instance}, {@code pid}, {@code
   * img} (recorded from 3.4.2), plus {@code ip}, {@code logOutPath}, {@code logErrPath} where
   * documented; empty when {@link #supportsJsonList()} is false.
   */
  Set<String> jsonListFields();

  /**
   * Where the binary writes an instance's log when the listing does not say: {@code
   * <home>/<userDirectory>/instances/logs/<host>/<user>/<name>.out|.err} (recorded from 3.4.2:
   * {@code /root/.singularity/instances/logs/vm/root/web1.out}).
   */
  default String defaultLogPath(
      String home, String host, String user, String instanceName, LogStream stream) {
    String base = home.endsWith("/") ? home.substring(0, home.length() - 1) : home;
    return base
        + "/"
        + userDirectory()
        + "/instances/logs/"
        + host
        + "/"
        + user
        + "/"
        + instanceName
        + stream.extension();
  }

  /**
   * The subdirectory of {@code <home>/<userDirectory>/instances} that holds the binary's record of
   * each running instance: {@code sing} (SingularityCE and Singularity 3.x, recorded from 3.4.2),
   * {@code app} (Apptainer, from its sources, not checked against a real binary); empty when the
   * dialect does not know (Singularity 2.x).
   */
  default Optional<String> instanceRecordDirectory() {
    return Optional.of("sing");
  }

  /**
   * Where the binary keeps its record of a running instance, which it deletes as the last step of
   * the instance's cleanup (after its network and cgroups are released): {@code
   * <home>/<userDirectory>/instances/<instanceRecordDirectory>/<host>/<user>/<name>/<name>.json}
   * (recorded from 3.4.2: {@code /root/.singularity/instances/sing/vm/root/web1/web1.json}); empty
   * when {@link #instanceRecordDirectory()} is.
   */
  default Optional<String> instanceRecordPath(
      String home, String host, String user, String instanceName) {
    return instanceRecordFolder(home, host, user)
        .map(f -> f + "/" + instanceName + "/" + instanceName + ".json");
  }

  /**
   * The folder of {@code user}'s instance records on {@code host}, one subfolder per instance:
   * {@code <home>/<userDirectory>/instances/<instanceRecordDirectory>/<host>/<user>} (recorded from
   * 3.4.2: {@code /root/.singularity/instances/sing/vm/root}); empty when {@link
   * #instanceRecordDirectory()} is.
   */
  default Optional<String> instanceRecordFolder(String home, String host, String user) {
    String base = home.endsWith("/") ? home.substring(0, home.length() - 1) : home;
    return instanceRecordDirectory()
        .map(d -> base + "/" + userDirectory() + "/instances/" + d + "/" + host + "/" + user);
  }

  /**
   * Whether {@code instance list} (of the caller's own instances, no {@code --user}) prints exactly
   * the binary's instance records ({@link #instanceRecordPath}) and nothing else: it reads each
   * {@code <name>/<name>.json} under {@code <home>/<userDirectory>/instances/sing/<host>/<user>/},
   * in the order of their folder names, skips a record deleted between its listing and its read,
   * fails on any other unreadable record, and checks no process. Then {@link
   * SingularityClient#list(InstanceList)} may read the records instead of running the binary. True
   * only for Singularity and SingularityCE 3.0 to 3.4: read in SingularityCE 3.4.2's source ({@code
   * internal/pkg/instance/instance_linux.go} {@code List}, {@code
   * cmd/internal/cli/instance_linux.go} {@code listInstance}: {@code pid}, {@code name}, {@code
   * image} of each record become {@code pid}, {@code instance}, {@code img}); 3.0 to 3.3 are taken
   * to be the same (the instance files of 3.0 onward), not checked line by line. False for 3.5 and
   * later (their listing has more fields: IP, log paths), Apptainer (not checked) and 2.x (another
   * layout). Default {@code false}.
   */
  default boolean listsInstanceRecords() {
    return false;
  }

  /**
   * The dialect for {@code version}.
   *
   * @throws IllegalArgumentException for Singularity before 2.0
   */
  static Dialect forVersion(BinaryVersion version) {
    return switch (version.flavour()) {
      case APPTAINER -> new ApptainerDialect(version);
      case SINGULARITY_CE -> new SingularityCeDialect(version);
      case SINGULARITY -> {
        if (version.major() >= 3) {
          yield new SingularityCeDialect(version);
        }
        if (version.major() == 2) {
          yield new Singularity2Dialect(version);
        }
        throw new IllegalArgumentException(
            version.format() + " is too old: instances need Singularity 2.4 or later");
      }
    };
  }
}
