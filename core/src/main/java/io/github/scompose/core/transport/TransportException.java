package io.github.scompose.core.transport;

import io.github.scompose.core.errors.SingularityException;

/**
 * A command could not be run at all: the program was not found, the connection failed, the caller
 * was interrupted. Carries the argv with secrets masked, never environment values.
 */
public class TransportException extends SingularityException {

  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
