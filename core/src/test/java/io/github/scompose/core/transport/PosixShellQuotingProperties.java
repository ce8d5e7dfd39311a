package io.github.scompose.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.scompose.core.internal.transport.ShellWords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every quoted word reaches a real {@code /bin/sh} (dash on Debian, bash elsewhere) as the very
 * string it was: the shell parses {@code printf '%s\0' <quoted words…>} and prints each argument
 * back, NUL-separated.
 */
class PosixShellQuotingProperties {

  private final LocalProcessTransport local = LocalProcessTransport.create();

  @Provide
  Arbitrary<List<String>> wordLists() {
    return ShellWords.words().list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 300)
  void quotedWordsRoundTripThroughBinSh(@ForAll("wordLists") List<String> words) {
    assertEquals(words, echoedBy("/bin/sh", words));
  }

  @Property(tries = 100)
  void quotedWordsRoundTripThroughBash(@ForAll("wordLists") List<String> words) {
    if (!new java.io.File("/bin/bash").canExecute()) {
      return;
    }
    assertEquals(words, echoedBy("/bin/bash", words));
  }

  @Example
  void safeWordsStayBareOthersAreSingleQuoted() {
    assertEquals("instance", PosixShellQuoting.quote("instance"));
    assertEquals("/a/b.sif", PosixShellQuoting.quote("/a/b.sif"));
    assertEquals("''", PosixShellQuoting.quote(""));
    assertEquals("'a b'", PosixShellQuoting.quote("a b"));
    assertEquals("'it'\\''s'", PosixShellQuoting.quote("it's"));
    assertEquals("'$HOME'", PosixShellQuoting.quote("$HOME"));
    assertEquals(
        "singularity instance 'list x'",
        PosixShellQuoting.join(List.of("singularity", "instance", "list x")));
  }

  @Example
  void nulIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> PosixShellQuoting.quote("a\0b"));
  }

  private List<String> echoedBy(String shell, List<String> words) {
    String line = "printf '%s\\0' " + PosixShellQuoting.join(words);
    CommandResult result = local.run(CommandRequest.of(shell, "-c", line));
    assertEquals(0, result.exitCode(), result.stderr());
    String out = result.stdout();
    // every word is followed by one NUL
    List<String> echoed = new ArrayList<>(Arrays.asList(out.split("\0", -1)));
    assertEquals("", echoed.remove(echoed.size() - 1), "output ends with NUL");
    return echoed;
  }
}
