package io.github.scompose.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.internal.transport.SshRemoteFiles;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link FileStamp#permissions()}: the octal mode {@code stat -c %a} prints (parsed by {@link
 * SshRemoteFiles#parseStat}) maps to the same permission set {@link SshRemoteFiles#octal} writes,
 * and the permissions are not part of a stamp's equality (the image fingerprint).
 */
class FileStampProperties {

  @Property(tries = 512)
  void everyOctalModeParsesToThePermissionsThatPrintAsIt(
      @ForAll @IntRange(min = 0, max = 0777) int mode,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long size,
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long mtime) {
    FileStamp s =
        SshRemoteFiles.parseStat(size + " " + mtime + " " + Integer.toOctalString(mode))
            .orElseThrow();
    assertEquals(size, s.size());
    assertEquals(Instant.ofEpochSecond(mtime), s.modified());
    assertEquals(Integer.toOctalString(mode), SshRemoteFiles.octal(s.permissions().orElseThrow()));
    assertEquals((mode & 077) == 0, s.ownerOnly(), Integer.toOctalString(mode));
  }

  @Property(tries = 200)
  void permissionsDoNotTakePartInEquality(@ForAll @IntRange(min = 0, max = 0777) int mode) {
    FileStamp bare = FileStamp.of(10, Instant.EPOCH);
    FileStamp with = FileStamp.of(10, Instant.EPOCH, SshRemoteFiles.permissions(mode));
    assertEquals(bare, with);
    assertEquals(bare.hashCode(), with.hashCode());
    assertNotEquals(bare, FileStamp.of(11, Instant.EPOCH, SshRemoteFiles.permissions(mode)));
  }

  @Example
  void setUidAndStickyBitsAreDroppedAndOtherOutputIsRefused() {
    assertEquals(
        "rwsr-x---".replace('s', 'x'),
        PosixFilePermissions.toString(
            SshRemoteFiles.parseStat("1 2 4750").orElseThrow().permissions().orElseThrow()));
    assertTrue(SshRemoteFiles.parseStat("1 2 1600").orElseThrow().ownerOnly(), "sticky bit only");
    assertEquals(Optional.empty(), SshRemoteFiles.parseStat("1 2"));
    assertEquals(Optional.empty(), SshRemoteFiles.parseStat("1 2 0800"));
    assertEquals(Optional.empty(), SshRemoteFiles.parseStat("1 2 rw-------"));
    assertEquals(Optional.empty(), SshRemoteFiles.parseStat("-1 2 600"));
    assertEquals(Optional.empty(), SshRemoteFiles.parseStat("1 2 600 4"));
    assertFalse(FileStamp.of(1, Instant.EPOCH).ownerOnly(), "unknown is not owner-only");
  }
}
