package io.github.scompose.samples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParentCommand;

/** {@code scompose version}: the tool's version and, unless {@code --short}, the runtime's. */
@Command(name = "version", description = "Show the scompose version and the runtime's.")
final class VersionCommand implements Runnable {

  @ParentCommand ScomposeCommand root;

  @picocli.CommandLine.Option(
      names = "--short",
      description = "Only the scompose version, without asking the runtime.")
  boolean brief;

  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  @Override
  public void run() {
    root.out.println("scompose " + version());
    if (brief) {
      return;
    }
    try (CliRuntime runtime = root.connect()) {
      root.out.println("runtime " + runtime.describe());
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
