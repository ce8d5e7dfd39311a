package io.github.scompose.core.compose;

import io.github.scompose.spec.DependsOn;
import io.github.scompose.style.ValueStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * What an instance waits for before it starts: every instance of one service it depends on, in one
 * {@code depends_on} condition. Compose Specification {@code depends_on} ({@code condition}, {@code
 * required}); singularity-compose's {@code depends_on} lists are {@code service_started}.
 */
@Value.Immutable
@ValueStyle
public abstract class DependencyWait implements WithDependencyWait {

  /** The service depended on. */
  public abstract String service();

  /** Its instances (all replicas), in replica order; empty when it has zero replicas. */
  public abstract List<String> instances();

  /** What to wait for. */
  public abstract DependsOn.Condition condition();

  /** {@code false}: start anyway when the dependency fails (a warning event then). */
  @Value.Default
  public boolean required() {
    return true;
  }

  /**
   * A new, empty builder of {@link DependencyWait}.
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
   * Builds a {@link DependencyWait}; get one from {@link DependencyWait#builder()} or {@link
   * DependencyWait#toBuilder()}.
   */
  public static final class Builder extends ImmutableDependencyWait.Builder {
    Builder() {}
  }
}
