package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A bind mount, rendered as {@code --bind src[:dst[:ro]]} (the {@code -B, --bind} spec of
 * SingularityCE 3.4.2's help: {@code src[:dest[:opts]]}, opts {@code ro} or {@code rw}).
 *
 * <p>Paths are on the transport's host ({@link #source()}) and in the container ({@link
 * #destination()}); neither may contain {@code :} or {@code ,} (the binary splits on them).
 */
@Value.Immutable
@ValueStyle
public abstract class Bind implements WithBind {

  /** Path on the host. */
  public abstract String source();

  /** Path in the container; default: the same as {@link #source()}. */
  public abstract Optional<String> destination();

  /** Read-only ({@code :ro}); default {@code false}. */
  @Value.Default
  public boolean readOnly() {
    return false;
  }

  @Value.Check
  protected void check() {
    checkPath("source", source());
    destination().ifPresent(d -> checkPath("destination", d));
  }

  private static void checkPath(String what, String path) {
    if (path.isEmpty() || path.contains(":") || path.contains(",")) {
      throw new IllegalArgumentException(
          "bind " + what + " '" + path + "' is empty or contains ':' or ','");
    }
  }

  /** {@code source} bound at {@code destination}, read-write. */
  public static Bind of(String source, String destination) {
    return Bind.builder().source(source).destination(destination).build();
  }

  /**
   * Parses {@code src}, {@code src:dst}, {@code src:dst:ro} or {@code src:dst:rw}.
   *
   * @throws IllegalArgumentException for any other shape; the message quotes the spec
   */
  public static Bind parse(String spec) {
    String[] parts = spec.split(":", -1);
    if (parts.length > 3
        || (parts.length == 3 && !parts[2].equals("ro") && !parts[2].equals("rw"))) {
      throw new IllegalArgumentException("bind '" + spec + "' is not src[:dst[:ro|rw]]");
    }
    Bind.Builder b = Bind.builder().source(parts[0]);
    if (parts.length >= 2) {
      b.destination(parts[1]);
    }
    return b.readOnly(parts.length == 3 && parts[2].equals("ro")).build();
  }

  /** The spec passed after {@code --bind}: {@code src:dst} or {@code src:dst:ro}. */
  public String spec() {
    return source() + ":" + destination().orElse(source()) + (readOnly() ? ":ro" : "");
  }

  /**
   * A new, empty builder of {@link Bind}.
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

  /** Builds a {@link Bind}; get one from {@link Bind#builder()} or {@link Bind#toBuilder()}. */
  public static final class Builder extends ImmutableBind.Builder {
    Builder() {}
  }
}
