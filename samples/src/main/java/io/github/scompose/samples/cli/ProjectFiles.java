package io.github.scompose.samples.cli;

import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.EnvironmentFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which compose files a command loads, and how: the {@code -f} files, else the first of {@link
 * #DEFAULT_NAMES} found in the project directory (the working directory when none is given), with
 * {@code -p}, {@code --project-directory} and {@code --env-file} applied to a {@link
 * ComposeLoader}.
 *
 * <p>The order of default names: singularity-compose's own file first (what users of the reference
 * tool have), then the Compose Specification's preferred {@code compose.yaml} and the legacy {@code
 * docker-compose.yml} (docker compose docs, "Compose file": it looks for {@code compose.yaml},
 * {@code compose.yml}, then {@code docker-compose.yaml|yml}).
 */
final class ProjectFiles {

  /** File names tried, in order, when no {@code -f} is given. */
  static final List<String> DEFAULT_NAMES =
      List.of(
          "singularity-compose.yml",
          "singularity-compose.yaml",
          "compose.yaml",
          "compose.yml",
          "docker-compose.yml",
          "docker-compose.yaml");

  private final List<Path> files;
  private final Path projectDirectory;
  private final String projectName;
  private final List<Path> envFiles;

  /** {@code envFiles}: the {@code --env-file} files, none ({@code .env}) when null or empty. */
  ProjectFiles(List<Path> files, Path projectDirectory, String projectName, List<Path> envFiles) {
    this.files = List.copyOf(files);
    this.projectDirectory = projectDirectory;
    this.projectName = projectName;
    this.envFiles = envFiles == null ? List.of() : List.copyOf(envFiles);
  }

  /** Equal when made of the same options ({@link LoadAhead} uses a load of equal ones). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ProjectFiles p
        && files.equals(p.files)
        && java.util.Objects.equals(projectDirectory, p.projectDirectory)
        && java.util.Objects.equals(projectName, p.projectName)
        && envFiles.equals(p.envFiles);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(files, projectDirectory, projectName, envFiles);
  }

  /**
   * The files to load, in order.
   *
   * @throws CliException (exit 2) when no file is given and none of the default names exists, or a
   *     given file does not exist
   */
  List<Path> resolve() {
    if (!files.isEmpty()) {
      List<Path> out = new ArrayList<>();
      for (Path f : files) {
        Path p = projectDirectory != null && !f.isAbsolute() ? projectDirectory.resolve(f) : f;
        if (!Files.isRegularFile(p)) {
          throw new CliException(ScomposeCommand.EXIT_INVALID, p + ": no such file");
        }
        out.add(p);
      }
      return out;
    }
    Path dir = projectDirectory != null ? projectDirectory : Path.of("");
    for (String name : DEFAULT_NAMES) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate)) {
        return List.of(candidate);
      }
    }
    throw new CliException(
        ScomposeCommand.EXIT_INVALID,
        "no compose file in "
            + dir.toAbsolutePath().normalize()
            + " (looked for "
            + String.join(", ", DEFAULT_NAMES)
            + "; give one with -f)");
  }

  /**
   * The project directory without loading any file: {@code --project-directory}, else the first
   * {@code -f} file's folder, else the working directory (absolute, normalised) — where the loader
   * puts it too.
   */
  Path directory() {
    Path dir;
    if (projectDirectory != null) {
      dir = projectDirectory;
    } else if (!files.isEmpty()) {
      Path parent = files.get(0).toAbsolutePath().getParent();
      dir = parent != null ? parent : Path.of("");
    } else {
      dir = Path.of("");
    }
    return dir.toAbsolutePath().normalize();
  }

  /**
   * The variables of the {@code --env-file} files (a later file wins), else of the project
   * directory's {@code .env} when there is one (read by {@link EnvironmentFile}, as the loader
   * reads them); empty without either.
   *
   * @throws io.github.scompose.spec.ComposeException when a file is unreadable or malformed
   */
  java.util.Map<String, String> envFileVariables() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    if (!envFiles.isEmpty()) {
      envFiles.forEach(f -> out.putAll(EnvironmentFile.read(f)));
      return out;
    }
    Path dotEnv = directory().resolve(".env");
    if (Files.isRegularFile(dotEnv)) {
      out.putAll(EnvironmentFile.read(dotEnv));
    }
    return out;
  }

  /** The configured loader. */
  ComposeLoader loader() {
    ComposeLoader loader = ComposeLoader.defaults();
    if (projectDirectory != null) {
      loader = loader.withProjectDirectory(projectDirectory.toAbsolutePath().normalize());
    }
    if (projectName != null) {
      loader = loader.withProjectName(projectName);
    }
    if (!envFiles.isEmpty()) {
      loader = loader.withEnvFiles(envFiles); // read as .env is, the process environment wins
    }
    return loader;
  }

  /**
   * Loads the project.
   *
   * @throws io.github.scompose.spec.ComposeException when the files are invalid
   */
  ComposeProject load() {
    return loader().load(resolve());
  }
}
