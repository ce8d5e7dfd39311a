package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * Byte offsets into an instance's two log files ({@code .out}, {@code .err}): where the lines of
 * one run begin. The binary appends to these files across runs of the same name and keeps them
 * after stop (recorded from SingularityCE 3.4.2), so the sizes taken just before an {@code instance
 * start} ({@link SingularityClient#logSizes}) separate that run's lines from earlier ones.
 */
@Value.Immutable
@ValueStyle
public abstract class LogOffsets implements WithLogOffsets {

  /** Offset into the {@code .out} file, in bytes; at least 0. */
  public abstract long out();

  /** Offset into the {@code .err} file, in bytes; at least 0. */
  public abstract long err();

  @Value.Check
  protected void check() {
    if (out() < 0 || err() < 0) {
      throw new IllegalArgumentException("log offsets " + out() + ", " + err() + " are negative");
    }
  }

  /** The offsets {@code out} and {@code err}, in bytes. */
  public static LogOffsets of(long out, long err) {
    return LogOffsets.builder().out(out).err(err).build();
  }

  /** The start of both files: every line. */
  public static LogOffsets start() {
    return of(0, 0);
  }

  /**
   * A new, empty builder of {@link LogOffsets}.
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
   * Builds a {@link LogOffsets}; get one from {@link LogOffsets#builder()} or {@link
   * LogOffsets#toBuilder()}.
   */
  public static final class Builder extends ImmutableLogOffsets.Builder {
    Builder() {}
  }
}
