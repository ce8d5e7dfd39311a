package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * A file the caller writes before starting instances (e.g. {@code etc.hosts}) and binds into them.
 * The network module decides the content; core decides the directory (e.g. the project's state
 * folder) and writes it atomically.
 */
@Value.Immutable
@ValueStyle
public interface PlannedFile {

  /**
   * File name, without directory: {@value NetworkPlanner#HOSTS_FILE} or {@value
   * NetworkPlanner#RESOLV_FILE}.
   */
  String fileName();

  /** The text to write, UTF-8. */
  String content();
}
