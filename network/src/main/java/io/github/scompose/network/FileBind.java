package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import org.immutables.value.Value;

/**
 * A bind of a {@link PlannedFile} into an instance: {@code --bind <dir>/<fileName>:<containerPath>}
 * once core has chosen {@code <dir>}.
 */
@Value.Immutable
@ValueStyle
public interface FileBind {

  /** The planned file's name. */
  String fileName();

  /** Where it appears inside the instance, e.g. {@code /etc/hosts}. */
  String containerPath();

  /** A bind of {@code fileName} to {@code containerPath}. */
  static FileBind of(String fileName, String containerPath) {
    return ImmutableFileBind.builder().fileName(fileName).containerPath(containerPath).build();
  }
}
