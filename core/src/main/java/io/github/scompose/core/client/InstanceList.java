package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.ArgvRenderer;
import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code instance list --json} (3.x, Apptainer) or {@code instance.list} (2.x, a table), parsed
 * into {@link InstanceInfo}s by {@link SingularityClient#list(InstanceList)}.
 *
 * <p>{@link #name()} filters by exact name in the client: SingularityCE 3.4.2 ignores a name
 * argument (recorded: {@code instance list nosuch} listed {@code web1}) and later versions treat it
 * as a glob, so it is never passed to the binary.
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceList implements SingularityCommand, WithInstanceList {

  /** Only the instance of this exact name; default: all. */
  public abstract Optional<String> name();

  /** {@code --user NAME}: another user's instances (root only; 3.x+). */
  public abstract Optional<String> user();

  /** All of this user's instances. */
  public static InstanceList all() {
    return InstanceList.builder().build();
  }

  /** Only the instance {@code name}. */
  public static InstanceList named(String name) {
    return InstanceList.builder().name(name).build();
  }

  @Override
  public RenderedCommand render(Dialect dialect) {
    return ArgvRenderer.instanceList(this, dialect);
  }

  /**
   * A new, empty builder of {@link InstanceList}.
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
   * Builds a {@link InstanceList}; get one from {@link InstanceList#builder()} or {@link
   * InstanceList#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceList.Builder {
    Builder() {}
  }
}
