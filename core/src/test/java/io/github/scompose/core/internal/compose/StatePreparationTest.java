package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.scompose.core.transport.LocalProcessTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StatePreparation}: the files bound into instances are written when their content or
 * permissions differ, and left as they are (same inode) when the last up left them so.
 */
class StatePreparationTest {

  @TempDir Path dir;

  private Object prepare(Map<String, String> files) throws Exception {
    try (LocalProcessTransport t = LocalProcessTransport.create()) {
      StatePreparation.prepare(t, "p", dir, files, List.of(), List.of());
    }
    return Files.readAttributes(dir.resolve("etc.hosts"), BasicFileAttributes.class).fileKey();
  }

  @Test
  void anUnchangedFileIsLeftAndAChangedOneReplaced() throws Exception {
    Object first = prepare(Map.of("etc.hosts", "127.0.0.1 localhost\n"));
    assertEquals("rw-r--r--", perms());
    assertEquals(first, prepare(Map.of("etc.hosts", "127.0.0.1 localhost\n")), "left as it was");

    Object changed = prepare(Map.of("etc.hosts", "127.0.0.1 localhost\n10.22.0.2 web\n"));
    assertNotEquals(first, changed, "new content: a new file renamed over the old one");
    assertEquals(
        "127.0.0.1 localhost\n10.22.0.2 web\n", Files.readString(dir.resolve("etc.hosts")));

    Files.setPosixFilePermissions(
        dir.resolve("etc.hosts"), PosixFilePermissions.fromString("rw-------"));
    Object repaired = prepare(Map.of("etc.hosts", "127.0.0.1 localhost\n10.22.0.2 web\n"));
    assertNotEquals(changed, repaired, "other permissions: written again");
    assertEquals("rw-r--r--", perms());

    Path elsewhere =
        Files.writeString(dir.resolve("elsewhere"), "127.0.0.1 localhost\n10.22.0.2 web\n");
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-r--r--"));
    Files.delete(dir.resolve("etc.hosts"));
    Files.createSymbolicLink(dir.resolve("etc.hosts"), elsewhere);
    prepare(Map.of("etc.hosts", "127.0.0.1 localhost\n10.22.0.2 web\n"));
    assertFalse(Files.isSymbolicLink(dir.resolve("etc.hosts")), "a link is replaced by a file");

    Files.setPosixFilePermissions(
        dir.resolve("etc.hosts"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setAttribute(dir.resolve("etc.hosts"), "unix:mode", 01644);
    Object sticky =
        Files.readAttributes(dir.resolve("etc.hosts"), BasicFileAttributes.class).fileKey();
    assertNotEquals(
        sticky,
        prepare(Map.of("etc.hosts", "127.0.0.1 localhost\n10.22.0.2 web\n")),
        "a sticky bit: written again");

    Files.writeString(dir.resolve("etc.hosts"), "127.0.0.1 localhosT\n10.22.0.2 web\n");
    Files.setPosixFilePermissions(
        dir.resolve("etc.hosts"), PosixFilePermissions.fromString("rw-r--r--"));
    prepare(Map.of("etc.hosts", "127.0.0.1 localhost\n10.22.0.2 web\n"));
    assertEquals(
        "127.0.0.1 localhost\n10.22.0.2 web\n",
        Files.readString(dir.resolve("etc.hosts")),
        "same size, other bytes: written again");
  }

  private String perms() throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("etc.hosts")));
  }
}
