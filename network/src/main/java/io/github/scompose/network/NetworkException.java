package io.github.scompose.network;

/**
 * Base of the errors of the network module: address pool exhausted ({@link
 * AddressExhaustedException}), lease file unreadable ({@link LeaseFileException}), published ports
 * in conflict ({@link PortConflictException}). Each message names the CIDR, file or port involved.
 * Unchecked: these are planning errors a caller reports, not retries.
 */
public class NetworkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public NetworkException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public NetworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
