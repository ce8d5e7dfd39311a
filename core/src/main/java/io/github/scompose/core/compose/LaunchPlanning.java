package io.github.scompose.core.compose;

import io.github.scompose.core.client.ContainerSettings;
import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.internal.plan.ShellSplit;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How {@link UpPlanner} launches an instance: start arguments, spec 2.0 after-start steps, a Docker
 * image's command ({@code instance run} or a background {@code run}), one-offs, {@code
 * working_dir}, tmpfs scratch and {@code post} host commands.
 */
final class LaunchPlanning {

  private LaunchPlanning() {}

  static List<String> startArgs(ComposeProject project, ServiceSpec s) {
    if (s.start().isPresent() && !s.start().get().args().isEmpty()) {
      return s.start().get().args();
    }
    if (!project.format().isSingularityCompose()) {
      List<String> args = new ArrayList<>();
      s.entrypoint().ifPresent(args::addAll);
      s.command().ifPresent(args::addAll);
      return args;
    }
    return List.of();
  }

  static List<String> words(Invocation i) {
    if (i.argsAsOneString() && i.args().size() == 1) {
      return ShellSplit.words(i.args().get(0));
    }
    return i.args();
  }

  static List<AfterStartStep> afterStart(ServiceSpec s, String instance) {
    List<AfterStartStep> out = new ArrayList<>();
    s.exec()
        .filter(e -> !e.args().isEmpty())
        .ifPresent(
            e ->
                out.add(
                    AfterStartStep.builder()
                        .command(
                            Exec.builder()
                                .target("instance://" + instance)
                                .options(e.options())
                                .command(words(e))
                                .build())
                        .build()));
    s.run()
        .ifPresent(
            r ->
                out.add(
                    AfterStartStep.builder()
                        .command(
                            Run.builder()
                                .target("instance://" + instance)
                                .options(r.options())
                                .args(words(r))
                                .build())
                        .background(r.background().orElse(false))
                        .build()));
    return out;
  }

  /**
   * How an instance is launched.
   *
   * @param instanceRun launch with {@code instance run}
   * @param startArgs arguments for the start/run command, when they differ from {@link #startArgs}
   * @param background a step that launches the main process after {@code instance start}
   */
  record Launch(
      boolean instanceRun, Optional<List<String>> startArgs, Optional<AfterStartStep> background) {}

  /**
   * Images converted from Docker have a runscript (the image's ENTRYPOINT/CMD) but no startscript,
   * so {@code instance start} alone would run nothing. For a Compose Specification service with
   * such an image: {@code instance run IMAGE NAME command…} where the dialect has {@code instance
   * run}; else {@code instance start} without arguments followed by {@code run instance://NAME
   * command…} in the background (as singularity-stack does). An {@code entrypoint} replaces the
   * runscript: {@code exec instance://NAME entrypoint… command…} in the background.
   * singularity-compose files keep their own rules: the image's startscript, and their {@code
   * exec}/{@code run} sections.
   */
  static Launch launch(
      ComposeProject project, ServiceSpec s, boolean fromDocker, Dialect dialect, String instance) {
    if (project.format().isSingularityCompose() || !fromDocker) {
      return new Launch(false, Optional.empty(), Optional.empty());
    }
    List<String> command = s.command().orElse(List.of());
    if (s.entrypoint().isPresent() && !s.entrypoint().get().isEmpty()) {
      List<String> argv = new ArrayList<>(s.entrypoint().get());
      argv.addAll(command);
      return new Launch(
          false,
          Optional.of(List.of()),
          Optional.of(
              AfterStartStep.builder()
                  .command(Exec.builder().target("instance://" + instance).command(argv).build())
                  .background(true)
                  .build()));
    }
    if (dialect.supportsInstanceRun()) {
      return new Launch(true, Optional.of(command), Optional.empty());
    }
    return new Launch(
        false,
        Optional.of(List.of()),
        Optional.of(
            AfterStartStep.builder()
                .command(Run.builder().target("instance://" + instance).args(command).build())
                .background(true)
                .build()));
  }

