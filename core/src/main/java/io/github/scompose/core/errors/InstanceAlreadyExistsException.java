package io.github.scompose.core.errors;

/**
 * An instance of that name is already running for this user: {@code FATAL: instance NAME already
 * exists}, exit code 255 (recorded from SingularityCE 3.4.2). Also seen for 2-3 s after {@code
 * instance stop} returned, while the old instance still lists: use {@code
 * SingularityClient.stopAndWait} before restarting under the same name. The cause is the {@link
 * CommandFailedException}.
 */
public class InstanceAlreadyExistsException extends SingularityException {

  private final String instanceName;

  /**
   * @param instanceName the name that is taken
   * @param cause the failed command
   */
  public InstanceAlreadyExistsException(String instanceName, CommandFailedException cause) {
    super("an instance named " + instanceName + " already exists", cause);
    this.instanceName = instanceName;
  }

  /** The name that is taken. */
  public String instanceName() {
    return instanceName;
  }
}
