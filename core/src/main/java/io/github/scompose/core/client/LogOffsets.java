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
public abstract class LogOffsets {

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
    return ImmutableLogOffsets.builder().out(out).err(err).build();
  }

  /** The start of both files: every line. */
  public static LogOffsets start() {
    return of(0, 0);
  }
}
