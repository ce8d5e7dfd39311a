package io.github.scompose.core.compose;

import java.nio.file.Path;

/**
 * A file of a project's state directory ({@code state.json} or {@code instances.json}) cannot be
 * read as what it should be: its bytes are not UTF-8, its text is not JSON, or its JSON is not a
 * file of this format (a missing or mistyped key, another format version). The message names the
 * file and says what is wrong in words ({@code "not UTF-8 (byte 0xff at offset 12)"}, {@code "not
 * JSON at line 3, column 7"}, {@code "not a state file (missing key \"project\")"}); it never
 * quotes the file's content (the records hold environment values).
 *
 * <p>{@link Compose#down} gets past it: it stops the project's instances found by name in the
 * runtime's listing and keeps the damaged file as {@code <name>.bak}; {@link Compose#up} keeps the
 * damaged file the same way and reconciles from the listing. {@link Compose#ps} and the other
 * operations throw it.
 */
public final class DamagedStateException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /**
   * @param file the damaged file
   * @param problem what is wrong, in words, e.g. {@code "not UTF-8 (byte 0xff at offset 12)"}
   */
  public DamagedStateException(Path file, String problem) {
    super(file + " is damaged: " + problem);
    this.file = file;
    this.problem = problem;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** What is wrong with it, in words, without the file's name. */
  public String problem() {
    return problem;
  }
}
