package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@link HostIdentity} of this JVM's own host and user without running a process: what {@code
 * printenv HOME}, {@code uname -n} and {@code id -un} print when run on this machine with this
 * JVM's environment (a local transport), from the same sources those read.
 *
 * <ul>
 *   <li>home: the environment variable {@code HOME}, as {@code printenv HOME} prints it (the local
 *       transport passes the JVM's environment on);
 *   <li>host name: {@code /proc/sys/kernel/hostname}, the node name of this process's UTS
 *       namespace, which is what uname(2) returns ({@code uname -n}) and what the binary's Go
 *       {@code os.Hostname()} reads;
 *   <li>user: the JVM's {@code user.name} (the name getpwuid(3) gives the real uid at JVM start)
 *       when the real and effective uid are the same ({@code id -un} names the effective uid's
 *       user). A {@code -Duser.name} given to the JVM would be taken as well.
 * </ul>
 *
 * <p>Each piece is taken only when it is there and not blank (the probes' own rule), else the whole
 * is empty and the caller asks the host as before, so a failure is reported as it was.
 */
public final class LocalHostIdentity {

  private LocalHostIdentity() {}

  /** The identity of this JVM's host and user, or empty (see the type). */
  public static Optional<HostIdentity> read() {
    Posix posix = Posix.system();
    return read(
        System.getenv("HOME"),
        Path.of("/proc/sys/kernel/hostname"),
        posix.getuid() == posix.geteuid() ? System.getProperty("user.name") : null);
  }

  /**
   * The identity made of {@code home}, the first line of {@code hostnameFile} and {@code user}
   * (each stripped, as the probes' output is), or empty when one is missing, blank or (the user)
   * {@code ?}, the JDK's name for a uid without a passwd entry.
   */
  static Optional<HostIdentity> read(String home, Path hostnameFile, String user) {
    String hostname;
    try {
      hostname = Files.readString(hostnameFile, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (home == null
        || home.isBlank()
        || hostname.isEmpty()
        || user == null
        || user.isBlank()
        || user.strip().equals("?")) {
      return Optional.empty();
    }
    return Optional.of(HostIdentity.of(home.strip(), hostname, user.strip()));
  }
}
