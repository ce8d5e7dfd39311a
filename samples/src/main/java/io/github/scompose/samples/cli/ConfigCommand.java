package io.github.scompose.samples.cli;

import io.github.scompose.spec.ComposeProject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose config [--format yaml|json]}: the resolved project (files merged, variables
 * interpolated, paths absolute) as {@link ComposeProject#render()} gives it, in YAML (default) or
 * the same tree as JSON, with only the services the active profiles enable ({@code --profile}, else
 * {@code COMPOSE_PROFILES}; as {@code docker compose config}). Loading the YAML output with the
 * same project directory and name gives a project equal to the original (a property of the loader,
 * checked by the end-to-end test).
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

  @Option(
      names = "--profiles",
      description = "Only the profile names the services declare, sorted, one per line.")
  boolean profiles;

  @Override
  public void run() {
    ComposeProject all = root.projectFiles().load();
    ProblemPrinter.print(all.warnings(), root.err);
    if (profiles) {
      all.services().stream()
          .flatMap(s -> s.profiles().stream())
          .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))
          .forEach(root.out::println);
      return;
    }
    ComposeProject project = all.withProfiles(root.activeProfiles(), java.util.List.of());
    if (services) {
      project.services().forEach(s -> root.out.println(s.name()));
      return;
    }
    String yaml = project.render();
    root.out.print(format == Format.YAML ? yaml : JsonText.fromYaml(yaml));
    root.out.flush();
  }
}
