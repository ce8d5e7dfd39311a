package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.InstanceCommand;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.EnvironmentFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose exec [--index N] [-e K[=V]]… [-w DIR] [-T] SERVICE CMD…}: runs {@code CMD} in a
 * running instance of the service ({@code exec instance://NAME CMD…}) with the service's
 * environment as the instance got it at start (the binary gives a later {@code exec} only the
 * image's), plus the {@code -e} variables over it, as {@code docker compose exec} does; {@code -w
 * DIR} is the working directory in the container (the binary's {@code --pwd DIR}); {@code -T}
 * (docker compose: no pseudo-TTY) is accepted and changes nothing: the command's output is always
 * captured, never a terminal. Prints its stdout and stderr and exits with its exit code, also 255
 * with the binary's {@code FATAL:} line for a command missing from the image (singularity-compose
 * 0.1.19 always exits 0, as recorded with SingularityCE 3.4.2). Values never appear in argv.
 */
@Command(name = "exec", description = "Run a command in a running instance; exits with its code.")
final class ExecCommand implements Callable<Integer> {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The caller's environment, for {@code -e K} without a value; tests replace it. */
  static Supplier<Map<String, String>> callerEnvironment = System::getenv;

  @ParentCommand ScomposeCommand root;

  @Option(names = "--index", paramLabel = "N", description = "Replica number (default: 1).")
  int index = 1;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY[=VALUE]",
      description =
          "Set a variable for the command, over the service's environment (repeatable). KEY alone"
              + " takes its value from this shell's environment, else from the project's .env"
              + " (or --env-file).")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "Working directory in the container (the binary's --pwd).")
  String workdir;

  @Option(
      names = {"-T", "--no-TTY"},
      description =
          "No pseudo-TTY (accepted for docker compose's habit: the output is always captured).")
  boolean noTty;

  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Parameters(index = "1..*", paramLabel = "CMD", arity = "1..*")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    try (ProjectSession session = ProjectSession.open(root)) {
      Map<String, String> extra = variables(root, env, session.project().directory());
      String name = replica(session.running(service), index).name();
      CommandResult r =
          session
              .compose()
              .exec(
                  session.project().directory(),
                  InstanceCommand.builder()
                      .instance(name)
                      .args(command)
                      .environment(extra)
                      .workingDirectory(Optional.ofNullable(workdir))
                      .build());
      return pass(root, r);
    }
  }

  /**
   * The {@code -e} variables: {@code K=V} as given; {@code K} from the caller's environment, else
   * from the env file of the global {@code --env-file} or the project's {@code .env}; a {@code K}
   * found in none is left as the service has it, with a warning. Never prints a value.
   *
   * @throws CliException (exit 2) for a name that is not {@code [A-Za-z_][A-Za-z0-9_]*}; the
   *     message names the entry by its position ("the 2nd -e/--env"), never by its text, which may
   *     hold a secret (e.g. {@code -e PASSWORD:hunter2})
   */
  static Map<String, String> variables(
      ScomposeCommand root, List<String> given, Path projectDirectory) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> files = null;
    for (int n = 0; n < given.size(); n++) {
      String entry = given.get(n);
      int eq = entry.indexOf('=');
      String key = eq < 0 ? entry : entry.substring(0, eq);
      if (!NAME.matcher(key).matches()) {
        throw new CliException(
            ScomposeCommand.EXIT_INVALID,
            "the "
                + ordinal(n + 1)
                + " -e/--env is not KEY=VALUE or KEY (KEY: a letter or '_', then letters, digits"
                + " or '_'); its text is not shown, as it may hold a secret");
      }
      if (eq >= 0) {
        out.put(key, entry.substring(eq + 1));
        continue;
      }
      String value = callerEnvironment.get().get(key);
      if (value == null) {
        if (files == null) {
          files = envFileVariables(root, projectDirectory);
        }
        value = files.get(key);
      }
      if (value == null) {
        root.err.println(
            "scompose: -e "
                + key
                + ": not set in this environment nor in the env file; the service's value, if"
                + " any, is kept");
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  /** {@code 1st}, {@code 2nd}, {@code 3rd}, {@code 4th}, …, {@code 11th}, {@code 21st}. */
  static String ordinal(int n) {
    int tens = n % 100;
    String suffix =
        tens >= 11 && tens <= 13
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            };
    return n + suffix;
  }

  /**
   * The {@code --env-file} files' variables (a later file wins), else the project's {@code .env}
   * when there is one, read by the loader's parser.
   *
   * @throws io.github.scompose.spec.ComposeException (exit 2) for an unreadable or malformed file
   */
  private static Map<String, String> envFileVariables(ScomposeCommand root, Path projectDirectory) {
    if (!root.envFiles.isEmpty()) {
      return root.projectFiles().envFileVariables();
    }
    Path file = projectDirectory.resolve(".env");
    return Files.isRegularFile(file) ? EnvironmentFile.read(file) : Map.of();
  }

  static InstanceStatus replica(List<InstanceStatus> running, int index) {
    if (index < 1 || index > running.size()) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "--index " + index + " is outside 1.." + running.size() + " (running replicas)");
    }
    return running.get(index - 1);
  }

  static int pass(ScomposeCommand root, CommandResult r) {
    root.out.print(r.stdout());
    root.out.flush();
    root.err.print(r.stderr());
    root.err.flush();
    return r.exitCode();
  }
}
