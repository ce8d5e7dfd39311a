package io.github.scompose.core.nodes;

import io.github.scompose.style.ValueStyle;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * One node a stack runs on: its host name (what {@code node.hostname} constraints, Slurm's {@code
 * -w} and SSH use), the address the other nodes reach it at, its labels ({@code node.labels.K}),
 * and for SSH an optional user and port.
 */
@Value.Immutable
@ValueStyle
public abstract class Node implements WithNode {

  private static final Pattern ENTRY =
      Pattern.compile(
          "(?:(?<user>[A-Za-z0-9._-]+)@)?(?<host>[A-Za-z0-9][A-Za-z0-9._-]*)"
              + "(?::(?<port>[0-9]{1,5}))?(?:=(?<address>[0-9A-Fa-f.:]+))?");

  /** Host name, e.g. {@code n1}: {@code [A-Za-z0-9][A-Za-z0-9._-]*}. */
  public abstract String name();

  /**
   * The IPv4 or IPv6 address the other nodes reach this node at, as text; empty until resolved
   * ({@code =ADDRESS} of the entry, {@code address=} of the label file, else the name resolved on
   * the machine running the engine).
   */
  public abstract Optional<String> address();

  /** Labels ({@code node.labels.KEY == VALUE}); default none. */
  public abstract Map<String, String> labels();

  /** SSH user; empty: the SSH client's default. */
  public abstract Optional<String> user();

  /** SSH port; empty: the SSH client's default (22). */
  public abstract Optional<Integer> sshPort();

  /**
   * Reads one entry of {@code --nodes}: {@code [user@]host[:sshport][=ADDRESS]}, e.g. {@code n1},
   * {@code alice@n2:2222=10.0.0.2}.
   *
   * @throws IllegalArgumentException naming the entry when it has another shape or the port is not
   *     in 1..65535
   */
  public static Node parse(String entry) {
    String e = entry.strip();
    Matcher m = ENTRY.matcher(e);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "node \""
              + entry
              + "\" is not [user@]host[:sshport][=address], e.g. alice@n1:22=10.0.0.1");
    }
    Node.Builder b = Node.builder().name(m.group("host"));
    if (m.group("user") != null) {
      b.user(m.group("user"));
    }
    if (m.group("port") != null) {
      int port = Integer.parseInt(m.group("port"));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "node \"" + entry + "\": SSH port " + port + " is not in 1..65535");
      }
      b.sshPort(port);
    }
    if (m.group("address") != null) {
      b.address(m.group("address"));
    }
    return b.build();
  }

  /** A node named {@code name} with nothing else known. */
  public static Node named(String name) {
    return parse(name);
  }

  /** The entry {@link #parse} reads back, without labels. */
  public String entry() {
    return user().map(u -> u + "@").orElse("")
        + name()
        + sshPort().map(p -> ":" + p).orElse("")
        + address().map(a -> "=" + a).orElse("");
  }

  /**
   * A new, empty builder of {@link Node}.
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

  /** Builds a {@link Node}; get one from {@link Node#builder()} or {@link Node#toBuilder()}. */
  public static final class Builder extends ImmutableNode.Builder {
    Builder() {}
  }
}
