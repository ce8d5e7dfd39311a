package io.github.scompose.spec;

import io.github.scompose.spec.internal.interpolation.DotEnv;
import io.github.scompose.spec.internal.interpolation.DotEnvException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads environment files ({@code .env}, the CLI's {@code --env-file}) with the one parser {@link
 * ComposeLoader} reads the project's {@code .env} with (Docker Compose docs, "Syntax for
 * environment files"; unlisted details as compose-go's dotenv parser does them):
 *
 * <ul>
 *   <li>one {@code KEY=VALUE} per line ({@code KEY} is {@code [A-Za-z0-9_.]+}); blanks around
 *       {@code KEY} and before {@code VALUE} ignored; an {@code export } prefix ignored; blank
 *       lines and {@code #} lines skipped;
 *   <li>unquoted values run to the end of the line, trailing blanks removed; {@code #} after a
 *       blank starts a comment;
 *   <li>single-quoted values are literal ({@code \'} is a quote); double-quoted values know {@code
 *       \n}, {@code \r}, {@code \t}, {@code \\}, {@code \"} and {@code \$}; quoted values may span
 *       lines;
 *   <li>unquoted and double-quoted values are interpolated ({@code $VAR}, {@code ${VAR:-default}},
 *       …) against the keys defined earlier in the file; unset variables become {@code ""};
 *   <li>a {@code KEY} alone is left out.
 * </ul>
 */
public final class EnvironmentFile {

  private EnvironmentFile() {}

  /**
   * The variables of {@code file} (UTF-8), in file order.
   *
   * @throws ComposeException when the file cannot be read ({@code FILE: cannot read the env file:
   *     no such file}, {@code …: permission denied}, {@code …: not UTF-8 text}) or a line is
   *     malformed ({@code FILE:LINE:1: …}, never quoting a value)
   */
  public static Map<String, String> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      String why =
          e instanceof NoSuchFileException
              ? "no such file"
              : e instanceof CharacterCodingException
                  ? "not UTF-8 text"
                  : e instanceof AccessDeniedException
                      ? "permission denied"
                      : Files.isDirectory(file) ? "it is a folder" : "unreadable";
      throw new ComposeException(
          List.of(Problem.error(file.toString(), 0, 0, "", "cannot read the env file: " + why)));
    }
    return parse(file.toString(), text);
  }

  /**
   * The variables of {@code content}, in order; {@code name} names it in problems.
   *
   * @throws ComposeException for a malformed line ({@code NAME:LINE:1: …})
   */
  public static Map<String, String> parse(String name, String content) {
    try {
      return Collections.unmodifiableMap(DotEnv.parse(content));
    } catch (DotEnvException e) {
      throw new ComposeException(List.of(Problem.error(name, e.line(), 1, "", e.reason())));
    }
  }
}
