package io.github.scompose.core.errors;

/**
 * Root of core's errors (unchecked): anything that went wrong talking to the {@code singularity} /
 * {@code apptainer} binary or the transport under it. Messages never contain secrets.
 */
public class SingularityException extends RuntimeException {

  public SingularityException(String message) {
    super(message);
  }

  public SingularityException(String message, Throwable cause) {
    super(message, cause);
  }
}
