package io.github.scompose.spec;

import io.github.scompose.spec.internal.load.ProjectLoading;
import io.github.scompose.spec.internal.yaml.SourceText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads compose files into a validated {@link ComposeProject}. Immutable: every {@code withX}
 * returns a configured copy, so one loader can be shared.
 *
 * <pre>{@code
 * ComposeProject p = ComposeLoader.defaults().load(Path.of("singularity-compose.yml"));
 * ComposeProject q = ComposeLoader.defaults()
 *     .withEnvironment(Map.of("TAG", "1.2"))
 *     .load(Path.of("compose.yaml"), Path.of("compose.override.yaml"));
 * }</pre>
 *
 * <p>What it does, in order, for each file: reads it (a regular file only, strict UTF-8, at most 8
 * MiB; at most 8 Mi characters for a text; lists and mappings nested at most 100 deep, 200 aliases
 * and 1,000,000 nodes after alias expansion, so a "billion laughs" file fails fast), detects the
 * format ({@code instances:} with {@code version: "1.0"|"2.0"}: singularity-compose; {@code
 * services:}: Compose Specification), interpolates variables in values ({@code $VAR}, {@code
 * ${VAR:-default}}, {@code ${VAR:?error}} …, {@code $$} for a literal {@code $}; Compose
 * Specification "Interpolation"), applies {@code include} and {@code extends} (Compose; cycles are
 * errors), then merges the files in order (later wins; see {@link SourceFormat} for the rules per
 * format, and {@code !reset}/{@code !override} tags), binds the result to the typed model and
 * checks it.
 *
 * <p>Defaults: the project directory is the first file's folder (the working directory for a text);
 * the project name is the Compose top-level {@code name}, else the directory's name, normalised
 * like docker compose (lower case, only {@code [a-z0-9_-]} kept); the environment is the process
 * environment overlaid on the {@code .env} file of the project directory ({@code .env} never
 * overrides a real variable); {@code ~} expands to the {@code user.home} system property.
 *
 * <p>Errors: every problem is collected and thrown together as one {@link ComposeException} (file,
 * line, column, key path, message). Warnings (ignored keys, unset variables, obsolete {@code
 * version}) never throw; they are in {@link ComposeProject#warnings()}. Duplicate mapping keys are
 * errors in Compose files (YAML 1.2; compose-go rejects them) and warnings in singularity-compose
 * files, where the last value is used, as singularity-compose (PyYAML) does.
 */
public final class ComposeLoader {

  private final Path projectDirectory;
  private final String projectName;
  private final Map<String, String> environment;
  private final Path home;
  private final List<Path> envFiles;

  private ComposeLoader(
      Path projectDirectory, String projectName, Map<String, String> environment, Path home) {
    this(projectDirectory, projectName, environment, home, List.of());
  }

  private ComposeLoader(
      Path projectDirectory,
      String projectName,
      Map<String, String> environment,
      Path home,
      List<Path> envFiles) {
    this.projectDirectory = projectDirectory;
    this.projectName = projectName;
    this.environment = environment;
    this.home = home;
    this.envFiles = envFiles;
  }

  /**
   * The project name the loader gives a project without a top-level {@code name} and without {@link
   * #withProjectName}: the project directory's own name, normalised as docker compose does (lower
   * case; only {@code a-z}, {@code 0-9}, {@code _} and {@code -} kept; {@code default} when nothing
   * is left). For tools that need the name while the compose files cannot be read.
   */
  public static String projectNameOf(Path projectDirectory) {
    Path name = projectDirectory.toAbsolutePath().normalize().getFileName();
    return normaliseProjectName(name == null ? "default" : name.toString());
  }

  /**
   * {@code name} normalised as the loader normalises project names (see {@link #projectNameOf}).
   */
  public static String normaliseProjectName(String name) {
    return io.github.scompose.spec.internal.load.ProjectLoading.normaliseName(name);
  }

  /** A loader with every default (see the type's documentation). */
  public static ComposeLoader defaults() {
    return new ComposeLoader(null, null, null, null);
  }

  /** Resolve relative paths against {@code directory}; default: the first file's folder. */
  public ComposeLoader withProjectDirectory(Path directory) {
    return new ComposeLoader(
        Objects.requireNonNull(directory, "directory"), projectName, environment, home, envFiles);
  }

  /** Use {@code name} (normalised) as the project name. */
  public ComposeLoader withProjectName(String name) {
    return new ComposeLoader(
        projectDirectory, Objects.requireNonNull(name, "name"), environment, home, envFiles);
  }

  /**
   * Interpolate with exactly these variables (the process environment and {@code .env} are then not
   * read). Bare {@code environment} keys take their values from here too.
   */
  public ComposeLoader withEnvironment(Map<String, String> variables) {
    return new ComposeLoader(
        projectDirectory,
        projectName,
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables)),
        home,
        envFiles);
  }

  /**
   * Read variables from {@code files} instead of the project directory's {@code .env} (the CLI's
   * {@code --env-file}, repeatable), in order, a later file's value winning. Each file is read
   * exactly as {@code .env} is: the same parser ({@code KEY=VALUE} lines, {@code export}, comments,
   * single quotes literal, double quotes with escapes and values spanning lines, {@code $VAR} and
   * {@code ${VAR:-default}} substitution from keys defined earlier in the file; see {@link
   * EnvironmentFile}). The process environment still wins over the files (over {@code .env} too);
   * with {@link #withEnvironment}, those variables win instead. An empty list restores the default
   * ({@code .env}).
   *
   * <p>Errors, when loading: a file that cannot be read ({@code FILE: cannot read the env file: no
   * such file}) or a malformed line ({@code FILE:LINE:1: …}) is a {@link ComposeException}.
   */
  public ComposeLoader withEnvFiles(List<Path> files) {
    return new ComposeLoader(projectDirectory, projectName, environment, home, List.copyOf(files));
  }

  /** Expand {@code ~} to {@code directory}; default: the {@code user.home} system property. */
  public ComposeLoader withHomeDirectory(Path directory) {
    return new ComposeLoader(
        projectDirectory,
        projectName,
        environment,
        Objects.requireNonNull(directory, "directory"),
        envFiles);
  }

  /**
   * Loads one file or several (later files override earlier ones).
   *
   * @throws ComposeException when any file is unreadable or invalid, with every problem found
   * @throws IllegalArgumentException when no file is given
   */
  public ComposeProject load(Path file, Path... overrides) {
    List<Path> files = new ArrayList<>();
    files.add(file);
    files.addAll(Arrays.asList(overrides));
    return load(files);
  }

  /**
   * Loads files in order (later files override earlier ones).
   *
   * @throws ComposeException when any file is unreadable or invalid, with every problem found
   * @throws IllegalArgumentException when the list is empty
   */
  public ComposeProject load(List<Path> files) {
    List<ProjectLoading.Input> inputs = new ArrayList<>();
    for (Path f : files) {
      inputs.add(new ProjectLoading.Input(f.toString(), f, null));
    }
    return ProjectLoading.load(inputs, settings());
  }

  /**
   * Loads a document given as text; {@code name} names it in problems (e.g. {@code
   * "compose.yaml"}).
   *
   * @throws ComposeException when the text is invalid, with every problem found
   */
  public ComposeProject loadString(String name, String content) {
    return ProjectLoading.load(
        List.of(new ProjectLoading.Input(name, null, Objects.requireNonNull(content))), settings());
  }

  /**
   * Loads a document from a stream (read to its end as UTF-8, at most 8 MiB, not closed); {@code
   * name} names it in problems.
   *
   * @throws ComposeException when the stream cannot be read, is larger than 8 MiB, is not valid
   *     UTF-8 (located at the bad byte) or the text is invalid
   */
  public ComposeProject load(String name, InputStream stream) {
    String content;
    try {
      content = SourceText.read(stream);
    } catch (SourceText.Unreadable e) {
      throw new ComposeException(
          List.of(Problem.error(name, e.line(), e.column(), "", e.reason())));
    } catch (IOException e) {
      throw new ComposeException(
          List.of(Problem.error(name, 0, 0, "", "cannot read the stream (input/output error)")));
    }
    return loadString(name, content);
  }

  private ProjectLoading.Settings settings() {
    return new ProjectLoading.Settings(projectDirectory, projectName, environmentOfFiles(), home);
  }

  /**
   * {@link #environment} when no env file is given; else the files' variables (the parser of {@code
   * .env}) under the process environment, or under {@link #environment} when given.
   */
  private Map<String, String> environmentOfFiles() {
    if (envFiles.isEmpty()) {
      return environment;
    }
    Map<String, String> out = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Path f : envFiles) {
      try {
        out.putAll(EnvironmentFile.read(f));
      } catch (ComposeException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ComposeException(problems);
    }
    out.putAll(environment != null ? environment : System.getenv());
    return out;
  }
}
