package io.github.scompose.core.transport;

import io.github.scompose.style.ValueStyle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * One command for a {@link Transport}: an argv, never a shell line.
 *
 * <p>Build with {@code CommandRequest.of("singularity", "instance", "list")} or {@code
 * CommandRequest.builder()}.
 */
@Value.Immutable
@ValueStyle
public abstract class CommandRequest implements WithCommandRequest {

  /** Default {@link #timeout()}: 10 minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /**
   * The program and its arguments; element 0 is the program (a name looked up on PATH, or a path).
   */
  public abstract List<String> argv();

  /**
   * Variables added to (or replacing those of) the child's environment. Values may be secrets
   * ({@code SINGULARITYENV_PASSWORD=...}): transports never log or print them, only their names.
   * Default: none.
   */
  public abstract Map<String, String> environment();

  /**
   * Names of the caller's (the transport host's) environment variables to remove from the child's
   * environment. Default: none.
   */
  public abstract Set<String> removeEnvironment();

  /** Working directory on the transport's host; default: the transport's own. */
  public abstract Optional<String> workingDirectory();

  /** Bytes written to the child's stdin, which is then closed; default: stdin closed at once. */
  public abstract Optional<byte[]> stdin();

  /** How long the command may run before it is killed; default {@link #DEFAULT_TIMEOUT}. */
  @Value.Default
  public Duration timeout() {
    return DEFAULT_TIMEOUT;
  }

  @Value.Check
  protected void check() {
    if (argv().isEmpty()) {
      throw new IllegalArgumentException("argv is empty: a command needs at least a program");
    }
    if (timeout().isNegative() || timeout().isZero()) {
      throw new IllegalArgumentException("timeout " + timeout() + " is not positive");
    }
  }

  /** A request for {@code argv} with the defaults above. */
  public static CommandRequest of(String... argv) {
    return CommandRequest.builder().addArgv(argv).build();
  }

  /** A request for {@code argv} with the defaults above. */
  public static CommandRequest of(List<String> argv) {
    return CommandRequest.builder().addAllArgv(argv).build();
  }

  /**
   * A new, empty builder of {@link CommandRequest}.
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
   * Builds a {@link CommandRequest}; get one from {@link CommandRequest#builder()} or {@link
   * CommandRequest#toBuilder()}.
   */
  public static final class Builder extends ImmutableCommandRequest.Builder {
    Builder() {}
  }
}
