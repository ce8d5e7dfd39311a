package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.spec.ComposeProject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LoadAhead}: what the second thread loaded and connected with the defaults is used only for
 * the same options, once, and closed when no one took it.
 */
class LoadAheadTest {

  @TempDir Path dir;

  private Supplier<ScomposeCommand> defaultsIn(Path projectDirectory) {
    return () -> {
      ScomposeCommand d = new ScomposeCommand();
      d.projectDirectory = projectDirectory;
      d.runtime = "fake";
      return d;
    };
  }

  private Path project() throws Exception {
    Files.writeString(
        dir.resolve("compose.yaml"),
        "services:\n  web:\n    image: /i/web.sif\n  db:\n    image: /i/db.sif\n");
    return dir;
  }

  @Test
  void onlyCommandsThatLoadAndConnectWithoutGlobalOptionsOrHelpBegin() {
    Supplier<ScomposeCommand> d = defaultsIn(dir);
    assertTrue(begun(new String[] {"up", "-d"}, d));
    assertTrue(begun(new String[] {"down"}, d));
    assertTrue(begun(new String[] {"ps"}, d));
    assertFalse(begun(new String[] {"config"}, d), "config connects to no runtime");
    assertFalse(begun(new String[] {"-f", "x.yml", "up"}, d), "a global option first");
    assertFalse(begun(new String[] {"up", "--help"}, d));
    assertFalse(begun(new String[] {"up", "-h"}, d));
    assertFalse(begun(new String[] {}, d));
  }

  private static boolean begun(String[] args, Supplier<ScomposeCommand> defaults) {
    try (LoadAhead a = LoadAhead.begin(args, defaults)) {
      return a.begun();
    }
  }

  @Test
  void theProjectOfTheSameFilesIsTheOneLoadedAheadAndOtherFilesGetNone() throws Exception {
    Path folder = project();
    try (LoadAhead a = LoadAhead.begin(new String[] {"up", "-d"}, defaultsIn(folder))) {
      ProjectFiles same = new ProjectFiles(List.of(), folder, null, null);
      Optional<ComposeProject> p = a.project(same);
      assertTrue(p.isPresent());
      assertEquals(List.of("web", "db"), p.get().services().stream().map(s -> s.name()).toList());
      assertSame(p.get(), a.project(same).orElseThrow(), "loaded once");
      assertTrue(a.project(new ProjectFiles(List.of(), folder, "other", null)).isEmpty());
      assertTrue(a.project(new ProjectFiles(List.of(), dir.resolve("x"), null, null)).isEmpty());
    }
  }

  @Test
  void aFailedLoadIsLeftToTheCommand() {
    // no compose file: the command loads again and says so itself
    try (LoadAhead a = LoadAhead.begin(new String[] {"up"}, defaultsIn(dir))) {
      assertTrue(a.project(new ProjectFiles(List.of(), dir, null, null)).isEmpty());
    }
  }

  @Test
  void theRuntimeIsTakenOnceForTheSameOptionsWithWhatWasPrinted() throws Exception {
    Path folder = project();
    try (LoadAhead a = LoadAhead.begin(new String[] {"up", "-d"}, defaultsIn(folder))) {
      StringWriter err = new StringWriter();
      assertTrue(a.runtime("real", null, new PrintWriter(err)).isEmpty(), "another --runtime");
      assertTrue(a.runtime("fake", 4, new PrintWriter(err)).isEmpty(), "another --parallel");
      Optional<CliRuntime> r = a.runtime("fake", null, new PrintWriter(err));
      assertTrue(r.isPresent());
      try (CliRuntime runtime = r.get()) {
        assertTrue(runtime.client().list().isEmpty(), "a runtime that answers");
        assertTrue(
            a.runtime("fake", null, new PrintWriter(err)).isEmpty(), "one runtime, one taker");
      }
    }
  }

  @Test
  void nothingIsTakenAfterClose() throws Exception {
    Path folder = project();
    LoadAhead a = LoadAhead.begin(new String[] {"up", "-d"}, defaultsIn(folder));
    a.close();
    assertTrue(a.runtime("fake", null, new PrintWriter(new StringWriter())).isEmpty());
  }
}
