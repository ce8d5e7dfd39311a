package io.github.scompose.samples.cli;

import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.VolumeMount;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose config [--format yaml|json] [--services] [--volumes] [--profiles]}: the resolved
 * project (files merged, variables interpolated, paths absolute) as {@link ComposeProject#render()}
 * gives it, in YAML (default) or the same tree as JSON, with only the services the active profiles
 * enable ({@code --profile}, else {@code COMPOSE_PROFILES}; as {@code docker compose config}).
 * Loading the YAML output with the same project directory and name gives a project equal to the
 * original (a property of the loader, checked by the end-to-end test). As {@code docker compose
 * config}: {@code --services} prints only the service names, {@code --volumes} only the named
 * volumes the services mount (sorted, each once; a top-level volume that no service mounts is not
 * in the model), {@code --profiles} only the profile names the services declare, one per line;
 * {@code --services} with {@code --volumes}: services first.
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
      names = "--volumes",
      description = "Only the names of the named volumes the services mount, one per line.")
  boolean volumes;

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
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new))
          .forEach(root.out::println);
      root.out.flush();
      return;
    }
    ComposeProject project = all.withProfiles(root.activeProfiles(), java.util.List.of());
    if (services || volumes) {
      if (services) {
        project.services().forEach(s -> root.out.println(s.name()));
      }
      if (volumes) {
        new TreeSet<String>(
                project.services().stream()
                    .flatMap(s -> s.volumes().stream())
                    .filter(v -> v.type() == VolumeMount.Type.VOLUME)
                    .flatMap(v -> v.source().stream())
                    .toList())
            .forEach(root.out::println);
      }
      root.out.flush();
      return;
    }
    String yaml = project.render();
    root.out.print(format == Format.YAML ? yaml : JsonText.fromYaml(yaml));
    root.out.flush();
  }
}
