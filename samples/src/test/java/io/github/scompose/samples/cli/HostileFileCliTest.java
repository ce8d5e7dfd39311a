package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scompose check} on hostile files (issue 12), in-process: exit 2 and one located line,
 * never a stack trace or a Java exception's text. The loader's golden tests cover every class of
 * hostile file; these check what the CLI prints for them.
 */
class HostileFileCliTest {

  @TempDir Path temp;

  private static void assertNoJavaText(String err) {
    assertFalse(err.contains("Exception"), err);
    assertFalse(err.contains("Error:"), err);
    assertFalse(err.contains("\tat "), err);
  }

  @Test
  void tenThousandNestedListsExitTwoWithTheirPlace() throws IOException {
    Path file = temp.resolve("compose.yml");
    Files.writeString(
        file,
        "services:\n  web:\n    image: nginx\n    labels: "
            + "[".repeat(10_000)
            + "]".repeat(10_000)
            + "\n");
    ScomposeCommandTest.Run run = ScomposeCommandTest.run("-f", file.toString(), "check");
    assertEquals(2, run.code(), run.err());
    assertEquals(
        file
            + ":4:110: lists and mappings are nested more than 100 deep here; the limit is 100"
            + " levels\n",
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void invalidUtf8ExitsTwoAtTheBadByte() throws IOException {
    Path file = temp.resolve("singularity-compose.yml");
    Files.write(
        file,
        new byte[] {
          'v',
          'e',
          'r',
          's',
          'i',
          'o',
          'n',
          ':',
          ' ',
          '"',
          '2',
          '.',
          '0',
          '"',
          '\n',
          'x',
          ':',
          ' ',
          (byte) 0xFF,
          '\n'
        });
    ScomposeCommandTest.Run run = ScomposeCommandTest.run("-f", file.toString(), "check");
    assertEquals(2, run.code(), run.err());
    assertEquals(
        file
            + ":2:4: invalid UTF-8: byte 0xFF cannot appear here; save the file as UTF-8 (Latin-1"
            + " and UTF-16 are not read)\n",
        run.err());
    assertNoJavaText(run.err());
  }

  @Test
  void anIncludeOfADeviceExitsTwoNamingIt() throws IOException {
    Path file = temp.resolve("compose.yml");
    Files.writeString(file, "include: [/dev/zero]\nservices:\n  web:\n    image: nginx\n");
    ScomposeCommandTest.Run run = ScomposeCommandTest.run("-f", file.toString(), "check");
    assertEquals(2, run.code(), run.err());
    assertEquals(
        file
            + ":1:11: include[0]: cannot read /dev/zero: it is not a regular file (a device, pipe"
            + " or socket); only regular files are read\n",
        run.err());
  }
}
