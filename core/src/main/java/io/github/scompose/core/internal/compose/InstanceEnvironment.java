package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.ContainerSettings;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.compose.AfterStartStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment an instance was started with, given to the commands later run in it. {@code exec
 * instance://NAME} and {@code run instance://NAME} do not inherit the instance's environment
 * (recorded from SingularityCE 3.4.2: a variable injected at {@code instance start} is empty in a
 * later {@code exec}); docker compose gives {@code exec} the service's environment. So each such
 * command gets the start's {@link ContainerSettings#environment()}, its {@link
 * ContainerSettings#envFile()} and its {@code --cleanenv} (also implied by {@code --containall}),
 * through the same client mechanism as the start (an env file {@code 0600} where the dialect has
 * {@code --env-file}, else {@code SINGULARITYENV_}/{@code APPTAINERENV_} variables in the binary's
 * environment): values never reach argv.
 *
 * <p>Precedence, lowest first: the start's environment, the command's own, then {@code extra} (e.g.
 * {@code scompose exec -e K=V}). The command's own env file wins over the start's.
 */
public final class InstanceEnvironment {

  private InstanceEnvironment() {}

  /**
   * {@code exec instance://INSTANCE command…} with {@code start}'s environment plus {@code extra}.
   */
  public static Exec exec(
      InstanceStart start, String instance, List<String> command, Map<String, String> extra) {
    return withStart(
        Exec.builder().target("instance://" + instance).command(command).build(), start, extra);
  }

  /** {@code run instance://INSTANCE args…} with {@code start}'s environment plus {@code extra}. */
  public static Run run(
      InstanceStart start, String instance, List<String> args, Map<String, String> extra) {
    return withStart(
        Run.builder().target("instance://" + instance).args(args).build(), start, extra);
  }

  /** {@code exec} with {@code start}'s environment under its own and {@code extra} over both. */
  public static Exec withStart(Exec exec, InstanceStart start, Map<String, String> extra) {
    return Exec.builder()
        .from(exec)
        .environment(merged(start, exec, extra))
        .envFile(envFile(start, exec))
        .cleanenv(cleanenv(start, exec))
        .build();
  }

  /** {@code run} with {@code start}'s environment under its own and {@code extra} over both. */
  public static Run withStart(Run run, InstanceStart start, Map<String, String> extra) {
    return Run.builder()
        .from(run)
        .environment(merged(start, run, extra))
        .envFile(envFile(start, run))
        .cleanenv(cleanenv(start, run))
        .build();
  }

  /**
   * The steps run in an instance once it started (a Docker image's main command launched by {@code
   * run instance://NAME} in the background, an {@code entrypoint} by {@code exec}, the spec 2.0
   * {@code exec}/{@code run}), each with {@code start}'s environment under its own.
   */
  public static List<AfterStartStep> steps(List<AfterStartStep> steps, InstanceStart start) {
    List<AfterStartStep> out = new ArrayList<>(steps.size());
    for (AfterStartStep step : steps) {
      if (step.command() instanceof Exec e) {
        out.add(step.withCommand(withStart(e, start, Map.of())));
      } else if (step.command() instanceof Run r) {
        out.add(step.withCommand(withStart(r, start, Map.of())));
      } else {
        out.add(step);
      }
    }
    return out;
  }

  private static Map<String, String> merged(
      InstanceStart start, ContainerSettings own, Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>(start.environment());
    env.putAll(own.environment());
    env.putAll(extra);
    return env;
  }

  private static Optional<String> envFile(InstanceStart start, ContainerSettings own) {
    return own.envFile().isPresent() ? own.envFile() : start.envFile();
  }

  private static boolean cleanenv(InstanceStart start, ContainerSettings own) {
    return own.cleanenv() || start.cleanenv() || start.containall();
  }
}
