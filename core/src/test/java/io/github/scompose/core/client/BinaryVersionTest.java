package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinaryVersionTest {

  @ParameterizedTest
  @CsvSource({
    // form, flavour, major, minor, patch, suffix
    "'apptainer version 1.3.4', APPTAINER, 1, 3, 4, ''",
    "'singularity-ce version 4.1.2', SINGULARITY_CE, 4, 1, 2, ''",
    // recorded from SingularityCE 3.4.2 (singularity --version)
    "'singularity version 3.4.2', SINGULARITY, 3, 4, 2, ''",
    "'3.8.7', SINGULARITY, 3, 8, 7, ''",
    "'2.6.1-dist', SINGULARITY, 2, 6, 1, '-dist'",
    "'singularity-ce version 3.11.4-1.el8', SINGULARITY_CE, 3, 11, 4, '-1.el8'",
    "'apptainer version 1.2.0-rc.2', APPTAINER, 1, 2, 0, '-rc.2'",
    "'  \n\nSingularity version 3.5\n', SINGULARITY, 3, 5, 0, ''",
  })
  void parsesEveryKnownForm(
      String text, Flavour flavour, int major, int minor, int patch, String suffix) {
    BinaryVersion v = BinaryVersion.parse(text);
    assertEquals(flavour, v.flavour());
    assertEquals(major, v.major());
    assertEquals(minor, v.minor());
    assertEquals(patch, v.patch());
    assertEquals(suffix, v.suffix());
  }

  @Test
  void bareNumberOfAnApptainerProgramIsApptainer() {
    assertEquals(Flavour.APPTAINER, BinaryVersion.parse("1.3.4", "/usr/bin/apptainer").flavour());
    assertEquals(Flavour.SINGULARITY, BinaryVersion.parse("3.8.7", "singularity").flavour());
  }

  @Test
  void refusesWhatIsNoVersion() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BinaryVersion.parse("bash: not found"));
    assertTrue(e.getMessage().contains("bash: not found"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BinaryVersion.parse(""));
    assertThrows(IllegalArgumentException.class, () -> BinaryVersion.parse("docker version 1.2.3"));
    assertThrows(IllegalArgumentException.class, () -> BinaryVersion.parse("3"));
  }

  @Test
  void formatsAsTheBinaryPrints() {
    assertEquals(
        "singularity version 3.4.2", BinaryVersion.of(Flavour.SINGULARITY, 3, 4, 2).format());
    assertEquals("2.6.1-dist", BinaryVersion.parse("2.6.1-dist").numbers());
  }

  @Test
  void comparesByNumbers() {
    BinaryVersion v = BinaryVersion.parse("singularity version 3.6.0");
    assertTrue(v.isAtLeast(3, 6));
    assertTrue(v.isAtLeast(2, 9));
    assertTrue(!v.isAtLeast(3, 7));
    assertTrue(v.compareTo(BinaryVersion.parse("3.10.0")) < 0);
  }

  @Property(tries = 500)
  void parseOfFormatGivesTheVersionBack(@ForAll("versions") BinaryVersion v) {
    assertEquals(v, BinaryVersion.parse(v.format()));
    assertEquals(v.withFlavour(Flavour.SINGULARITY), BinaryVersion.parse(v.numbers()));
  }

  @Provide
  Arbitrary<BinaryVersion> versions() {
    Arbitrary<String> suffix =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Combinators.combine(
                    Arbitraries.of("-", "+", "~"),
                    Arbitraries.strings()
                        .withChars("abcdefghijklmnopqrstuvwxyz0123456789.-_+")
                        .ofMaxLength(12))
                .as((a, b) -> a + b));
    return Combinators.combine(
            Arbitraries.of(Flavour.class),
            Arbitraries.integers().between(0, 99),
            Arbitraries.integers().between(0, 999),
            Arbitraries.integers().between(0, 9999),
            suffix)
        .as(
            (f, major, minor, patch, s) ->
                BinaryVersion.builder()
                    .flavour(f)
                    .major(major)
                    .minor(minor)
                    .patch(patch)
                    .suffix(s)
                    .build());
  }
}
