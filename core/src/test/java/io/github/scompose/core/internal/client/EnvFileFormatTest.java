package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EnvFileFormatTest {

  @Test
  void quotesEveryValueThatIsNotPlain() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "plain");
    env.put("B", "it's $HOME `x`\nline2");
    assertEquals("A=plain\nB='it'\\''s $HOME `x`\nline2'\n", EnvFileFormat.render(env));
  }

  /** The file, sourced by a real POSIX shell, gives every value back byte for byte. */
  @Property(tries = 60)
  void roundTripsThroughShell(@ForAll("values") String value) throws Exception {
    Path file = Files.createTempFile("envfile", ".env");
    try {
      Files.writeString(file, EnvFileFormat.render(Map.of("V", value)));
      CommandResult r =
          LocalProcessTransport.create()
              .run(
                  CommandRequest.builder()
                      .addArgv(
                          "/bin/sh", "-c", ". \"$1\" && printf %s \"$V\"", "sh", file.toString())
                      .build());
      assertEquals(0, r.exitCode(), r.stderr());
      assertEquals(value, r.stdout());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings()
        .withChars("ab '\"$`\\\n\t;&|*?!{}()#~=%")
        .withCharRange('a', 'z')
        .ofMaxLength(30)
        .filter(
            s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s));
  }
}
