package io.github.scompose.core.client;

/**
 * Which project a binary comes from. Together with the version number it picks the {@link Dialect}.
 */
public enum Flavour {
  /** Apptainer 1.x (Linux Foundation): prints {@code apptainer version 1.3.4}. */
  APPTAINER("apptainer"),
  /** SingularityCE 3.9+ and 4.x (Sylabs): prints {@code singularity-ce version 4.1.2}. */
  SINGULARITY_CE("singularity-ce"),
  /**
   * Singularity before the split (2.x, Sylabs 3.0-3.8, HPCng 3.x): prints {@code singularity
   * version 3.4.2}, or a bare {@code 3.8.7} / {@code 2.6.1-dist}.
   */
  SINGULARITY("singularity");

  private final String word;

  Flavour(String word) {
    this.word = word;
  }

  /**
   * The word the binary prints before {@code version}: {@code apptainer}, {@code singularity-ce}…
   */
  public String word() {
    return word;
  }
}
