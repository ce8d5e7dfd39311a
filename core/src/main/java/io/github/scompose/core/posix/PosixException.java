package io.github.scompose.core.posix;

import io.github.scompose.core.errors.SingularityException;

/** A {@link Posix} call failed for a reason other than a missing process, e.g. EPERM. */
public class PosixException extends SingularityException {

  public PosixException(String message) {
    super(message);
  }

  public PosixException(String message, Throwable cause) {
    super(message, cause);
  }
}
