package io.github.scompose.spec.internal.interpolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Laws of Compose interpolation (Compose Specification, "Interpolation"). */
class InterpolationProperties {

  private static final String NAME = "V";

  @Provide
  Arbitrary<String> noDollar() {
    return Arbitraries.strings().ofMaxLength(40).filter(s -> s.indexOf('$') < 0);
  }

  @Provide
  Arbitrary<String> word() {
    // text safe inside ${...}: no '$' and no '}'
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .ofMaxLength(20)
        .filter(s -> s.indexOf('$') < 0 && s.indexOf('}') < 0);
  }

  @Provide
  Arbitrary<Optional<String>> variable() {
    return Arbitraries.oneOf(
        Arbitraries.just(Optional.empty()),
        Arbitraries.just(Optional.of("")),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(20).map(Optional::of));
  }

  private static Interpolator with(Optional<String> v) {
    return new Interpolator(name -> name.equals(NAME) ? v : Optional.empty());
  }

  private static String eval(Optional<String> v, String text) {
    return with(v).interpolate(text).value();
  }

  @Property(tries = 500)
  void textWithoutDollarIsUnchanged(@ForAll("noDollar") String text) {
    Interpolated r = Interpolator.of(Map.of()).interpolate(text);
    assertEquals(text, r.value());
    assertEquals(List.of(), r.unsetVariables());
  }

  @Property(tries = 500)
  void doubleDollarIsAlwaysALiteralDollar(
      @ForAll("noDollar") String before,
      @ForAll("noDollar") String after,
      @ForAll("variable") Optional<String> v) {
    Assume.that(after.isEmpty() || after.charAt(0) != '$');
    assertEquals(before + "$" + NAME + after, eval(v, before + "$$" + NAME + after));
    assertEquals(before + "${" + NAME + "}" + after, eval(v, before + "$${" + NAME + "}" + after));
  }

  @Property(tries = 500)
  void colonDashIsValueWhenSetNonEmptyElseDefault(
      @ForAll("variable") Optional<String> v, @ForAll("word") String d) {
    String expected = v.filter(s -> !s.isEmpty()).orElse(d);
    assertEquals(expected, eval(v, "${V:-" + d + "}"));
  }

  @Property(tries = 500)
  void dashIsValueWhenSetElseDefault(
      @ForAll("variable") Optional<String> v, @ForAll("word") String d) {
    assertEquals(v.orElse(d), eval(v, "${V-" + d + "}"));
  }

  @Property(tries = 500)
  void dashAndColonDashDifferExactlyOnEmptyValue(
      @ForAll("variable") Optional<String> v, @ForAll("word") String d) {
    Assume.that(!d.isEmpty());
    boolean differ = !eval(v, "${V-" + d + "}").equals(eval(v, "${V:-" + d + "}"));
    assertEquals(v.isPresent() && v.get().isEmpty(), differ);
  }

  @Property(tries = 500)
  void plusFormsGiveReplacementOnlyWhenSet(
      @ForAll("variable") Optional<String> v, @ForAll("word") String r) {
    assertEquals(v.isPresent() && !v.get().isEmpty() ? r : "", eval(v, "${V:+" + r + "}"));
    assertEquals(v.isPresent() ? r : "", eval(v, "${V+" + r + "}"));
  }

  @Property(tries = 500)
  void questionFormsFailExactlyWhenMissing(
      @ForAll("variable") Optional<String> v, @ForAll("word") String message) {
    boolean colonFails = v.isEmpty() || v.get().isEmpty();
    assertEquals(colonFails, fails(v, "${V:?" + message + "}"));
    assertEquals(v.isEmpty(), fails(v, "${V?" + message + "}"));
  }

  @Property(tries = 300)
  void nestedDefaultIsUsedOnlyWhenOuterMissing(
      @ForAll("variable") Optional<String> v, @ForAll("word") String d) {
    String outer = "${V:-${W:-" + d + "}}";
    String expected = v.filter(s -> !s.isEmpty()).orElse(d);
    assertEquals(expected, eval(v, outer));
  }

  @Property(tries = 500)
  void plainReferenceIsValueOrEmptyAndReportedWhenUnset(
      @ForAll("variable") Optional<String> v, @ForAll("noDollar") String around) {
    Interpolated r = with(v).interpolate(around + "${V}" + around);
    assertEquals(around + v.orElse("") + around, r.value());
    assertEquals(v.isEmpty() ? List.of(NAME) : List.of(), r.unsetVariables());
  }

  @Property(tries = 1000)
  void arbitraryTextEitherInterpolatesOrFailsWithInterpolationException(
      @ForAll @StringLength(max = 60) String text) {
    String withDollars = text.replace('#', '$').replace('%', '{');
    try {
      Interpolated r = with(Optional.of("x")).interpolate(withDollars);
      assertNotEquals(null, r.value());
    } catch (InterpolationException e) {
      assertNotEquals(null, e.getMessage());
      org.junit.jupiter.api.Assertions.assertTrue(
          e.offset() >= 0 && e.offset() < withDollars.length(), "offset " + e.offset());
    }
  }

  private static boolean fails(Optional<String> v, String text) {
    try {
      eval(v, text);
      return false;
    } catch (InterpolationException e) {
      assertEquals(Optional.of(NAME), e.variable());
      return true;
    }
  }
}
