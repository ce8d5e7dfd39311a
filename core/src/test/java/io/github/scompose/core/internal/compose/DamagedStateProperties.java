package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.core.compose.InstanceNaming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes {@code state.json} or {@code instances.json} hold, reading them gives a state or a
 * {@link DamagedStateException} that names the file and says what is wrong in words (never a Java
 * exception's text such as {@code Input length = 4}); and the names {@code down} matches in the
 * listing when the state is damaged.
 */
class DamagedStateProperties {

  private static final String WORDS =
      "(not UTF-8 \\(byte 0x[0-9a-f]{2} at offset \\d+\\)"
          + "|not JSON at line \\d+, column \\d+( \\(control character U\\+[0-9A-F]{4}\\))?"
          + "|not JSON"
          + "|not (a state file|an instances file) \\([a-zA-Z0-9 \"_,.]+\\))";

  @Property(tries = 300)
  void anyBytesReadAsAStateOrAreNamedInWords(@ForAll @Size(max = 200) byte[] bytes)
      throws IOException {
    check(bytes);
  }

  @Property(tries = 300)
  void anyCutOfAStateFileReadsAsAStateOrIsNamedInWords(@ForAll("cuts") String text)
      throws IOException {
    check(text.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> cuts() {
    String whole =
        StateFile.render(
            new ProjectState(
                "shop",
                "/work/shop",
                "1@host",
                java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.util.List.of(
                    new ProjectState.Entry(
                        "db",
                        "shop-db-1",
                        1,
                        0,
                        "/i/db.sif",
                        7,
                        "",
                        0,
                        "abc",
                        Optional.empty(),
                        true))));
    return Arbitraries.integers().between(0, whole.length()).map(n -> whole.substring(0, n));
  }

  private static void check(byte[] bytes) throws IOException {
    Path dir = Files.createTempDirectory("damaged");
    try {
      Path state = StateFile.in(dir);
      Files.write(state, bytes);
      Files.write(InstanceRecords.in(dir), bytes);
      for (Runnable read :
          new Runnable[] {() -> StateFile.read(state), () -> InstanceRecords.read(dir)}) {
        try {
          read.run();
        } catch (DamagedStateException e) {
          assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
          assertTrue(e.problem().matches(WORDS), e.getMessage());
          assertEquals(null, e.getCause(), "no cause quoting the content");
        }
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  @Example
  void aStartingEntryIsWrittenAndReadBack() {
    ProjectState.Entry e =
        new ProjectState.Entry(
            "db", "shop-db-1", 1, 0, "/i/db.sif", 0, "", 0, "abc", Optional.empty(), true);
    ProjectState s =
        new ProjectState(
            "shop",
            "/w",
            "1@h",
            java.time.Instant.EPOCH,
            java.util.List.of(e, e.withRun(5, 0, Optional.empty())));
    ProjectState back = StateFile.parse(StateFile.render(s));
    assertTrue(back.instances().get(0).starting());
    assertTrue(back.instances().get(1).starting(), "withRun keeps the mark");
    assertEquals(s, back);
  }

  // ---- names ------------------------------------------------------------------------------------

  @Property
  void theDefaultNamesOfAProjectAreItsOwn(
      @ForAll("names") String project,
      @ForAll("names") String service,
      @ForAll @IntRange(min = 1, max = 500) int replica) {
    String name = InstanceNaming.PROJECT.name(project, service, replica);
    assertEquals(Optional.of(service), ProjectInstanceNames.of(project).service(name));
    assertEquals(
        Optional.of(service),
        new ProjectInstanceNames(project, InstanceNaming.PROJECT, Set.of(service)).service(name));
    assertEquals(
        Optional.empty(),
        new ProjectInstanceNames(project, InstanceNaming.PROJECT, Set.of(service + "x"))
            .service(name));
    assertEquals(Optional.empty(), ProjectInstanceNames.of(project + "x").service(name));
    assertEquals(Optional.empty(), ProjectInstanceNames.of(project).service(name + "x"));
    assertEquals(
        Optional.empty(),
        ProjectInstanceNames.of(project).service(name.replaceAll("-\\d+$", "-0")));
  }

  @Property
  void compatNamesAreMatchedOnlyWithTheProjectsServices(
      @ForAll("names") String service, @ForAll @IntRange(min = 1, max = 500) int replica) {
    String name = InstanceNaming.REFERENCE.name("any", service, replica);
    assertEquals(
        Optional.of(service),
        new ProjectInstanceNames("p", InstanceNaming.REFERENCE, Set.of(service)).service(name));
    assertEquals(
        Optional.empty(),
        new ProjectInstanceNames("p", InstanceNaming.REFERENCE, Set.of(service))
            .service(name + "x"));
    assertEquals(
        Optional.empty(),
        new ProjectInstanceNames("p", InstanceNaming.REFERENCE, Set.of()).service(name));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars('-', '_', '0', '9')
        .ofMinLength(1)
        .ofMaxLength(12)
        .filter(s -> Character.isLetter(s.charAt(0)));
  }
}
