package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.internal.client.VersionCache;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: the version probe is cached per binary path and modification time, so a second CLI run
 * makes none. The binary is a stub script that logs each time it runs, reached through the real
 * {@link LocalProcessTransport}.
 */
class BinaryVersionCacheTest {

  @TempDir Path tmp;

  Path stub(String version) throws Exception {
    Path bin = tmp.resolve("bin");
    Files.createDirectories(bin);
    Path script = bin.resolve("singularity");
    Files.writeString(
        script,
        "#!/bin/sh\necho \"$@\" >> '" + tmp.resolve("calls.log") + "'\necho '" + version + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  int probes() throws Exception {
    Path log = tmp.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  SingularityBinary locate(Path program, Path cache) {
    try (LocalProcessTransport local = LocalProcessTransport.create()) {
      return BinaryLocator.builder()
          .explicitPath(program.toString())
          .versionCache(cache)
          .build()
          .locate(local);
    }
  }

  @Test
  void aSecondRunMakesNoProbeUntilTheBinaryChanges() throws Exception {
    Path program = stub("singularity version 3.4.2");
    Path cache = tmp.resolve("cache/scompose/binary-versions.properties");
    SingularityBinary first = locate(program, cache);
    assertEquals(1, probes());
    assertEquals(BinaryVersion.of(Flavour.SINGULARITY, 3, 4, 2), first.version());
    assertTrue(Files.exists(cache));
    assertEquals(
        PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(cache));

    SingularityBinary second = locate(program, cache);
    assertEquals(1, probes(), "no probe on the second run");
    assertEquals(first, second);
    assertEquals(program.toString(), second.program(), "the program as given, not the real path");

    // replaced in place (an upgrade): another modification time, probed again
    stub("singularity version 3.5.0");
    Files.setLastModifiedTime(program, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    assertEquals(5, locate(program, cache).version().minor());
    assertEquals(2, probes());
    assertEquals(5, locate(program, cache).version().minor());
    assertEquals(2, probes());
  }

  @Test
  void aCorruptCacheIsIgnoredAndRewritten() throws Exception {
    Path program = stub("apptainer version 1.3.4");
    Path cache = tmp.resolve("binary-versions.properties");
    Files.write(cache, new byte[] {'\\', 'u', '1', 'x', '\n', (byte) 0xff, '=', '=', '\n'});
    assertEquals(Flavour.APPTAINER, locate(program, cache).version().flavour());
    assertEquals(1, probes());
    assertEquals(Flavour.APPTAINER, locate(program, cache).version().flavour());
    assertEquals(1, probes(), "the rewritten cache serves the second run");

    // an entry whose version line is not a version: probed again and rewritten
    String text = Files.readString(cache, StandardCharsets.UTF_8);
    Files.writeString(cache, text.replace("apptainer version 1.3.4", "garbage"));
    assertEquals(Flavour.APPTAINER, locate(program, cache).version().flavour());
    assertEquals(2, probes());
    assertTrue(Files.readString(cache).contains("apptainer version 1.3.4"));
  }

  @Test
  void aCacheThatCannotBeWrittenLeavesTheProbeWorking() throws Exception {
    Path program = stub("singularity version 3.4.2");
    Path blocker = tmp.resolve("file");
    Files.writeString(blocker, "not a directory");
    Path cache = blocker.resolve("binary-versions.properties");
    assertEquals(3, locate(program, cache).version().major());
    assertEquals(3, locate(program, cache).version().major());
    assertEquals(2, probes(), "no cache, a probe each time");
  }

  @Test
  void otherTransportsAlwaysProbe() {
    List<List<String>> calls = new ArrayList<>();
    Transport remote =
        new LocalFileTransport() {
          @Override
          public CommandResult run(CommandRequest request) {
            calls.add(request.argv());
            return CommandResult.builder()
                .argv(request.argv())
                .exitCode(0)
                .stdout("singularity version 3.4.2\n")
                .stderr("")
                .duration(java.time.Duration.ZERO)
                .build();
          }

          @Override
          public RunningCommand start(CommandRequest request, OutputListener listener) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Optional<byte[]> readFile(String path, long offset) {
            return Optional.empty();
          }

          @Override
          public String describe() {
            return "remote";
          }

          @Override
          public void close() {}
        };
    Path cache = tmp.resolve("binary-versions.properties");
    BinaryLocator locator =
        BinaryLocator.builder().explicitPath("/usr/bin/singularity").versionCache(cache).build();
    locator.locate(remote);
    locator.locate(remote);
    assertEquals(2, calls.size());
    assertFalse(Files.exists(cache));
  }

  @Test
  void theUserFileFollowsXdgCacheHome() {
    assertEquals(
        Path.of("/x/cache/scompose/binary-versions.properties"),
        VersionCache.userFile(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"));
    assertEquals(
        Path.of("/home/u/.cache/scompose/binary-versions.properties"),
        VersionCache.userFile(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"));
    assertEquals(
        Path.of("/home/u/.cache/scompose/binary-versions.properties"),
        VersionCache.userFile(Map.of(), "/home/u"));
  }
}
