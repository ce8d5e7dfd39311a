package io.github.scompose.samples.cli;

import java.util.List;
import java.util.Optional;

/**
 * The command lines typed most often, run without picocli's model (start-up time, issue 11:
 * building the model reflects over every option of the root and the command, 60–90 ms of a cold JVM
 * before the first {@code instance start}). Only these exact argument lists: {@code up -d}, {@code
 * up --detach} and {@code down}; anything else, one option or service more included, goes through
 * picocli as before.
 *
 * <p>For these the command is made as picocli makes it after parsing: a new object with its fields'
 * initial values, its {@code @ParentCommand} set to the root and the one flag given set; the root
 * keeps its defaults. {@code KnownCommandLinesTest} parses each list with picocli and finds every
 * option, parameter and mixin field equal, so a new option with a default of its own cannot make
 * the two differ unnoticed; it also finds no option default from picocli ({@code defaultValue}, a
 * default provider) and nothing else picocli would inject ({@code @Spec}, {@code @ArgGroup},
 * annotated methods). {@code ScomposeCommand} runs the command as picocli's {@code execute} does:
 * exit 0 when it returns, its exception to the same handler otherwise.
 */
final class KnownCommandLines {

  /** The argument lists run without the model, in the order of the usage help. */
  static final List<List<String>> KNOWN =
      List.of(List.of("up", "-d"), List.of("up", "--detach"), List.of("down"));

  private KnownCommandLines() {}

  /**
   * The command {@code args} names, made as picocli makes it, when {@code args} is one of {@link
   * #KNOWN}; else empty.
   */
  static Optional<Runnable> command(ScomposeCommand root, String[] args) {
    List<String> line = List.of(args);
    if (!KNOWN.contains(line)) {
      return Optional.empty();
    }
    if (line.get(0).equals("up")) {
      UpCommand up = new UpCommand();
      up.root = root;
      up.detach = true;
      return Optional.of(up);
    }
    DownCommand down = new DownCommand();
    down.root = root;
    return Optional.of(down);
  }
}
