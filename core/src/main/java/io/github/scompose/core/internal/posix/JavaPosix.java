package io.github.scompose.core.internal.posix;

import io.github.scompose.core.posix.Posix;
import io.github.scompose.core.posix.PosixException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.Transport;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link Posix} without native code: user ids from {@code id -ru} / {@code id -u} (run once each
 * through the given local transport, then cached: they do not change in a running JVM), SIGTERM and
 * SIGKILL through {@link ProcessHandle#destroy()} / {@link ProcessHandle#destroyForcibly()},
 * terminals through {@link System#console()}.
 */
public final class JavaPosix implements Posix {

  private final Transport transport;
  private volatile Long uid;
  private volatile Long euid;

  /** A fallback that runs {@code id} through {@code transport} (a local one). */
  public JavaPosix(Transport transport) {
    this.transport = transport;
  }

  @Override
  public long getuid() {
    Long value = uid;
    if (value == null) {
      value = id("-ru");
      uid = value;
    }
    return value;
  }

  @Override
  public long geteuid() {
    Long value = euid;
    if (value == null) {
      value = id("-u");
      euid = value;
    }
    return value;
  }

  private long id(String option) {
    CommandResult result =
        transport.run(
            CommandRequest.builder()
                .from(CommandRequest.of("id", option))
                .timeout(Duration.ofSeconds(30))
                .build());
    if (!result.succeeded()) {
      throw new PosixException(
          "id " + option + " failed (exit " + result.exitCode() + "): " + result.stderr().strip());
    }
    try {
      return Long.parseLong(result.stdout().strip());
    } catch (NumberFormatException e) {
      throw new PosixException("id " + option + " printed '" + result.stdout().strip() + "'", e);
    }
  }

  @Override
  public boolean kill(long pid, int signal) {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid " + pid + " is not a single process");
    }
    if (signal != 0 && signal != SIGTERM && signal != SIGKILL) {
      throw new UnsupportedOperationException(
          "signal "
              + signal
              + " needs native kill(2); the pure-Java fallback sends only 0, SIGTERM and SIGKILL");
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    if (signal == 0) {
      return true;
    }
    ProcessHandle process = handle.get();
    boolean sent = signal == SIGKILL ? process.destroyForcibly() : process.destroy();
    if (sent) {
      return true;
    }
    if (process.isAlive()) {
      throw new PosixException("not permitted to send signal " + signal + " to process " + pid);
    }
    return false; // it exited meanwhile
  }

  @Override
  public boolean isatty(int fd) {
    return (fd == 0 || fd == 1) && System.console() != null;
  }

  @Override
  public boolean isNative() {
    return false;
  }

  @Override
  public String toString() {
    return "JavaPosix[pure-Java fallback]";
  }
}
