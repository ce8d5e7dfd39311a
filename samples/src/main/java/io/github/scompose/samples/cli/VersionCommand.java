package io.github.scompose.samples.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose version [--short] [--format pretty|json]}: the tool's version and, unless {@code
 * --short}, the runtime's. {@code --format json} (as {@code docker compose version --format json})
 * prints one object: {@code {"version": "…"}}, plus {@code "runtime"} unless {@code --short}.
 */
@Command(name = "version", description = "Show the scompose version and the runtime's.")
final class VersionCommand implements Runnable {

  @ParentCommand ScomposeCommand root;

  @picocli.CommandLine.Option(
      names = "--short",
      description = "Only the scompose version, without asking the runtime.")
  boolean brief;

  enum Format {
    PRETTY,
    JSON
  }

  @picocli.CommandLine.Option(
      names = {"-f", "--format"},
      paramLabel = "pretty|json",
      description = "Output format (default: pretty).")
  Format format = Format.PRETTY;

  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  @Override
  public void run() {
    String runtime = null;
    if (!brief) {
      try (CliRuntime r = root.connect()) {
        runtime = r.describe();
      }
    }
    if (format == Format.JSON) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("version", version());
      if (runtime != null) {
        o.put("runtime", runtime);
      }
      root.out.println(JsonText.write(o));
      return;
    }
    root.out.println("scompose " + version());
    if (runtime != null) {
      root.out.println("runtime " + runtime);
    }
  }

  /** {@code --version}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"scompose " + version()};
    }
  }
}
