package io.github.scompose.core.internal.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's state letter from Linux {@code /proc/<pid>/stat} (proc(5), field 3). */
public final class ProcStat {

  private ProcStat() {}

  /**
   * The state letter ({@code R}, {@code S}, {@code Z} …), or {@code '?'} when the process does not
   * exist or there is no {@code /proc} (not Linux).
   */
  public static char state(long pid) {
    try {
      String stat =
          new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
              StandardCharsets.UTF_8);
      // "pid (comm) S ...": comm may contain spaces and parentheses, so look after the last ')'
      int close = stat.lastIndexOf(')');
      if (close < 0 || close + 2 >= stat.length()) {
        return '?';
      }
      return stat.charAt(close + 2);
    } catch (IOException | RuntimeException e) {
      return '?';
    }
  }

  /** Whether {@code pid} is a zombie (ended, not yet reaped). */
  public static boolean isZombie(long pid) {
    return state(pid) == 'Z';
  }
}
