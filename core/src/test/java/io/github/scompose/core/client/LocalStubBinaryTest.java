package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.errors.InstanceAlreadyExistsException;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over the real {@link LocalProcessTransport}, against a stub {@code singularity}
 * script: discovery by explicit path, the env file's mode and content as the binary sees them, its
 * removal, and error mapping of a real process's exit code and stderr.
 */
class LocalStubBinaryTest {

  static final String STUB =
      """
      #!/bin/sh
      if [ "$1" = "--version" ]; then echo "singularity-ce version 4.1.2"; exit 0; fi
      if [ "$1" = "instance" ] && [ "$2" = "start" ]; then
        while [ $# -gt 0 ]; do
          if [ "$1" = "--env-file" ]; then
            echo "envfile=$2"
            echo "mode=$(stat -c %a "$2")"
            cat "$2"
          fi
          if [ "$1" = "taken" ]; then
            printf '\\033[31mFATAL:  \\033[0m instance taken already exists\\n' >&2
            exit 255
          fi
          shift
        done
        echo "SINGULARITYENV_PLAIN=${SINGULARITYENV_PLAIN:-unset}"
        exit 0
      fi
      exit 1
      """;

  static Path stub(Path dir) throws IOException {
    Path p = dir.resolve("singularity");
    Files.writeString(p, STUB);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void envFileIs0600WhileTheBinaryRunsAndGoneAfter(@TempDir Path dir) throws IOException {
    LocalProcessTransport transport = LocalProcessTransport.create();
    SingularityBinary binary =
        BinaryLocator.builder().explicitPath(stub(dir).toString()).build().locate(transport);
    assertEquals(Flavour.SINGULARITY_CE, binary.version().flavour());
    SingularityClient client =
        SingularityClient.builder().transport(transport).binary(binary).build();

    CommandResult r =
        client.start(
            InstanceStart.builder()
                .image("i.sif")
                .name("db")
                .putEnvironment("PASSWORD", "p@ss 'word'\nline2")
                .build());

    List<String> lines = r.stdout().lines().toList();
    assertTrue(lines.get(0).startsWith("envfile="), r.stdout());
    assertEquals("mode=600", lines.get(1));
    assertEquals("PASSWORD='p@ss '\\''word'\\''", lines.get(2));
    assertEquals("line2'", lines.get(3));
    assertEquals("SINGULARITYENV_PLAIN=unset", lines.get(4));
    Path envFile = Path.of(lines.get(0).substring("envfile=".length()));
    assertFalse(Files.exists(envFile), "env file removed after the command");
    assertFalse(r.argv().toString().contains("p@ss"), "no value in argv");
  }

  @Test
  void realStderrMapsToTypedErrors(@TempDir Path dir) throws IOException {
    LocalProcessTransport transport = LocalProcessTransport.create();
    SingularityClient client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                SingularityBinary.of(
                    stub(dir).toString(), BinaryVersion.parse("singularity version 3.4.2")))
            .build();
    InstanceAlreadyExistsException e =
        assertThrows(
            InstanceAlreadyExistsException.class,
            () -> client.start(InstanceStart.of("i.sif", "taken")));
    assertEquals("taken", e.instanceName());
    // 3.4.2 has no --env-file: the variable travels in the environment instead
    CommandResult r =
        client.start(
            InstanceStart.builder().image("i.sif").name("ok").putEnvironment("PLAIN", "v").build());
    assertTrue(r.stdout().contains("SINGULARITYENV_PLAIN=v"), r.stdout());
  }
}
