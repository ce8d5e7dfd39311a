package io.github.scompose.samples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link RunscriptArguments}: no value reaches argv unchecked. For any labels and any given map, a
 * valid check's argv is exactly {@code --NAME [WORD]} pairs of declared names in declaration order,
 * each word of its argument's type (strings one word of {@code [A-Za-z0-9._@+-]} not starting with
 * {@code -}, numbers in their form), a bool a bare flag; undeclared names are only listed as
 * ignored; a value not of its type makes a problem naming argument and type, and no argv.
 */
class RunscriptArgumentsProperties {

  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._@+][A-Za-z0-9._@+-]{0,255}");
  private static final Pattern INT = Pattern.compile("[+-]?\\d{1,19}");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d{1,3})?");
  private static final List<String> NAMES =
      List.of("name", "age", "weight", "is_dino", "Height", "ice-cream", "x.y", "_z");

  @Provide
  Arbitrary<Map<String, String>> labels() {
    Arbitrary<String> key =
        Arbitraries.of(
            "SINGULARITY_RUNSCRIPT_ARG_STR",
            "singularity_runscript_arg_int",
            "Singularity_Runscript_Arg_Float",
            "SINGULARITY_RUNSCRIPT_ARG_BOOL",
            "SINGULARITY_RUNSCRIPT_ARG_LIST",
            "maintainer");
    Arbitrary<String> names =
        Arbitraries.oneOf(Arbitraries.of(NAMES), Arbitraries.strings().ofMaxLength(8))
            .list()
            .ofMaxSize(4)
            .map(l -> String.join(l.size() % 2 == 0 ? "," : " , ", l));
    return Combinators.combine(key, names)
        .as(Map::entry)
        .list()
        .ofMaxSize(6)
        .map(
            entries -> {
              Map<String, String> m = new LinkedHashMap<>();
              entries.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
              return m;
            });
  }

  @Provide
  Arbitrary<Map<String, List<String>>> given() {
    Arbitrary<String> name =
        Arbitraries.oneOf(Arbitraries.of(NAMES), Arbitraries.strings().ofMaxLength(6));
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(20),
            Arbitraries.strings().withChars("0123456789.-+eE ;$`'\"\\\n").ofMaxLength(8),
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            Arbitraries.of("--is_dino", "-rf", "$(rm -rf /)", "a b", "", "1e999", "NaN"));
    return Arbitraries.maps(name, value.list().ofMinSize(1).ofMaxSize(2)).ofMaxSize(6);
  }

  @Property(tries = 300)
  void noValueReachesArgvUnchecked(
      @ForAll("labels") Map<String, String> labels,
      @ForAll("given") Map<String, List<String>> given) {
    RunscriptArguments declared = RunscriptArguments.fromLabels(labels);
    CheckedArguments checked = declared.check(given);

    TreeSet<String> undeclared = new TreeSet<>(given.keySet());
    declared.declared().forEach(a -> undeclared.remove(a.name()));
    assertEquals(List.copyOf(undeclared), checked.ignored());

    if (!checked.valid()) {
      assertTrue(checked.argv().isEmpty(), "no argv when there are problems");
      for (ArgumentProblem p : checked.problems()) {
        RunscriptArgument a = declared.argument(p.argument()).orElseThrow();
        assertEquals(a.type().jsonName(), p.expected());
        assertTrue(p.message().contains(p.argument()), p.message());
        assertTrue(p.message().contains(p.expected()), p.message());
      }
      return;
    }
    List<String> argv = checked.argv();
    List<String> flags = new ArrayList<>();
    int i = 0;
    while (i < argv.size()) {
      String flag = argv.get(i);
      assertTrue(flag.startsWith("--"), flag);
      RunscriptArgument a = declared.argument(flag.substring(2)).orElseThrow();
      assertTrue(given.containsKey(a.name()), "only given arguments pass");
      flags.add(a.name());
      if (a.type() == ArgumentType.BOOL) {
        i++;
        continue;
      }
      String word = argv.get(i + 1);
      Pattern form =
          switch (a.type()) {
            case STR -> WORD;
            case INT -> INT;
            default -> FLOAT;
          };
      assertTrue(form.matcher(word).matches(), a + " got " + word);
      assertTrue(word.chars().noneMatch(Character::isWhitespace));
      i += 2;
    }
    // declaration order, each once
    List<String> order =
        declared.declared().stream()
            .map(RunscriptArgument::name)
            .filter(n -> given.containsKey(n) && !given.get(n).isEmpty())
            .toList();
    assertEquals(order, flags);
  }

  @Property
  void stringsAreStrippedToOneWord(@ForAll String value) {
    Optional<String> word = ArgumentType.STR.render(value);
    String expected = value.strip().replaceAll("[^A-Za-z0-9._@+-]", "").replaceFirst("^-+", "");
    if (expected.isEmpty() || expected.length() > ArgumentType.MAX_STRING_LENGTH) {
      assertTrue(word.isEmpty());
    } else {
      assertEquals(Optional.of(expected), word);
    }
  }

  @Property
  void aBoolIsABareFlagWhateverItsValue(@ForAll String value) {
    RunscriptArguments a =
        RunscriptArguments.fromLabels(Map.of("SINGULARITY_RUNSCRIPT_ARG_BOOL", "isHungry"));
    assertEquals(List.of("--isHungry"), a.check(Map.of("isHungry", List.of(value))).argv());
  }

  @Property
  void integersPassOnlyInTheirForm(@ForAll long n, @ForAll String junk) {
    assertEquals(Optional.of(String.valueOf(n)), ArgumentType.INT.render(String.valueOf(n)));
    if (!INT.matcher(junk.strip()).matches()) { // not the form: refused
      assertTrue(ArgumentType.INT.render(junk).isEmpty(), junk);
    }
  }

  @Example
  void theSeedsLabelsDeclareTypedArguments() {
    RunscriptArguments a =
        RunscriptArguments.fromLabels(
            Map.of(
                "SINGULARITY_RUNSCRIPT_ARG_STR", "name,ice-cream",
                "singularity_runscript_arg_int", "age",
                "SINGULARITY_RUNSCRIPT_ARG_FLOAT", "height, weight",
                "SINGULARITY_RUNSCRIPT_ARG_BOOL", "is_male,isHungry",
                "SINGULARITY_RUNSCRIPT_ARG_BOGUS", "nope"));
    assertEquals(
        "name:str ice-cream:str age:int height:float weight:float is_male:bool isHungry:bool",
        String.join(
            " ", a.declared().stream().map(x -> x.name() + ":" + x.type().jsonName()).toList()));
    CheckedArguments c =
        a.check(
            Map.of(
                "name", List.of("Vanessa"),
                "age", List.of("10"),
                "isHungry", List.of("false"),
                "shoe", List.of("42")));
    assertEquals(List.of("--name", "Vanessa", "--age", "10", "--isHungry"), c.argv());
    assertEquals(List.of("shoe"), c.ignored());
    CheckedArguments bad = a.check(Map.of("age", List.of("ten"), "weight", List.of("1", "2")));
    assertFalse(bad.valid());
    assertEquals(
        List.of("age", "weight"), bad.problems().stream().map(ArgumentProblem::argument).toList());
  }
}
