package io.github.scompose.spec.internal.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;

/** {@link CoreScalarTags} answers as snakeyaml-engine's core resolver does, for every scalar. */
class CoreScalarTagsProperties {

  private final CoreScalarTags tags = new CoreScalarTags();
  private final CoreScalarResolver core = new CoreScalarResolver();

  /**
   * Scalars built from the characters the core patterns look at (signs, digits, dots, the letters
   * of true/false/null/inf/nan, {@code ~ $ { } 0x 0o e E}), line breaks, NUL, and letters of a
   * plain string, so that numbers, booleans, nulls and {@code ${VAR}} come up often.
   */
  @Provide
  Arbitrary<String> scalars() {
    Arbitrary<String> pieces =
        Arbitraries.of(
            "",
            "0",
            "1",
            "7",
            "9",
            "-",
            "+",
            ".",
            "e",
            "E",
            "x",
            "o",
            "0x",
            "0o",
            "a",
            "F",
            "f",
            "true",
            "True",
            "TRUE",
            "false",
            "FALSE",
            "null",
            "Null",
            "NULL",
            "~",
            " ",
            "\n",
            "\0",
            "inf",
            ".inf",
            "NaN",
            ".nan",
            "$",
            "${",
            "}",
            "${A}",
            "${A:-b}",
            "_",
            "n",
            "N",
            "t",
            "T",
            "é",
            "web",
            "nginx:1.25",
            "/data",
            "\t");
    return pieces.list().ofMaxSize(5).map(l -> String.join("", l));
  }

  @Property(tries = 3000)
  void sameTagAsTheCoreResolver(@ForAll("scalars") String value, @ForAll boolean implicit) {
    assertEquals(core.resolve(value, implicit), tags.resolve(value, implicit), value);
  }

  @Property(tries = 2000)
  void sameTagForAnyString(@ForAll String value, @ForAll boolean implicit) {
    assertEquals(core.resolve(value, implicit), tags.resolve(value, implicit), value);
  }

  @Example
  void theCoreSchemasTags() {
    assertEquals(Tag.NULL, tags.resolve("", true));
    assertEquals(Tag.NULL, tags.resolve("null", true));
    assertEquals(Tag.BOOL, tags.resolve("True", true));
    assertEquals(Tag.INT, tags.resolve("0x1F", true));
    assertEquals(Tag.FLOAT, tags.resolve("-.5e3", true));
    assertEquals(Tag.ENV_TAG, tags.resolve("${TAG}", true));
    assertEquals(Tag.STR, tags.resolve("nginx", true));
    assertEquals(Tag.STR, tags.resolve("8080", false));
  }
}
