package io.github.scompose.core.errors;

import java.util.List;

/**
 * No usable {@code apptainer}/{@code singularity} binary was found. The message lists every place
 * that was tried, in order (explicit path, configuration variables, names on the transport host's
 * PATH), and why each one failed.
 */
public class BinaryNotFoundException extends SingularityException {

  private final List<String> triedPlaces;

  /**
   * @param where the transport's description, e.g. {@code local} or {@code ssh alice@login1:22}
   * @param triedPlaces one line per place tried, e.g. {@code apptainer on PATH: not found}
   */
  public BinaryNotFoundException(String where, List<String> triedPlaces) {
    super(
        "no singularity or apptainer binary found on "
            + where
            + "; looked at:\n  "
            + String.join("\n  ", triedPlaces));
    this.triedPlaces = List.copyOf(triedPlaces);
  }

  /** The places tried, in order, each with why it failed. */
  public List<String> triedPlaces() {
    return triedPlaces;
  }
}
