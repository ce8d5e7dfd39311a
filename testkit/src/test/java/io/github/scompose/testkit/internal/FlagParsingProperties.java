package io.github.scompose.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.testkit.FakeDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Properties of the pflag-style parser and of the scripted-line expansion. */
class FlagParsingProperties {

  private static final FlagTable START =
      FlagTable.forCommand(FakeDialect.SINGULARITY_CE_3_4, "instance start").orElseThrow();

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
  }

  @Property(tries = 300)
  void separateAndEqualsFormsParseAlike(
      @ForAll("values") String hostname,
      @ForAll("values") String bind,
      @ForAll("values") String image,
      @ForAll @Size(max = 3) List<@AlphaChars @StringLength(min = 1, max = 5) String> args)
      throws Exception {
    List<String> separate = new ArrayList<>(List.of("--hostname", hostname, "-B", bind, "--net"));
    List<String> joined = new ArrayList<>(List.of("--hostname=" + hostname, "-B" + bind, "-n"));
    for (List<String> argv : List.of(separate, joined)) {
      argv.add(image);
      argv.add("name");
      argv.addAll(args);
    }
    FlagTable.Parsed a = START.parse(separate, false);
    FlagTable.Parsed b = START.parse(joined, false);
    assertEquals(a.values(), b.values());
    assertEquals(a.positionals(), b.positionals());
    assertEquals(List.of(hostname), a.all("hostname"));
    assertEquals(image, a.positionals().get(0));
    assertEquals(args, a.positionals().subList(2, a.positionals().size()));
  }

  @Property(tries = 300)
  void flagsAfterTheImageBelongToTheContainer(@ForAll("values") String flag) throws Exception {
    FlagTable.Parsed parsed = START.parse(List.of("img", "name", "--" + flag), false);
    assertEquals(List.of("img", "name", "--" + flag), parsed.positionals());
  }

  @Property(tries = 300)
  void unknownLongFlagsAreRejectedByName(@ForAll("values") String name) {
    String flag = "zz" + name;
    FlagTable.FlagError error =
        assertThrows(FlagTable.FlagError.class, () -> START.parse(List.of("--" + flag), false));
    assertEquals("unknown flag: --" + flag, error.getMessage());
  }

  @Property(tries = 300)
  void expansionReplacesKnownVariablesAndKeepsPlainText(
      @ForAll @AlphaChars @StringLength(min = 1, max = 10) String value,
      @ForAll @StringLength(max = 20) String plain) {
    String text = plain.replace("$", "");
    assertEquals(
        text + value + "|" + value,
        ScriptExpansion.expand(text + "$X|${X}", List.of(), Map.of("X", value)));
    assertTrue(
        ScriptExpansion.expand("$1-$@", List.of(value, "b"), Map.of())
            .equals(value + "-" + value + " b"));
  }
}
