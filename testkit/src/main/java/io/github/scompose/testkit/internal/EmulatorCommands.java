package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.internal.Emulator.Invocation;
import io.github.scompose.testkit.internal.Emulator.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the emulator's subcommands share: the programme, the state store and the time source; the
 * output ({@link Out}) and request ({@link Request}) of one invocation; and the rules more than one
 * subcommand follows (usage errors, image lookup, the container environment, dropping ended
 * instances, log and state file paths). Subclasses: {@link InstanceCommands}, {@link
 * ContainerCommands}, {@link ImageCommands}; {@link Emulator} dispatches to them.
 */
abstract class EmulatorCommands {

  private static final String RED = "\u001b[31m";
  private static final String BLUE = "\u001b[34m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RESET = "\u001b[0m";

  final RuntimeConfig config;
  final InstanceStore store;
  final FakeTimeSource time;

  EmulatorCommands(RuntimeConfig config, InstanceStore store, FakeTimeSource time) {
    this.config = config;
    this.store = store;
    this.time = time;
  }

  // ---- output helpers -------------------------------------------------------------------------

  /** The output of one invocation: streams, exit code, and how messages are shown. */
  static final class Out {
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    boolean color = true;
    boolean quiet;
    boolean silent;
    boolean legacy;
    int exit;
    boolean hangs;

    Out fatal(int code, String message) {
      if (legacy) {
        stderr.append("ERROR  : ").append(message).append('\n');
      } else if (color) {
        stderr
            .append(RED)
            .append("FATAL:  ")
            .append(RESET)
            .append(' ')
            .append(message)
            .append('\n');
      } else {
        stderr.append("FATAL:   ").append(message).append('\n');
      }
      exit = code;
      return this;
    }

    Out info(String message) {
      if (quiet || silent || legacy) {
        return this;
      }
      if (color) {
        stderr
            .append(BLUE)
            .append("INFO:   ")
            .append(RESET)
            .append(' ')
            .append(message)
            .append('\n');
      } else {
        stderr.append("INFO:    ").append(message).append('\n');
      }
      return this;
    }

    Out warning(String message) {
      if (silent || legacy) {
        return this;
      }
      if (color) {
        stderr
            .append(YELLOW)
            .append("WARNING:")
            .append(RESET)
            .append(' ')
            .append(message)
            .append('\n');
      } else {
        stderr.append("WARNING: ").append(message).append('\n');
      }
      return this;
    }

    Outcome outcome() {
      return new Outcome(exit, stdout.toString(), stderr.toString(), hangs);
    }
  }

  static Outcome answer(ScriptedResponse response) {
    return new Outcome(response.exitCode(), response.stdout(), response.stderr(), response.hangs());
  }

  /** One subcommand invocation: the command as named, its flag table, flags and arguments. */
  record Request(
      String program,
      String command,
      String shortName,
      FlagTable table,
      FlagTable.Parsed parsed,
      Invocation invocation,
      List<String> arguments) {
    /** The flags given before the first positional argument, as written. */
    List<String> options() {
      return List.copyOf(arguments.subList(0, arguments.size() - parsed.positionals().size()));
    }

    List<String> positionals() {
      return parsed.positionals();
    }
  }

  static Outcome usageError(
      Out out, String program, String command, String shortName, FlagTable table, String error) {
    if (out.legacy) {
      out.stderr.append("ERROR  : ").append(error).append('\n');
      out.exit = 1;
      return out.outcome();
    }
    out.stderr.append("Error for command \"").append(shortName).append("\": ").append(error);
    out.stderr.append("\n\nOptions for ").append(shortName).append(" command:\n\n");
    table.usageLines().forEach(l -> out.stderr.append(l).append('\n'));
    out.stderr.append("\nRun '").append(program).append(' ').append(command);
    out.stderr.append(" --help' for more detailed usage information.\n");
    out.exit = 1;
    return out.outcome();
  }

  Outcome argumentCount(Out out, Request r, int min, int max) {
    int n = r.positionals().size();
    if (n >= min && n <= max) {
      return null;
    }
    String error =
        min == max
            ? "accepts " + min + " arg(s), received " + n
            : "requires at least " + min + " arg(s), only received " + n;
    return usageError(out, r.program(), r.command(), r.shortName(), r.table(), error);
  }

  // ---- images ---------------------------------------------------------------------------------

  Optional<FakeImage> image(EmulatorState state, String path, String workingDirectory) {
    FakeImage known = config.images().get(path);
    if (known == null) {
      known = state.createdImages.get(path);
    }
    if (known == null && !path.contains("://")) {
      String absolute = absolute(path, workingDirectory);
      known = config.images().get(absolute);
      if (known == null) {
        known = state.createdImages.get(absolute);
      }
    }
    if (known == null && config.anyImageExists()) {
      known = FakeImage.of(path);
    }
    return Optional.ofNullable(known);
  }

  static String absolute(String path, String workingDirectory) {
    if (path.startsWith("/") || workingDirectory == null) {
      return path;
    }
    return Path.of(workingDirectory).resolve(path).normalize().toString();
  }

  static String missingImage(String path) {
    return "could not open image "
        + path
        + ": failed to retrieve path for "
        + path
        + ": lstat "
        + path
        + ": no such file or directory";
  }

  // ---- environment ----------------------------------------------------------------------------

  List<String> envPrefixes() {
    return config.dialect() == FakeDialect.APPTAINER_1
        ? List.of("SINGULARITYENV_", "APPTAINERENV_")
        : List.of("SINGULARITYENV_");
  }

  /** The container environment: image environment plus what the caller injects. */
  Map<String, String> containerEnvironment(FakeImage image, Request r, Out out) {
    Map<String, String> injected = new LinkedHashMap<>();
    for (String prefix : envPrefixes()) {
      for (Map.Entry<String, String> e : r.invocation().environment().entrySet()) {
        if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
          injected.put(e.getKey().substring(prefix.length()), e.getValue());
        }
      }
    }
    Optional<String> envFile = r.parsed().last("env-file");
    if (envFile.isPresent()) {
      Optional<byte[]> bytes =
          store.readFile(absolute(envFile.get(), r.invocation().workingDirectory()), 0);
      if (bytes.isEmpty()) {
        out.fatal(255, "while processing " + envFile.get() + ": no such file or directory");
        return null;
      }
      for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (l.startsWith("export ")) {
          l = l.substring(7).strip();
        }
        int eq = l.indexOf('=');
        if (eq > 0 && !l.startsWith("#")) {
          injected.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
        }
      }
    }
    for (String pair : r.parsed().all("env")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        injected.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (config.dialect() == FakeDialect.APPTAINER_1) {
      // Apptainer: injected variables override the image's %environment (documented).
      env.putAll(image.environment());
      env.putAll(injected);
    } else {
      // SingularityCE 3.4: %environment is sourced after the injected ones and wins.
      env.putAll(injected);
      env.putAll(image.environment());
    }
    return env;
  }

