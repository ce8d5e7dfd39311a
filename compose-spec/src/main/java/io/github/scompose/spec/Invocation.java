package io.github.scompose.spec;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One of singularity-compose's process sections: {@code start}, {@code run}, {@code exec} or one
 * {@code post} command (singularity-compose spec 2.0).
 *
 * <ul>
 *   <li>{@link #options()}: as written, in order ({@code fakeroot}, {@code C}, {@code
 *       env-file=x.env}; a {@code {k: v}} map entry is kept as {@code k=v}). singularity-compose
 *       turns {@code x} into {@code -x}, {@code name} into {@code --name}, {@code k=v} into {@code
 *       --k=v}; that rendering is core's job.
 *   <li>{@link #args()}: {@code start.args} / {@code run.args} / {@code exec.command} / {@code
 *       post.command}. When the file gave one string, {@link #argsAsOneString()} is {@code true}
 *       and {@link #args()} holds that one string: singularity-compose passes a {@code start.args}
 *       string as ONE argument, and splits {@code run}/{@code exec}/{@code post} strings like a
 *       shell (recorded from singularity-compose 0.1.19 on SingularityCE 3.4.2).
 *   <li>{@link #background()}: {@code start.background} / {@code run.background}.
 * </ul>
 */
@Value.Immutable
@ValueStyle
public abstract class Invocation implements WithInvocation {

  /** Options as written. */
  public abstract List<String> options();

  /** Arguments (or the command) as written. */
  public abstract List<String> args();

  /** {@code true} when the file wrote the arguments as one string. */
  @Value.Default
  public boolean argsAsOneString() {
    return false;
  }

  /** {@code background}, when given. */
  public abstract Optional<Boolean> background();

  /** An invocation with nothing set (e.g. {@code run: []}). */
  public static Invocation empty() {
    return Invocation.builder().build();
  }

  /**
   * A new, empty builder of {@link Invocation}.
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
   * Builds a {@link Invocation}; get one from {@link Invocation#builder()} or {@link
   * Invocation#toBuilder()}.
   */
  public static final class Builder extends ImmutableInvocation.Builder {
    Builder() {}
  }
}
