package io.github.scompose.core.posix;

import io.github.scompose.core.internal.posix.SystemPosix;

/**
 * The few C library calls the client needs, for the host this JVM runs on (not a transport's remote
 * host).
 *
 * <p>{@link #system()} uses libc through JNA; when the native library cannot be loaded (no JNA
 * native stub for the platform, a locked-down {@code jna.tmpdir} …) it falls back to pure Java —
 * {@code id -ru}/{@code id -u} for the user ids, {@link ProcessHandle} for SIGTERM/SIGKILL, {@link
 * System#console()} for terminals — and says so at DEBUG (logger {@code
 * io.github.scompose.core.internal.posix.SystemPosix}). {@link #isNative()} tells which one runs.
 *
 * <p>Implementations are thread-safe. Signal numbers are those of Linux and macOS, which agree on
 * the four constants below (signal(7)).
 */
public interface Posix {

  /** Hang-up, 1. */
  int SIGHUP = 1;

  /** Interrupt, 2. */
  int SIGINT = 2;

  /** Kill (cannot be caught), 9. */
  int SIGKILL = 9;

  /** Terminate, 15. */
  int SIGTERM = 15;

  /** The real user id of this process (getuid(2)). */
  long getuid();

  /** The effective user id of this process (geteuid(2)); 0 means root. */
  long geteuid();

  /**
   * Sends {@code signal} to process {@code pid} (kill(2)). Signal 0 only checks that the process
   * exists. Process groups ({@code pid <= 0}) are refused: {@code kill(-1, …)} would signal every
   * process of the user.
   *
   * @return {@code true} when sent, {@code false} when there is no such process (ESRCH)
   * @throws IllegalArgumentException when {@code pid <= 0} or the signal is not valid (EINVAL)
   * @throws PosixException when not permitted (EPERM)
   * @throws UnsupportedOperationException in the pure-Java fallback, for signals other than 0,
   *     SIGTERM and SIGKILL
   */
  boolean kill(long pid, int signal);

  /**
   * Whether file descriptor {@code fd} (0 stdin, 1 stdout, 2 stderr) is a terminal (isatty(3)). The
   * pure-Java fallback answers {@code true} only for 0 and 1 and only when {@link System#console()}
   * exists (both are terminals), otherwise {@code false}.
   */
  boolean isatty(int fd);

  /** Whether this is the libc (JNA) implementation rather than the pure-Java fallback. */
  boolean isNative();

  /** {@code geteuid() == 0}. */
  default boolean isRoot() {
    return geteuid() == 0;
  }

  /** The implementation for this host: libc through JNA, else the pure-Java fallback. Cached. */
  static Posix system() {
    return SystemPosix.instance();
  }
}
