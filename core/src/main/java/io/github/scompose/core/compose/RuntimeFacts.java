package io.github.scompose.core.compose;

import io.github.scompose.core.client.Dialect;
import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * What the engine must know about the runtime before it plans: the binary's {@link Dialect}, and
 * whether instances are started by root or may use {@code --fakeroot}. These decide the network
 * mode (see {@link io.github.scompose.network.NetworkPlanner}) and which flags exist.
 */
@Value.Immutable
@ValueStyle
public abstract class RuntimeFacts implements WithRuntimeFacts {

  /** The binary's dialect. */
  public abstract Dialect dialect();

  /** Instances are started by root (directly or through {@code sudo}). Default {@code false}. */
  @Value.Default
  public boolean root() {
    return false;
  }

  /**
   * The caller may start instances with {@code --fakeroot} (a subuid mapping exists). Default
   * {@code false}. A project whose networked instances all ask for {@code fakeroot} in {@code
   * start.options} counts as allowed too.
   */
  @Value.Default
  public boolean fakerootAllowed() {
    return false;
  }

  /** The usual subordinate uid file: {@value}. */
  public static final String SUBUID_FILE = "/etc/subuid";

  /**
   * The facts of a process: root when {@code euid} is 0; fakeroot allowed when {@code dialect}
   * {@linkplain Dialect#supportsFakeroot() supports {@code --fakeroot}} and {@code subuidFile} maps
   * subordinate ids to the user (a line {@code NAME:START:COUNT} or {@code UID:START:COUNT} with a
   * count above 0, subuid(5); SingularityCE's fakeroot needs that mapping). A missing or unreadable
   * file means no mapping (said at DEBUG). Used by {@link ComposeWiring}, which passes this
   * process's ids, {@code user.name} and {@value #SUBUID_FILE}.
   *
   * @param euid effective user id (geteuid(2))
   * @param uid real user id (getuid(2)), matched against numeric lines
   * @param userName the user's login name, matched against named lines
   */
  public static RuntimeFacts detect(
      Dialect dialect, long euid, long uid, String userName, java.nio.file.Path subuidFile) {
    return RuntimeFacts.builder()
        .dialect(dialect)
        .root(euid == 0)
        .fakerootAllowed(dialect.supportsFakeroot() && hasSubuidMapping(subuidFile, userName, uid))
        .build();
  }

  /**
   * Whether {@code subuidFile} has a line {@code NAME:START:COUNT} for {@code userName} or for
   * {@code uid} with a positive count; {@code false} when the file is missing or unreadable.
   */
  static boolean hasSubuidMapping(java.nio.file.Path subuidFile, String userName, long uid) {
    java.util.List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(subuidFile, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      org.slf4j.LoggerFactory.getLogger(RuntimeFacts.class)
          .debug("no subordinate uid mapping: cannot read {} ({})", subuidFile, e.getMessage());
      return false;
    }
    String id = Long.toString(uid);
    for (String line : lines) {
      String[] f = line.strip().split(":");
      if (f.length != 3 || line.strip().startsWith("#")) {
        continue;
      }
      if (!f[0].equals(userName) && !f[0].equals(id)) {
        continue;
      }
      try {
        if (Long.parseLong(f[1].strip()) >= 0 && Long.parseLong(f[2].strip()) > 0) {
          return true;
        }
      } catch (NumberFormatException e) {
        // not a mapping line: skipped, as newuidmap(1) does not use it either
      }
    }
    return false;
  }

  /** Facts for {@code dialect}, not root, no fakeroot. */
  public static RuntimeFacts of(Dialect dialect) {
    return RuntimeFacts.builder().dialect(dialect).build();
  }

  /**
   * A new, empty builder of {@link RuntimeFacts}.
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
   * Builds a {@link RuntimeFacts}; get one from {@link RuntimeFacts#builder()} or {@link
   * RuntimeFacts#toBuilder()}.
   */
  public static final class Builder extends ImmutableRuntimeFacts.Builder {
    Builder() {}
  }
}
