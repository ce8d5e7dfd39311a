package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ParsedFiles}: a state directory file read back unchanged is not read again; any
 * replacement, by this JVM or by another writer's rename, is.
 */
class ParsedFilesTest {

  @TempDir Path dir;

  /** A reader that counts its reads. */
  private static final class Counting implements Function<Path, Optional<String>> {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Optional<String> apply(Path file) {
      reads.incrementAndGet();
      try {
        return Optional.of(Files.readString(file));
      } catch (java.nio.file.NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** What another process does: a new file renamed over the old one. */
  private static void replaceByRename(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "other.", ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void anUnchangedFileIsReadOnce() throws IOException {
    Path file = dir.resolve("a.json");
    Files.writeString(file, "one");
    Counting reader = new Counting();
    String first = ParsedFiles.read(file, String.class, reader).orElseThrow();
    String second = ParsedFiles.read(file, String.class, reader).orElseThrow();
    assertEquals("one", first);
    assertSame(first, second);
    assertEquals(1, reader.reads.get());
  }

  @Test
  void aFileRenamedOverItIsReadAgain() throws IOException {
    Path file = dir.resolve("a.json");
    Files.writeString(file, "one");
    Counting reader = new Counting();
    ParsedFiles.read(file, String.class, reader);
    replaceByRename(file, "two");
    assertEquals("two", ParsedFiles.read(file, String.class, reader).orElseThrow());
    assertEquals(2, reader.reads.get());
  }

  @Test
  void anEditInPlaceThatChangesTheSizeIsReadAgain() throws IOException {
    Path file = dir.resolve("a.json");
    Files.writeString(file, "one");
    Counting reader = new Counting();
    ParsedFiles.read(file, String.class, reader);
    Files.writeString(file, "three"); // same inode
    assertEquals("three", ParsedFiles.read(file, String.class, reader).orElseThrow());
  }

  @Test
  void aDeletedFileIsEmptyAndAFailedReadIsNotRemembered() throws IOException {
    Path file = dir.resolve("a.json");
    Files.writeString(file, "one");
    Counting reader = new Counting();
    ParsedFiles.read(file, String.class, reader);
    Files.delete(file);
    assertTrue(ParsedFiles.read(file, String.class, reader).isEmpty());
    Files.writeString(file, "bad");
    Function<Path, Optional<String>> failing =
        f -> {
          throw new IllegalStateException("not a file of this kind");
        };
    assertThrows(IllegalStateException.class, () -> ParsedFiles.read(file, String.class, failing));
    assertThrows(IllegalStateException.class, () -> ParsedFiles.read(file, String.class, failing));
  }

  @Test
  void aValueOfAnotherKindIsNotHandedOut() throws IOException {
    Path file = dir.resolve("a.json");
    Files.writeString(file, "12");
    ParsedFiles.read(file, String.class, new Counting());
    Optional<Integer> n =
        ParsedFiles.read(file, Integer.class, f -> Optional.of(Integer.parseInt("12")));
    assertEquals(12, n.orElseThrow());
  }

  @Test
  void theStateThisJvmWroteIsReadBackWithoutAReadAndAnotherWritersIsRead() throws IOException {
    Path file = StateFile.in(dir.resolve(".scompose"));
    ProjectState mine = StateFileTest.state("shop-db-1");
    StateFile.write(file, mine);
    assertSame(mine, StateFile.read(file).orElseThrow(), "remembered at the write");
    ProjectState theirs = StateFileTest.state("shop-db-9");
    replaceByRename(file, StateFile.render(theirs));
    assertEquals(theirs, StateFile.read(file).orElseThrow());
  }

  /** One step of a run: this JVM writes, another writer renames a file over, or it is deleted. */
  record Step(int kind, int n) {}

  @Provide
  Arbitrary<List<Step>> runs() {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3))
        .as(Step::new)
        .list()
        .ofMaxSize(12);
  }

  /**
   * Whatever this JVM and other writers do to the state file, a read returns what parsing the file
   * as it is now gives.
   */
  @Property(tries = 60)
  void aReadAlwaysGivesTheFilesCurrentContent(@ForAll("runs") List<Step> run) throws IOException {
    Path state = Files.createTempDirectory("parsed-files"); // jqwik has no @TempDir
    Path file = StateFile.in(state);
    try {
      check(run, file);
    } finally {
      try (var files = Files.walk(state)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void check(List<Step> run, Path file) throws IOException {
    for (Step step : run) {
      ProjectState s =
          new ProjectState(
              "p" + step.n(), "/w", "1@h", Instant.EPOCH.plusSeconds(step.n()), List.of());
      switch (step.kind()) {
        case 0 -> StateFile.write(file, s);
        case 1 -> replaceByRename(file, StateFile.render(s));
        default -> StateFile.delete(file);
      }
      Optional<ProjectState> expected =
          Files.exists(file)
              ? Optional.of(StateFile.parse(Files.readString(file)))
              : Optional.empty();
      assertEquals(expected, StateFile.read(file), "after " + step + " of " + run);
    }
  }
}