  /**
   * The after-start steps with the service's {@code working_dir} as {@code --pwd} where the
   * subcommand has it.
   */
  static List<AfterStartStep> withPwd(
      List<AfterStartStep> steps, Optional<String> pwd, Dialect dialect) {
    List<AfterStartStep> out = new ArrayList<>();
    for (AfterStartStep step : steps) {
      AfterStartStep st = step;
      if (st.command() instanceof io.github.scompose.core.client.Exec e) {
        Exec.Builder b = Exec.builder().from(e);
        if (pwd.isPresent() && e.pwd().isEmpty() && dialect.supportsOption(Dialect.EXEC, "--pwd")) {
          b.pwd(pwd.get());
        }
        st = st.withCommand(b.build());
      } else if (st.command() instanceof io.github.scompose.core.client.Run r) {
        Run.Builder b = Run.builder().from(r);
        if (pwd.isPresent() && r.pwd().isEmpty() && dialect.supportsOption(Dialect.RUN, "--pwd")) {
          b.pwd(pwd.get());
        }
        st = st.withCommand(b.build());
      }
      out.add(st);
    }
    return out;
  }

  /**
   * The one-off run of a service that others wait for with {@code service_completed_successfully}:
   * {@code run IMAGE args…} (or {@code exec IMAGE entrypoint… command…} when the service sets an
   * {@code entrypoint}) with the start's binds, scratch directories, environment, options and
   * {@code --writable-tmpfs}, without network namespace flags or hostname.
   */
  static io.github.scompose.core.client.SingularityCommand oneOff(
      ComposeProject project,
      ServiceSpec s,
      InstanceStart start,
      Dialect dialect,
      Optional<String> pwd) {
    List<String> command =
        project.format().isSingularityCompose()
            ? startArgs(project, s)
            : s.command().orElse(List.of());
    Optional<String> runPwd = pwd.filter(p -> dialect.supportsOption(Dialect.RUN, "--pwd"));
    if (!project.format().isSingularityCompose()
        && s.entrypoint().isPresent()
        && !s.entrypoint().get().isEmpty()) {
      List<String> argv = new ArrayList<>(s.entrypoint().get());
      argv.addAll(command);
      return Exec.builder()
          .from((ContainerSettings) start)
          .net(false)
          .network(Optional.empty())
          .networkArgs(List.of())
          .hostname(Optional.empty())
          .pwd(pwd.filter(p -> dialect.supportsOption(Dialect.EXEC, "--pwd")))
          .target(start.image())
          .command(argv)
          .build();
    }
    return Run.builder()
        .from((ContainerSettings) start)
        .net(false)
        .network(Optional.empty())
        .networkArgs(List.of())
        .hostname(Optional.empty())
        .pwd(runPwd)
        .target(start.image())
        .args(command)
        .build();
  }

  /**
   * Compose {@code tmpfs} mounts (long syntax {@code type: tmpfs}) as {@code --scratch TARGET}: an
   * empty writable directory discarded with the instance, where the dialect's launch subcommand has
   * {@code --scratch} (SingularityCE 3.4.2: recorded; Apptainer, SingularityCE: documented). A
   * {@code tmpfs.size} cannot be enforced (noted). Else {@link IllegalArgumentException} naming the
   * service and the path.
   */
  static List<String> scratch(
      ServiceSpec s, Dialect dialect, String launchWord, Set<String> noted, UpPlan.Builder plan) {
    List<String> out = new ArrayList<>();
    for (VolumeMount v : s.volumes()) {
      if (v.type() != VolumeMount.Type.TMPFS) {
        continue;
      }
      if (!dialect.supportsOption(launchWord, "--scratch")) {
        throw new IllegalArgumentException(
            "service '"
                + s.name()
                + "': the tmpfs mount at "
                + v.target()
                + " is not supported: "
                + dialect.version().format()
                + " "
                + launchWord
                + " has no --scratch (and no tmpfs bind); use a named volume or --writable-tmpfs");
      }
      if (v.tmpfsSize().isPresent() && noted.add(s.name() + "/tmpfs" + v.target())) {
        plan.addNotes(
            "service '"
                + s.name()
                + "': tmpfs at "
                + v.target()
                + " becomes --scratch "
                + v.target()
                + ", which has no size limit (tmpfs.size "
                + v.tmpfsSize().getAsLong()
                + " bytes is not enforced)");
      }
      out.add(BindPlanning.trimSlash(v.target()));
    }
    return out;
  }

  /** singularity-compose spec 2.0 {@code post}: host commands run in the project directory. */
  static List<HostCommand> post(ComposeProject project, ServiceSpec s) {
    List<HostCommand> out = new ArrayList<>();
    for (Invocation p : s.post()) {
      List<String> argv = words(p);
      if (!argv.isEmpty()) {
        out.add(
            HostCommand.builder()
                .argv(argv)
                .workingDirectory(project.directory().toString())
                .build());
      }
    }
    return out;
  }
}
