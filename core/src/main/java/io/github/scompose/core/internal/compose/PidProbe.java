package io.github.scompose.core.internal.compose;

import io.github.scompose.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Asks the transport's host whether a PID is alive, through {@code /proc/<pid>/stat} read with
 * {@link Transport#readFile}: absent, or in state {@code Z} (zombie) or {@code X} (dead), means
 * dead. A host without a readable {@code /proc/self/stat} (an emulator, a non-Linux host) gives no
 * answer, and the listing alone decides.
 */
public final class PidProbe {

  private final Transport transport;
  private volatile Boolean procfs;

  /** A probe over {@code transport}. */
  public PidProbe(Transport transport) {
    this.transport = transport;
  }

  /** {@code true}/{@code false} when known, empty when this host cannot tell. */
  public Optional<Boolean> alive(long pid) {
    if (procfs == null) {
      procfs = safeRead("/proc/self/stat").isPresent();
    }
    if (!procfs || pid <= 0) {
      return Optional.empty();
    }
    Optional<String> stat = safeRead("/proc/" + pid + "/stat");
    if (stat.isEmpty()) {
      return Optional.of(false);
    }
    String s = stat.get();
    int close = s.lastIndexOf(')');
    if (close < 0 || close + 2 >= s.length()) {
      return Optional.empty();
    }
    char state = s.charAt(close + 2);
    return Optional.of(state != 'Z' && state != 'X');
  }

  private Optional<String> safeRead(String path) {
    try {
      return transport.readFile(path, 0).map(b -> new String(b, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
