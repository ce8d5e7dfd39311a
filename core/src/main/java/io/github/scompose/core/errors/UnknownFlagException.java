package io.github.scompose.core.errors;

/**
 * An option that the binary (or the dialect chosen for it) does not support.
 *
 * <p>Raised in two ways: before anything runs, when a command asks for an option that the {@code
 * Dialect} says its binary lacks (e.g. {@code --net} on Singularity 2.x, {@code --env-file} on
 * SingularityCE 3.4.2); or after the fact, when the binary answered {@code Error for command
 * "start": unknown flag: --env} with exit code 1 (recorded from SingularityCE 3.4.2) — then the
 * cause is the {@link CommandFailedException}.
 */
public class UnknownFlagException extends SingularityException {

  private final String flag;

  /**
   * @param flag the flag, e.g. {@code --env-file}
   * @param binary what does not support it, e.g. {@code singularity 3.4.2 instance start}
   */
  public UnknownFlagException(String flag, String binary) {
    super(flag + " is not supported by " + binary);
    this.flag = flag;
  }

  /**
   * @param flag the flag the binary rejected
   * @param cause the failed command
   */
  public UnknownFlagException(String flag, CommandFailedException cause) {
    super("the binary rejected the flag " + flag, cause);
    this.flag = flag;
  }

  /** The flag, e.g. {@code --env-file}. */
  public String flag() {
    return flag;
  }
}
