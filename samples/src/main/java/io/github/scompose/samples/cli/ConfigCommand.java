package io.github.scompose.samples.cli;

import io.github.scompose.spec.ComposeProject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose config [--format yaml|json]}: the resolved project (files merged, variables
 * interpolated, paths absolute) as {@link ComposeProject#render()} gives it, in YAML (default) or
 * the same tree as JSON. Loading the YAML output with the same project directory and name gives a
 * project equal to the original (a property of the loader, checked by the end-to-end test).
 */
@Command(name = "config", description = "Print the resolved compose model.")
final class ConfigCommand implements Runnable {

  enum Format {
    YAML,
    JSON
  }

  @ParentCommand ScomposeCommand root;

  @Option(
      names = "--format",
      paramLabel = "yaml|json",
      description = "Output format (default: yaml).")
  Format format = Format.YAML;

  @Option(names = "--services", description = "Only the service names, one per line.")
  boolean services;

  @Override
  public void run() {
    ComposeProject project = root.projectFiles().load();
    ProblemPrinter.print(project.warnings(), root.err);
    if (services) {
      project.services().forEach(s -> root.out.println(s.name()));
      return;
    }
    String yaml = project.render();
    root.out.print(format == Format.YAML ? yaml : JsonText.fromYaml(yaml));
    root.out.flush();
  }
}
