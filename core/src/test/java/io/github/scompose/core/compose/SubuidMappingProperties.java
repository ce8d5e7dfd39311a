package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link RuntimeFacts#detect}'s reading of subuid(5): fakeroot is allowed exactly when some line
 * {@code NAME:START:COUNT} names the user (by name or uid) with numbers and a positive count.
 */
class SubuidMappingProperties {

  record Line(String owner, String start, String count) {
    String text() {
      return owner + ":" + start + ":" + count;
    }

    boolean grants(String user, long uid) {
      return (owner.equals(user) || owner.equals(Long.toString(uid)))
          && start.matches("\\d{1,9}")
          && count.matches("\\d{1,9}")
          && Long.parseLong(count) > 0;
    }
  }

  @Provide
  Arbitrary<List<Line>> files() {
    Arbitrary<String> owner = Arbitraries.of("alice", "bob", "1000", "1001", "alice2", "");
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 300_000).map(String::valueOf),
            Arbitraries.of("", "x", "-1", "0"));
    return Combinators.combine(owner, number, number).as(Line::new).list().ofMaxSize(6);
  }

  @Property(tries = 200)
  void fakerootIsAllowedExactlyWhenALineMapsTheUser(@ForAll("files") List<Line> lines)
      throws IOException {
    Path file = Files.createTempFile("subuid", "");
    try {
      List<String> text = new ArrayList<>();
      lines.forEach(l -> text.add(l.text()));
      Files.write(file, text);
      boolean expected = lines.stream().anyMatch(l -> l.grants("alice", 1000));
      RuntimeFacts facts =
          RuntimeFacts.detect(ReferenceToolUpPlanTest.V342.dialect(), 1000, 1000, "alice", file);
      assertEquals(expected, facts.fakerootAllowed(), String.join("\n", text));
      assertEquals(false, facts.root());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
