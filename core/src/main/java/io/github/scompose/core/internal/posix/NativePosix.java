package io.github.scompose.core.internal.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.github.scompose.core.posix.Posix;
import io.github.scompose.core.posix.PosixException;

/** {@link Posix} over libc through JNA (interface mapping). */
public final class NativePosix implements Posix {

  private static final int EPERM = 1;
  private static final int ESRCH = 3;
  private static final int EINVAL = 22;

  /** The libc functions used, as JNA maps them. */
  interface LibC extends Library {
    int getuid();

    int geteuid();

    int kill(int pid, int signal) throws LastErrorException;

    int isatty(int fd);
  }

  private final LibC libc;

  private NativePosix(LibC libc) {
    this.libc = libc;
  }

  /**
   * Loads {@code library} (e.g. {@code com.sun.jna.Platform.C_LIBRARY_NAME}) and checks it answers.
   *
   * @throws LinkageError or {@link RuntimeException} when it cannot be loaded
   */
  static NativePosix load(String library) {
    NativePosix posix = new NativePosix(Native.load(library, LibC.class));
    posix.geteuid(); // fail here, not at the first real call
    return posix;
  }

  @Override
  public long getuid() {
    return Integer.toUnsignedLong(libc.getuid());
  }

  @Override
  public long geteuid() {
    return Integer.toUnsignedLong(libc.geteuid());
  }

  @Override
  public boolean kill(long pid, int signal) {
    if (pid <= 0 || pid > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "pid " + pid + " is not a single process (1.." + Integer.MAX_VALUE + ")");
    }
    try {
      libc.kill((int) pid, signal);
      return true;
    } catch (LastErrorException e) {
      switch (e.getErrorCode()) {
        case ESRCH:
          return false;
        case EPERM:
          throw new PosixException(
              "not permitted to send signal " + signal + " to process " + pid, e);
        case EINVAL:
          throw new IllegalArgumentException("signal " + signal + " is not valid", e);
        default:
          throw new PosixException(
              "kill(" + pid + ", " + signal + ") failed with errno " + e.getErrorCode(), e);
      }
    }
  }

  @Override
  public boolean isatty(int fd) {
    return libc.isatty(fd) == 1;
  }

  @Override
  public boolean isNative() {
    return true;
  }

  @Override
  public String toString() {
    return "NativePosix[libc via JNA]";
  }
}
