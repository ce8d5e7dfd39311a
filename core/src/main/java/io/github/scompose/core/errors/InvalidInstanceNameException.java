package io.github.scompose.core.errors;

/**
 * The binary rejected an instance name: {@code FATAL: while checking instance name: NAME is not a
 * valid instance name}, exit code 255 (recorded from SingularityCE 3.4.2 for {@code "bad name!"}
 * and {@code a/b}). The cause is the {@link CommandFailedException}.
 */
public class InvalidInstanceNameException extends SingularityException {

  private final String instanceName;

  /**
   * @param instanceName the rejected name
   * @param cause the failed command
   */
  public InvalidInstanceNameException(String instanceName, CommandFailedException cause) {
    super(instanceName + " is not a valid instance name", cause);
    this.instanceName = instanceName;
  }

  /** The rejected name. */
  public String instanceName() {
    return instanceName;
  }
}
