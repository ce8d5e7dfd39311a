package io.github.scompose.core.errors;

/**
 * The named instance does not exist (for this user). From the binary: {@code FATAL: no instance
 * found} with exit code 255 (recorded from SingularityCE 3.4.2, {@code instance stop nosuch}). When
 * raised from a failed command, the cause is the {@link CommandFailedException}.
 */
public class InstanceNotFoundException extends SingularityException {

  private final String instanceName;

  /** An instance that the client itself could not find (e.g. in a listing). */
  public InstanceNotFoundException(String instanceName) {
    super("no instance named " + instanceName);
    this.instanceName = instanceName;
  }

  /** An instance the binary could not find; {@code cause} has the argv, exit code and stderr. */
  public InstanceNotFoundException(String instanceName, CommandFailedException cause) {
    super("no instance named " + instanceName + " (" + cause.stderrTail().strip() + ")", cause);
    this.instanceName = instanceName;
  }

  /** The name asked for. */
  public String instanceName() {
    return instanceName;
  }
}
