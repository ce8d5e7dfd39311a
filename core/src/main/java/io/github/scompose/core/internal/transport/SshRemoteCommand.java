package io.github.scompose.core.internal.transport;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.PosixShellQuoting;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shell line an SSH server runs for a {@link CommandRequest}, and the bytes sent ahead of the
 * request's own stdin.
 *
 * <p>Environment values may be secrets, and a remote command line is visible to every user of the
 * host in {@code ps}. So only variable <em>names</em> go into the line; the values travel on the
 * SSH channel's stdin, one line each, in the order of the names, before the command's own stdin.
 * The line reads them with the shell's {@code read} builtin (which, on a pipe, reads byte by byte
 * and stops at the newline, so nothing of the command's own input is consumed) and exports them;
 * then it {@code exec}s the argv. A value is encoded so it fits on one line: {@code \} becomes
 * {@code \\} and a newline becomes {@code \n}; the builtin {@code printf %b} decodes it. The
 * decoded value lives only in the shell's memory and in the command's environment, never in an
 * argv.
 *
 * <p>The line is:
 *
 * <pre>
 * printf '\001scompose-pid %s\n' "$$" &gt;&amp;2; unset -v REMOVED… ; IFS= read -r _sc_e || exit 254; _sc_v=$(printf '%bx' "$_sc_e");
 * NAME="${_sc_v%x}"; export NAME; … unset -v _sc_e _sc_v; cd -- 'DIR' || exit 254; exec 'ARGV0' …
 * </pre>
 *
 * (the first part announces the PID on stderr for {@link RemoteProcessGroup}; the trailing {@code
 * x} keeps command substitution from eating trailing newlines of a value). The remote login shell
 * must be a POSIX shell (sh, dash, bash, ksh, zsh); csh and fish are not supported.
 */
public final class SshRemoteCommand {

  /** Exit code of the line when it cannot read its environment or enter the directory. */
  public static final int SETUP_FAILED = 254;

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String line;
  private final byte[] stdinPrefix;

  private SshRemoteCommand(String line, byte[] stdinPrefix) {
    this.line = line;
    this.stdinPrefix = stdinPrefix;
  }

  /**
   * Builds the line for {@code request}.
   *
   * @throws IllegalArgumentException when a variable name is not a shell name ({@code
   *     [A-Za-z_][A-Za-z0-9_]*}) or a value contains NUL
   */
  public static SshRemoteCommand of(CommandRequest request) {
    StringBuilder line = new StringBuilder(RemoteProcessGroup.ANNOUNCE);
    List<String> removed = new ArrayList<>();
    for (String name : request.removeEnvironment()) {
      if (!request.environment().containsKey(name)) {
        removed.add(checkName(name));
      }
    }
    if (!removed.isEmpty()) {
      line.append("unset -v ").append(String.join(" ", removed)).append("; ");
    }
    ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    if (!request.environment().isEmpty()) {
      for (Map.Entry<String, String> variable : request.environment().entrySet()) {
        String name = checkName(variable.getKey());
        line.append("IFS= read -r _sc_e || exit ")
            .append(SETUP_FAILED)
            .append("; _sc_v=$(printf '%bx' \"$_sc_e\"); ")
            .append(name)
            .append("=\"${_sc_v%x}\"; export ")
            .append(name)
            .append("; ");
        prefix.writeBytes(encode(name, variable.getValue()));
      }
      line.append("unset -v _sc_e _sc_v; ");
    }
    if (request.workingDirectory().isPresent()) {
      line.append("cd -- ")
          .append(PosixShellQuoting.quote(request.workingDirectory().get()))
          .append(" || exit ")
          .append(SETUP_FAILED)
          .append("; ");
    }
    line.append("exec ").append(PosixShellQuoting.join(request.argv()));
    return new SshRemoteCommand(line.toString(), prefix.toByteArray());
  }

  /** The line for the remote shell; contains variable names, never values. */
  public String line() {
    return line;
  }

  /** Bytes to send before the request's stdin: one encoded line per environment value. */
  public byte[] stdinPrefix() {
    return stdinPrefix.clone();
  }

  private static String checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "environment variable name '" + name + "' is not a shell name [A-Za-z_][A-Za-z0-9_]*");
    }
    return name;
  }

  private static byte[] encode(String name, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("the value of " + name + " contains NUL");
    }
    String encoded = value.replace("\\", "\\\\").replace("\n", "\\n") + "\n";
    return encoded.getBytes(StandardCharsets.UTF_8);
  }
}
