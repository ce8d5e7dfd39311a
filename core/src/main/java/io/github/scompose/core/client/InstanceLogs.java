package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * An instance's log text: what its startscript wrote to stdout ({@code .out}) and stderr ({@code
 * .err}). The binary appends to these files and keeps them after stop (recorded from 3.4.2), so
 * they may hold earlier instances' text under the same name. A missing file reads as empty.
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceLogs {

  /** The instance. */
  public abstract String instanceName();

  /** Path of the {@code .out} file on the transport's host. */
  public abstract String outPath();

  /** Path of the {@code .err} file on the transport's host. */
  public abstract String errPath();

  /** The {@code .out} text (UTF-8, malformed bytes replaced). */
  public abstract String out();

  /** The {@code .err} text. */
  public abstract String err();
}
