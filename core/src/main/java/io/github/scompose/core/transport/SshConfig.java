package io.github.scompose.core.transport;

import io.github.scompose.style.ValueStyle;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * Where and how {@link SshTransport} connects: the arguments it gives the system {@code ssh} client
 * (OpenSSH, ssh(1) and ssh_config(5)).
 *
 * <p>Build with {@code SshConfig.of("login1")} or {@code
 * SshConfig.builder().host("login1").user("alice").port(2222).build()}. Nothing here is a secret:
 * keys stay in their files, passwords are not supported ({@code BatchMode=yes}).
 */
@Value.Immutable
@ValueStyle
public abstract class SshConfig implements WithSshConfig {

  /** Default {@link #controlPersist()}: 60 s. */
  public static final Duration DEFAULT_CONTROL_PERSIST = Duration.ofSeconds(60);

  /** Default {@link #connectTimeout()}: 15 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);

  /** Default {@link #maxSessions()}: 8, below OpenSSH's default {@code MaxSessions} of 10. */
  public static final int DEFAULT_MAX_SESSIONS = 8;

  private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

  /** Host name, address or {@code ~/.ssh/config} alias. Must not start with {@code -}. */
  public abstract String host();

  /** Login name ({@code ssh -l}); default: ssh's own (the config file's, else the local user). */
  public abstract Optional<String> user();

  /** Port ({@code ssh -p}), 1..65535; default: ssh's own (the config file's, else 22). */
  public abstract OptionalInt port();

  /**
   * Private key file on this machine ({@code ssh -i}, with {@code IdentitiesOnly=yes}); default:
   * ssh's own choice (agent, config file, {@code ~/.ssh/id_*}).
   */
  public abstract Optional<String> identityFile();

  /**
   * The ssh client configuration file ({@code ssh -F}); {@code /dev/null} ignores every config
   * file. Default: ssh's own ({@code ~/.ssh/config}, then the system-wide file).
   */
  public abstract Optional<String> configFile();

  /**
   * Extra {@code -o Name=value} options, in order, e.g. {@code StrictHostKeyChecking=accept-new}.
   * They are passed before the transport's own options, and since ssh keeps the first value it gets
   * for an option, they win over them ({@code BatchMode}, {@code ControlMaster}, {@code
   * ControlPath}, {@code ControlPersist}, {@code ConnectTimeout}). Names are letters and digits.
   */
  public abstract Map<String, String> options();

  /**
   * How long the shared control connection stays open after its last command ({@code
   * ControlPersist}, whole seconds, at least 1 s); default 60 s.
   */
  @Value.Default
  public Duration controlPersist() {
    return DEFAULT_CONTROL_PERSIST;
  }

  /** TCP connect timeout ({@code ConnectTimeout}, whole seconds, at least 1 s); default 15 s. */
  @Value.Default
  public Duration connectTimeout() {
    return DEFAULT_CONNECT_TIMEOUT;
  }

  /**
   * At most this many commands run at once through the transport (more wait for a free slot, within
   * their timeout). A shared connection carries at most the server's {@code MaxSessions} sessions
   * (sshd_config(5), default 10); a session past that is refused and ssh opens a connection of its
   * own instead (a new handshake). Keep this below the server's limit, since a finished session
   * takes a moment to close on the server; default 8, at least 1.
   */
  @Value.Default
  public int maxSessions() {
    return DEFAULT_MAX_SESSIONS;
  }

  /** The ssh client to run: a name looked up on PATH or a path; default {@code ssh}. */
  @Value.Default
  public String sshExecutable() {
    return "ssh";
  }

  @Value.Check
  protected void check() {
    if (host().isEmpty() || host().startsWith("-")) {
      throw new IllegalArgumentException("host '" + host() + "' is empty or starts with '-'");
    }
    if (user().isPresent() && (user().get().isEmpty() || user().get().startsWith("-"))) {
      throw new IllegalArgumentException("user '" + user().get() + "' is empty or starts with '-'");
    }
    if (port().isPresent() && (port().getAsInt() < 1 || port().getAsInt() > 65535)) {
      throw new IllegalArgumentException("port " + port().getAsInt() + " is outside 1..65535");
    }
    for (String name : options().keySet()) {
      if (!OPTION_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("ssh option name '" + name + "' is not letters/digits");
      }
    }
    if (maxSessions() < 1) {
      throw new IllegalArgumentException("maxSessions " + maxSessions() + " is under 1");
    }
    if (controlPersist().getSeconds() < 1) {
      throw new IllegalArgumentException("controlPersist " + controlPersist() + " is under 1 s");
    }
    if (connectTimeout().getSeconds() < 1) {
      throw new IllegalArgumentException("connectTimeout " + connectTimeout() + " is under 1 s");
    }
  }

  /** A config for {@code host} with the defaults above. */
  public static SshConfig of(String host) {
    return SshConfig.builder().host(host).build();
  }

  /**
   * A new, empty builder of {@link SshConfig}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link SshConfig}; get one from {@link SshConfig#builder()} or {@link
   * SshConfig#toBuilder()}.
   */
  public static final class Builder extends ImmutableSshConfig.Builder {
    Builder() {}
  }
}
