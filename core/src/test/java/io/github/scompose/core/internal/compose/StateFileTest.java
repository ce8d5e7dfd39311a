package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.FileStamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  @TempDir Path dir;

  static ProjectState state(String name) {
    return new ProjectState(
        "shop",
        "/work/shop",
        "123@host",
        Instant.parse("2026-01-01T00:00:00Z"),
        List.of(
            new ProjectState.Entry("db", name, 1, 0, "/img/db.sif", 1001, "10.22.0.2", 0, "abc"),
            new ProjectState.Entry("web", "shop-web-1", 1, 1, "/img/w.sif", 0, "", 2, ""),
            new ProjectState.Entry(
                "web",
                "shop-web-2",
                2,
                1,
                "/img/w.sif",
                1002,
                "",
                0,
                "def",
                Optional.of(FileStamp.of(4096, Instant.parse("2026-01-01T00:00:01.5Z"))))));
  }

  @Test
  void writesAtomicallyAndReadsBack() {
    Path file = StateFile.in(dir.resolve(".scompose"));
    StateFile.write(file, state("shop-db-1"));
    assertEquals(state("shop-db-1"), StateFile.read(file).orElseThrow());
    assertFalse(Files.exists(file.resolveSibling("state.json.tmp")));
    StateFile.delete(file);
    assertTrue(StateFile.read(file).isEmpty());
  }

  @Test
  void aForeignFileIsRefusedNamingIt() throws Exception {
    Path file = dir.resolve("state.json");
    Files.writeString(file, "{\"format\": 7}");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateFile.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void aStateFileWrittenBeforeImageStampsReadsWithNone() {
    String old =
        """
        {
          "format": 1,
          "project": "shop",
          "directory": "/work/shop",
          "session": "123@host",
          "updatedAt": "2026-01-01T00:00:00Z",
          "instances": [
            {"service": "db", "name": "shop-db-1", "replica": 1, "level": 0, \
        "image": "/img/db.sif", "pid": 1001, "ip": "", "restarts": 0, "config": "abc"}
          ]
        }
        """;
    ProjectState st = StateFile.parse(old);
    assertEquals(Optional.empty(), st.instances().get(0).imageStamp());
    assertEquals("abc", st.instances().get(0).config());
  }

  @Test
  void theImageStampIsWrittenAsSizeAndInstant() {
    String text = StateFile.render(state("shop-db-1"));
    assertTrue(
        text.contains("\"imageSize\": 4096, \"imageModified\": \"2026-01-01T00:00:01.500Z\""),
        text);
    assertEquals(2, text.split("imageSize", -1).length, "only the stamped entry has one");
  }

  @Property(tries = 300)
  void anyInstanceNameSurvivesTheRoundTrip(@ForAll String name) {
    // text without lone surrogates (which no UTF-8 file can hold)
    net.jqwik.api.Assume.that(name.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    ProjectState s = state(name);
    assertEquals(s, StateFile.parse(StateFile.render(s)));
  }
}
