package io.github.scompose.core.internal.posix;

import io.github.scompose.core.posix.Posix;
import io.github.scompose.core.transport.LocalProcessTransport;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and caches the {@link Posix} of this host: native when libc loads, else pure Java; on
 * Linux the user ids come from {@code /proc/self/status} and libc is loaded only at the first other
 * call ({@link ProcStatusIds}).
 */
public final class SystemPosix {

  private static final Logger LOG = LoggerFactory.getLogger(SystemPosix.class);

  private SystemPosix() {}

  private static final class Holder {
    static final Posix INSTANCE =
        ProcStatusIds.of(Path.of("/proc/self/status"), () -> choose(null))
            .orElseGet(() -> choose(null));
  }

  /** The cached choice for this JVM. */
  public static Posix instance() {
    return Holder.INSTANCE;
  }

  /**
   * Loads {@code library} (null: the platform's C library) through JNA, or falls back to {@link
   * JavaPosix} and logs why at DEBUG. Tests pass a library name that does not exist to force the
   * fallback.
   */
  public static Posix choose(String library) {
    try {
      String name = library != null ? library : com.sun.jna.Platform.C_LIBRARY_NAME;
      return NativePosix.load(name);
    } catch (LinkageError | RuntimeException e) {
      LOG.debug(
          "libc through JNA is not available ({}); using the pure-Java fallback (id, ProcessHandle)",
          e.toString());
      return new JavaPosix(LocalProcessTransport.create());
    }
  }
}
