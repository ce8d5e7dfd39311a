package io.github.scompose.core.internal.client;

import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.ImageNotFoundException;
import io.github.scompose.core.errors.InstanceAlreadyExistsException;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.InvalidInstanceNameException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.errors.UnknownFlagException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed command into the most specific exception, from the binary's messages (ANSI colour
 * codes removed). Messages recorded from SingularityCE 3.4.2 (all {@code FATAL:} with exit code
 * 255, unknown flags exit code 1):
 *
 * <ul>
 *   <li>{@code instance app1 already exists} → {@link InstanceAlreadyExistsException}
 *   <li>{@code no instance found} → {@link InstanceNotFoundException}
 *   <li>{@code while checking instance name: a/b is not a valid instance name} → {@link
 *       InvalidInstanceNameException}
 *   <li>{@code could not open image /images/nosuch.sif: … no such file or directory} (and {@code
 *       inspect}'s {@code container not found: stat /images/missing.sif: no such file or
 *       directory}) → {@link ImageNotFoundException}
 *   <li>{@code Error for command "start": unknown flag: --env} → {@link UnknownFlagException}
 * </ul>
 *
 * Singularity 2.x forms from its sources' messages, not verified: {@code A daemon process is
 * already running with this name}, {@code Image path … doesn't exist}. Anything else is a {@link
 * CommandFailedException}.
 */
public final class ErrorMapper {

  private static final Pattern ALREADY_EXISTS = Pattern.compile("instance (\\S+) already exists");
  private static final Pattern ALREADY_RUNNING_2X =
      Pattern.compile("(?i)daemon process is already running with this name");
  private static final Pattern NOT_FOUND =
      Pattern.compile("(?i)no instance found(?: with name (\\S+))?");
  private static final Pattern NOT_RUNNING_2X =
      Pattern.compile("(?i)daemon process is not running with this name");
  private static final Pattern INVALID_NAME =
      Pattern.compile("checking instance name: (.+) is not a valid instance name");
  private static final Pattern IMAGE_MISSING =
      Pattern.compile(
          "(?:could not open image|container not found: stat) (\\S+?):.*(?i:no such file or"
              + " directory)");
  private static final Pattern IMAGE_MISSING_2X =
      Pattern.compile("(?i)image path (\\S+) does(?:n't| not) exist");
  private static final Pattern UNKNOWN_FLAG =
      Pattern.compile("unknown (?:shorthand )?flag: (?:'.' in )?(-{1,2}[^\\s=]+)");

  private ErrorMapper() {}

  /**
   * The exception for a failed command.
   *
   * @param maskedArgv the argv that ran, secrets masked
   * @param exitCode its exit code (not 0)
   * @param stderr everything it wrote to stderr
   * @param instanceName the instance the command was about, if any (for messages that omit it)
   */
  public static SingularityException map(
      List<String> maskedArgv, int exitCode, String stderr, Optional<String> instanceName) {
    String clean = Ansi.strip(stderr);
    CommandFailedException failure = new CommandFailedException(maskedArgv, exitCode, tail(clean));
    Matcher m;
    if ((m = UNKNOWN_FLAG.matcher(clean)).find()) {
      return new UnknownFlagException(m.group(1), failure);
    }
    if ((m = ALREADY_EXISTS.matcher(clean)).find()) {
      return new InstanceAlreadyExistsException(m.group(1), failure);
    }
    if (ALREADY_RUNNING_2X.matcher(clean).find()) {
      return new InstanceAlreadyExistsException(instanceName.orElse("?"), failure);
    }
    if ((m = INVALID_NAME.matcher(clean)).find()) {
      return new InvalidInstanceNameException(m.group(1), failure);
    }
    if ((m = NOT_FOUND.matcher(clean)).find()) {
      String name = m.group(1) != null ? m.group(1) : instanceName.orElse("?");
      return new InstanceNotFoundException(name, failure);
    }
    if (NOT_RUNNING_2X.matcher(clean).find()) {
      return new InstanceNotFoundException(instanceName.orElse("?"), failure);
    }
    if ((m = IMAGE_MISSING.matcher(clean)).find() || (m = IMAGE_MISSING_2X.matcher(clean)).find()) {
      return new ImageNotFoundException(m.group(1), failure);
    }
    return failure;
  }

  /**
   * The binary's error lines ({@code FATAL:}, {@code ERROR:}, {@code Error for command …}) when it
   * printed any, else the last non-blank lines; at most {@link
   * CommandFailedException#STDERR_TAIL_LINES}.
   */
  static String tail(String text) {
    List<String> all = text.lines().filter(l -> !l.isBlank()).toList();
    List<String> errors = all.stream().filter(l -> l.matches("^(FATAL|ERROR|Error)\\b.*")).toList();
    List<String> lines = errors.isEmpty() ? all : errors;
    int from = Math.max(0, lines.size() - CommandFailedException.STDERR_TAIL_LINES);
    return String.join("\n", lines.subList(from, lines.size()));
  }

  /**
   * Whether a non-zero exit of {@code exec}/{@code run} came from the binary itself rather than
   * from the command in the container: exit code 255 with a {@code FATAL:} line, or an unknown
   * flag.
   */
  public static boolean isBinaryError(int exitCode, String stderr) {
    String clean = Ansi.strip(stderr);
    return (exitCode == 255 && clean.lines().anyMatch(l -> l.startsWith("FATAL:")))
        || (exitCode == 1
            && UNKNOWN_FLAG.matcher(clean).find()
            && clean.contains("Error for command"));
  }
}
