package io.github.scompose.testkit.internal.junit;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Opt-in reuse of compose stacks across test runs, Testcontainers' {@code withReuse} the
 * Singularity way: a stack declared with {@code @ComposeStackUnderTest(reuse = true)} is reused
 * only when the user also allows it on this machine — system property {@value #PROPERTY} {@code
 * =true}, else environment variable {@value #VARIABLE}{@code =true}, else {@value #SETTING}{@code
 * =true} in {@code ~/.scompose/testkit.properties} ({@link #SETTINGS_FILE}); off otherwise, so CI
 * keeps fresh stacks.
 *
 * <p>A reused stack runs under a stable project name, {@link #projectName}: the loaded name, {@code
 * -r}, and 8 hex digits of the SHA-256 of the runtime, the compose files' absolute paths, the
 * services and the profiles; its state lives in {@code <session directory>/reused/<project>}
 * ({@link #directory}), outside any session's folder. Bringing it up there is {@code up} of a
 * project that may already run: the engine adopts every instance whose configuration hash (start
 * command, environment, image) matches the running one and recreates the ones whose configuration
 * changed, so an edited compose file never leaves a stale instance in use. It is not recorded in
 * the session, not stopped after the test or class, nor by the shutdown hook, nor reaped: stop it
 * with {@code scompose down} in that folder (or {@code Compose.down(folder)}).
 *
 * <p>On the testkit's in-JVM fake the instances end with the fake (at the end of the test class): a
 * later run finds the project's state but no instance, and starts them again under the same name
 * and folder. Only a real binary keeps a reused stack running between runs.
 */
public final class StackReuse {

  /** System property allowing reuse: {@value}. */
  public static final String PROPERTY = "scompose.testkit.reuse";

  /** Environment variable allowing reuse when the property is unset: {@value}. */
  public static final String VARIABLE = "SCOMPOSE_TESTKIT_REUSE";

  /** Key in {@link #SETTINGS_FILE} allowing reuse: {@value}. */
  public static final String SETTING = "testkit.reuse.enable";

  /** The settings file, relative to the user's home: {@value}. */
  public static final String SETTINGS_FILE = ".scompose/testkit.properties";

  private StackReuse() {}

  /** Whether this machine allows reuse, from this JVM's properties, environment and home. */
  public static boolean allowed() {
    return allowed(
        System.getProperty(PROPERTY),
        System.getenv(VARIABLE),
        Path.of(System.getProperty("user.home")).resolve(SETTINGS_FILE));
  }

  /**
   * Whether reuse is allowed: {@code property} when set, else {@code variable} when set, else the
   * {@value #SETTING} of {@code settings} (a missing or unreadable file: not allowed).
   */
  public static boolean allowed(String property, String variable, Path settings) {
    if (property != null && !property.isBlank()) {
      return Boolean.parseBoolean(property.strip());
    }
    if (variable != null && !variable.isBlank()) {
      return Boolean.parseBoolean(variable.strip());
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(settings, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | IllegalArgumentException e) {
      System.err.println(
          "scompose testkit: cannot read "
              + settings
              + " (stack reuse stays off): "
              + (e.getMessage() == null ? "unreadable" : e.getMessage()));
      return false;
    }
    return Boolean.parseBoolean(p.getProperty(SETTING, "false").strip());
  }

  /** The stable project name of a reused stack (see the class comment). */
  public static String projectName(
      String loadedName,
      String runtime,
      List<Path> files,
      List<String> services,
      List<String> profiles) {
    // an in-JVM fake's identity names the object: every run's fake is "memory"
    String where = runtime.startsWith("memory:") ? "memory" : runtime;
    StringBuilder key = new StringBuilder("runtime=").append(where).append('\n');
    files.forEach(f -> key.append("file=").append(f.toAbsolutePath().normalize()).append('\n'));
    services.forEach(s -> key.append("service=").append(s).append('\n'));
    profiles.forEach(s -> key.append("profile=").append(s).append('\n'));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return loadedName + "-r" + HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The folder holding a reused stack's state. */
  public static Path directory(SessionRegistry registry, String project) {
    return registry.directory().resolve("reused").resolve(project);
  }
}
