package io.github.scompose.spec.internal.profiles;

import io.github.scompose.spec.ComposeException;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Problem;
import io.github.scompose.spec.ServiceSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Compose Specification's profile rule ("Profiles"): which services of a project are enabled
 * for a set of active profiles and the services a command targets. See {@link
 * ComposeProject#withProfiles}.
 */
public final class ProfileSelection {

  /** The profile name that enables every profile ({@code --profile "*"}, as docker compose). */
  public static final String ALL = "*";

  private ProfileSelection() {}

  /**
   * The project with only its enabled services.
   *
   * @throws ComposeException when an enabled service depends ({@code depends_on}, required) on a
   *     disabled one, naming both and the profiles; optional dependencies ({@code required: false})
   *     on disabled services are dropped
   * @throws IllegalArgumentException when a targeted service does not exist
   */
  public static ComposeProject apply(
      ComposeProject project, Collection<String> profiles, Collection<String> targeted) {
    Set<String> active = new LinkedHashSet<>();
    for (String p : profiles) {
      if (!p.isBlank()) {
        active.add(p.strip());
      }
    }
    for (String t : targeted) {
      ServiceSpec s =
          project
              .service(t)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no service '" + t + "' in project " + project.name()));
      // the spec: a targeted service's profiles are added to the active ones
      active.addAll(s.profiles());
    }
    boolean all = active.contains(ALL);
    Set<String> enabled = new LinkedHashSet<>();
    for (ServiceSpec s : project.services()) {
      if (all
          || s.profiles().isEmpty()
          || targeted.contains(s.name())
          || s.profiles().stream().anyMatch(active::contains)) {
        enabled.add(s.name());
      }
    }
    if (enabled.size() == project.services().size()) {
      return project;
    }
    List<Problem> problems = new ArrayList<>();
    List<ServiceSpec> kept = new ArrayList<>();
    for (ServiceSpec s : project.services()) {
      if (!enabled.contains(s.name())) {
        continue;
      }
      List<DependsOn> deps = new ArrayList<>();
      for (DependsOn d : s.dependsOn()) {
        if (enabled.contains(d.service())) {
          deps.add(d);
        } else if (d.required()) {
          ServiceSpec target = project.service(d.service()).orElseThrow();
          problems.add(
              Problem.error(
                  project.directory().toString(),
                  0,
                  0,
                  "services." + s.name() + ".depends_on",
                  "service \""
                      + s.name()
                      + "\" depends on service \""
                      + d.service()
                      + "\", which is not enabled: its profiles ("
                      + String.join(", ", target.profiles())
                      + ") are not active (active: "
                      + (active.isEmpty() ? "none" : String.join(", ", new TreeSet<>(active)))
                      + ")"));
        }
      }
      kept.add(deps.size() == s.dependsOn().size() ? s : s.withDependsOn(deps));
    }
    if (!problems.isEmpty()) {
      throw new ComposeException(problems);
    }
    return project.withServices(kept);
  }
}
