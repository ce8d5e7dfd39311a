package io.github.scompose.core.internal.transport;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.FileStamp;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The remote commands behind {@code SshTransport}'s file methods and its kill of a remote process
 * group, and the parsing of what they print. Each is an argv ({@code sh -c SCRIPT sh ARGS…}, the
 * arguments passed as positional parameters, never spliced into the script), run on the remote host
 * through the transport like any other command.
 */
public final class SshRemoteFiles {

  /** Exit code of {@link #readFile} when there is no such file. */
  public static final int MISSING_FILE = 66;

  /**
   * {@code $1} path, {@code $2} offset (decimal, 0..Long.MAX_VALUE). An offset at or past the end
   * (size from {@code wc -c}) prints nothing: {@code tail -c +N} fails for N beyond what {@code
   * lseek} accepts (recorded with GNU coreutils: "cannot seek to relative offset"), so {@code tail}
   * is only run for an offset inside the file, where {@code $2 + 1} cannot overflow.
   */
  public static final String READ_FILE_SCRIPT =
      "[ -e \"$1\" ] || exit "
          + MISSING_FILE
          + "; s=$(wc -c < \"$1\") || exit 1; [ \"$2\" -lt $s ] || exit 0;"
          + " exec tail -c +$(($2 + 1)) -- \"$1\"";

  /**
   * {@code $1} path, {@code $2} octal mode; content on stdin. A temporary file next to the target
   * ({@code mktemp}, mode 0600 until the chmod), written, synced where {@code sync FILE} is
   * supported (coreutils >= 8.24), then renamed over the target ({@code mv -f}, a rename within one
   * directory). The temporary file is removed if any step fails.
   */
  public static final String WRITE_FILE_SCRIPT =
      "umask 077; d=$(dirname \"$1\") && mkdir -p \"$d\" && t=$(mktemp \"$1.XXXXXX\") || exit 1;"
          + " if cat > \"$t\" && chmod \"$2\" \"$t\" && { sync \"$t\" 2>/dev/null || :; }"
          + " && mv -f \"$t\" \"$1\"; then exit 0; fi; rm -f \"$t\"; exit 1";

  /** {@code $1} PID, {@code $2} polls of 0.1 s between SIGTERM and SIGKILL. */
  private static final String KILL_GROUP_SCRIPT =
      "kill -s TERM -- \"-$1\" 2>/dev/null || kill -s TERM \"$1\" 2>/dev/null; i=0;"
          + " while kill -s 0 -- \"-$1\" 2>/dev/null && [ \"$i\" -lt \"$2\" ];"
          + " do sleep 0.1; i=$((i+1)); done;"
          + " kill -s KILL -- \"-$1\" 2>/dev/null || kill -s KILL \"$1\" 2>/dev/null; exit 0";

  private SshRemoteFiles() {}

  /**
   * Prints {@code path} from byte {@code offset}; exit {@link #MISSING_FILE} when it does not
   * exist.
   */
  public static CommandRequest readFile(String path, long offset) {
    return CommandRequest.of("sh", "-c", READ_FILE_SCRIPT, "sh", path, Long.toString(offset));
  }

  /** Writes the request's stdin ({@code content}) to {@code path} atomically with {@code mode}. */
  public static CommandRequest writeFile(
      String path, byte[] content, Set<PosixFilePermission> mode) {
    return CommandRequest.builder()
        .addArgv("sh", "-c", WRITE_FILE_SCRIPT, "sh", path, octal(mode))
        .stdin(content)
        .build();
  }

  /** Prints {@code SIZE MTIME MODE} of {@code path}, following links (GNU {@code stat}). */
  public static CommandRequest stat(String path) {
    return CommandRequest.of("stat", "-L", "-c", "%s %Y %a", "--", path);
  }

  /** SIGTERM to process group {@code pid}, SIGKILL after {@code polls} × 0.1 s if it still runs. */
  public static CommandRequest killGroup(long pid, long polls, Duration timeout) {
    return CommandRequest.builder()
        .addArgv("sh", "-c", KILL_GROUP_SCRIPT, "sh", Long.toString(pid), Long.toString(polls))
        .timeout(timeout)
        .build();
  }

  /**
   * Parses {@code "SIZE MTIME MODE"} as printed by {@code stat -c '%s %Y %a'}; empty when it is not
   * that.
   */
  public static Optional<FileStamp> parseStat(String out) {
    String[] words = out.split(" ");
    if (words.length != 3 || !words[2].matches("[0-7]{1,4}")) {
      return Optional.empty();
    }
    try {
      long size = Long.parseLong(words[0]);
      if (size < 0) {
        return Optional.empty();
      }
      return Optional.of(
          FileStamp.of(
              size,
              Instant.ofEpochSecond(Long.parseLong(words[1])),
              permissions(Integer.parseInt(words[2], 8))));
    } catch (IllegalArgumentException | DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The low nine bits of {@code mode} (e.g. {@code 0640}) as permissions; the inverse of {@link
   * #octal}.
   */
  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - p.ordinal()))) != 0) {
        set.add(p);
      }
    }
    return set;
  }

  /** {@code rw-r--r--} as {@code 644}. */
  public static String octal(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      bits |= 1 << (8 - p.ordinal());
    }
    return Integer.toOctalString(bits);
  }

  /** The last non-blank line of {@code bytes} (UTF-8), stripped: ssh's or a tool's message. */
  public static String lastLine(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    int newline = text.lastIndexOf('\n');
    return newline < 0 ? text : text.substring(newline + 1).strip();
  }
}
