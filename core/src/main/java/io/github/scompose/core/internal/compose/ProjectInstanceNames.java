package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.InstanceNaming;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which listed instances are a project's by their names alone, for {@code down} when the project's
 * state file is unreadable ({@link InstanceNaming}).
 *
 * <ul>
 *   <li>{@link InstanceNaming#PROJECT}: {@code <project>-<service>-<n>}, {@code n} a replica number
 *       (1 or more, no leading zero); the service is what lies between (it may hold dashes). When
 *       {@code services} is empty (the compose files are not at hand) any service matches, so a
 *       project named {@code a} also matches the instance {@code a-b-web-1} of a project {@code
 *       a-b}: the caller leaves out instances that another project's leases name.
 *   <li>{@link InstanceNaming#REFERENCE} ({@code --compat singularity-compose}): {@code
 *       <service><n>} for one of {@code services}; with no services, nothing matches (such names
 *       say nothing of the project).
 *   <li>{@link InstanceNaming#STACK} ({@code --compat singularity-stack}): {@code
 *       <project>.<service>} or {@code <project>.<service>.<n>} ({@code n} 2 or more); with
 *       services known, only theirs.
 * </ul>
 *
 * @param project the project name
 * @param naming how the project's instances are named
 * @param services the project's services; empty when unknown
 */
public record ProjectInstanceNames(String project, InstanceNaming naming, Set<String> services) {

  private static final Pattern REPLICA = Pattern.compile("[1-9][0-9]*");

  /**
   * The names of the project {@code s} records, with the naming its recorded names show: the
   * default, else singularity-stack's {@code <project>.<service>}, else singularity-compose's
   * {@code <service><n>}.
   */
  public static ProjectInstanceNames recorded(ProjectState s) {
    Set<String> services = new HashSet<>();
    s.instances().forEach(e -> services.add(e.service()));
    // the naming the recorded names show: the default, else singularity-stack's
    // <project>.<service>, else singularity-compose's <service><n>
    InstanceNaming naming = InstanceNaming.REFERENCE;
    for (InstanceNaming candidate : List.of(InstanceNaming.PROJECT, InstanceNaming.STACK)) {
      if (s.instances().stream()
          .allMatch(
              e ->
                  e.name()
                      .equals(
                          candidate.name(s.project(), e.service(), Math.max(1, e.replica()))))) {
        naming = candidate;
        break;
      }
    }
    return new ProjectInstanceNames(s.project(), naming, Set.copyOf(services));
  }

  /** Names of {@code project} by the default naming, any service. */
  public static ProjectInstanceNames of(String project) {
    return new ProjectInstanceNames(project, InstanceNaming.PROJECT, Set.of());
  }

  /** The service of {@code instance} when it is named as an instance of this project. */
  public Optional<String> service(String instance) {
    if (naming == InstanceNaming.PROJECT) {
      String prefix = project + "-";
      if (!instance.startsWith(prefix)) {
        return Optional.empty();
      }
      String rest = instance.substring(prefix.length());
      int dash = rest.lastIndexOf('-');
      if (dash <= 0 || !REPLICA.matcher(rest.substring(dash + 1)).matches()) {
        return Optional.empty();
      }
      String service = rest.substring(0, dash);
      return services.isEmpty() || services.contains(service)
          ? Optional.of(service)
          : Optional.empty();
    }
    if (naming == InstanceNaming.STACK) {
      return stackService(instance);
    }
    List<String> longestFirst =
        services.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String service : longestFirst) {
      if (instance.startsWith(service)
          && REPLICA.matcher(instance.substring(service.length())).matches()) {
        return Optional.of(service);
      }
    }
    return Optional.empty();
  }

  private Optional<String> stackService(String instance) {
    String prefix = project + ".";
    if (!instance.startsWith(prefix) || instance.length() == prefix.length()) {
      return Optional.empty();
    }
    String rest = instance.substring(prefix.length());
    if (!services.isEmpty()) {
      for (String service : services) {
        if (rest.equals(service)
            || (rest.startsWith(service + ".")
                && REPLICA.matcher(rest.substring(service.length() + 1)).matches()
                && !rest.substring(service.length() + 1).equals("1"))) {
          return Optional.of(service);
        }
      }
      return Optional.empty();
    }
    int dot = rest.lastIndexOf('.');
    if (dot > 0 && REPLICA.matcher(rest.substring(dot + 1)).matches()) {
      return Optional.of(rest.substring(0, dot));
    }
    return Optional.of(rest);
  }
}
