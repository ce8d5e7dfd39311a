package io.github.scompose.spec;

import io.github.scompose.spec.internal.render.ProjectRenderer;
import io.github.scompose.style.ValueStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A loaded, validated compose project: what {@link ComposeLoader} returns.
 *
 * <p>{@link #services()} are in a deterministic topological order: every service comes after the
 * services it depends on, and among services free to go in any order, the order of the file wins (a
 * service is placed as early as its first dependent or its declaration allows). Names are unique;
 * every {@code depends_on} names a service of the project; there are no cycles.
 *
 * <p>{@link #warnings()} does not take part in {@code equals}: two projects with the same model are
 * equal whatever was warned about while loading them.
 */
@Value.Immutable
@ValueStyle
public abstract class ComposeProject implements WithComposeProject {

  /** Project name: lower case {@code [a-z0-9_-]}, as docker compose normalises it. */
  public abstract String name();

  /** Absolute project directory; relative paths of the files were resolved against it. */
  public abstract Path directory();

  /** Format of the (first) file; all files of one project share a family. */
  public abstract SourceFormat format();

  /** Services in topological order (dependencies first). */
  public abstract List<ServiceSpec> services();

  /** Top-level {@code secrets}. */
  public abstract List<SecretSpec> secrets();

  /**
   * Top-level {@code x-*} keys of the (merged) Compose Specification file, kept and otherwise
   * ignored: values are strings, lists and maps of those (e.g. {@code x-scompose}); empty for
   * singularity-compose files.
   */
  public abstract java.util.Map<String, Object> extensions();

  /** Warnings found while loading (ignored keys, unset variables, …). */
  @Value.Auxiliary
  public abstract List<Problem> warnings();

  /** The service named {@code name}, if any. */
  public Optional<ServiceSpec> service(String name) {
    return services().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * Environment variable naming the active Compose profiles, comma-separated: {@value} (Compose
   * spec, "Profiles"; docker compose's name; {@code *} activates all).
   */
  public static final String PROFILES_VARIABLE = "COMPOSE_PROFILES";

  /**
   * The profile names of a {@value #PROFILES_VARIABLE} value: split at commas, stripped, blanks
   * dropped, in order, each once; empty for null.
   */
  public static java.util.Set<String> profilesOf(String value) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    if (value != null) {
      for (String p : value.split(",")) {
        if (!p.isBlank()) {
          out.add(p.strip());
        }
      }
    }
    return out;
  }

  /**
   * This project with only the services enabled by {@code profiles} (Compose Specification
   * "Profiles"): a service without {@code profiles} is always enabled; a service with profiles is
   * enabled when one of them is active, or when a command targets it by name ({@code targeted},
   * e.g. {@code up debug-ui}), whose profiles then become active too (so a dependency sharing its
   * profile is enabled with it). The profile {@code *} activates every profile. Other top-level
   * elements are unaffected. Returns this project when every service is enabled.
   *
   * @param profiles the active profiles (the CLI's {@code --profile}, else {@code
   *     COMPOSE_PROFILES}); blank names are ignored
   * @param targeted services named on the command line; may be empty
   * @throws ComposeException when an enabled service depends ({@code depends_on}, required) on a
   *     service that is not enabled, naming both, the dependency's profiles and the active ones
   *     (the spec: references never enable a service, the model is invalid); an optional dependency
   *     ({@code required: false}) on a disabled service is dropped
   * @throws IllegalArgumentException when a targeted service is not in the project
   */
  public ComposeProject withProfiles(
      java.util.Collection<String> profiles, java.util.Collection<String> targeted) {
    return io.github.scompose.spec.internal.profiles.ProfileSelection.apply(
        this, profiles, targeted);
  }

  /**
   * The resolved model as YAML, in this project's format (like {@code docker compose config}):
   * absolute paths, long forms where a short form would lose something. Loading the text with the
   * same project directory and name gives a project equal to this one.
   */
  public String render() {
    return ProjectRenderer.render(this);
  }

  /**
   * A new, empty builder of {@link ComposeProject}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link ComposeProject}; get one from {@link ComposeProject#builder()} or {@link
   * ComposeProject#toBuilder()}.
   */
  public static final class Builder extends ImmutableComposeProject.Builder {
    Builder() {}
  }
}