  static String unquote(String value) {
    String v = value.strip();
    if (v.length() >= 2
        && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  // ---- instance lifecycle -------------------------------------------------------------------

  /** Drops instances that crashed, whose process is gone, or whose post-stop listing ended. */
  void purge(EmulatorState state) {
    Instant now = time.now();
    if (!store.tracksProcesses()
        && (state.nextDeadline == null || now.isBefore(state.nextDeadline))) {
      return;
    }
    state.nextDeadline = null;
    state
        .instances
        .values()
        .removeIf(
            r -> {
              boolean gone;
              if (r.stopped()) {
                gone = !now.isBefore(r.listedUntil());
              } else {
                gone = (r.diesAt() != null && !now.isBefore(r.diesAt())) || !store.processAlive(r);
              }
              if (gone) {
                // a stopped instance keeps its record while it is still listed
                store.removeFile(stateFile(r.name()));
              }
              if (!gone) {
                state.deadline(r.stopped() ? r.listedUntil() : r.diesAt());
              }
              return gone;
            });
  }

  String logPath(String name, String suffix) {
    return config.logDirectory() + "/" + name + "." + suffix;
  }

  String stateFile(String name) {
    return config.stateFileDirectory() + "/" + name + "/" + name + ".json";
  }

  static String expandLines(List<String> lines, List<String> args, Map<String, String> env) {
    if (lines.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(ScriptExpansion.expand(line, args, env)).append('\n');
    }
    return text.toString();
  }
}
