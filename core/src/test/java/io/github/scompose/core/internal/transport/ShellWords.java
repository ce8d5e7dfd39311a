package io.github.scompose.core.internal.transport;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Generators of strings a shell could misread: quotes, {@code $}, backticks, newlines, unicode. */
public final class ShellWords {

  private static final String SPECIAL = "'\"$`\\ \t\n\r!*?[]{}()<>|&;#~%=,:^-+@./";

  private ShellWords() {}

  /**
   * Any string without NUL and without unpaired surrogates, biased towards shell metacharacters.
   */
  public static Arbitrary<String> words() {
    Arbitrary<String> shellish =
        Arbitraries.strings().withChars(SPECIAL).withCharRange('a', 'c').ofMaxLength(24);
    Arbitrary<String> unicode =
        Arbitraries.strings()
            .withCharRange('\u0001', '\u00ff')
            .withCharRange('\u0100', '\ud7ff')
            .withCharRange('\ue000', '\ufffd')
            .ofMaxLength(16);
    Arbitrary<String> astral =
        Arbitraries.integers()
            .between(0x10000, 0x10ffff)
            .list()
            .ofMaxSize(4)
            .map(
                codePoints -> {
                  StringBuilder s = new StringBuilder();
                  codePoints.forEach(s::appendCodePoint);
                  return s.toString();
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, shellish),
        net.jqwik.api.Tuple.of(3, unicode),
        net.jqwik.api.Tuple.of(1, astral),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.of("", "'", "''", "\\", "\n", "-n", "--", "$(id)", "`id`", "a'b\"c")));
  }
}
