package io.github.scompose.core.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.posix.Posix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** User ids from a {@code /proc/PID/status} file, the other calls from the delegate. */
class ProcStatusIdsTest {

  @TempDir Path temp;

  private static final String STATUS =
      "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nPid:\t42\n"
          + "Uid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\nGroups:\t27 1000\n";

  @Test
  void theIdsComeFromTheUidLineAndNeedNoDelegate() throws Exception {
    Path status = Files.writeString(temp.resolve("status"), STATUS);
    Posix posix =
        ProcStatusIds.of(
                status,
                () -> {
                  throw new AssertionError("the ids need no native library and no process");
                })
            .orElseThrow();
    assertEquals(1000, posix.getuid());
    assertEquals(0, posix.geteuid());
    assertTrue(posix.isRoot());
  }

  @Test
  void theOtherCallsGoToOneDelegateChosenAtTheFirstOfThem() throws Exception {
    Path status = Files.writeString(temp.resolve("status"), STATUS);
    AtomicInteger chosen = new AtomicInteger();
    Posix posix =
        ProcStatusIds.of(
                status,
                () -> {
                  chosen.incrementAndGet();
                  return SystemPosix.choose("scompose-no-such-libc-for-tests");
                })
            .orElseThrow();
    posix.geteuid();
    assertEquals(0, chosen.get());
    assertEquals(false, posix.isNative());
    assertEquals(false, posix.kill(Integer.MAX_VALUE, 0));
    assertEquals(1, chosen.get());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Name:\tjava\n",
        "Uid:\t1000\n",
        "Uid:\tx\t0\t0\t0\n",
        "Uid:\t-1\t0\t0\t0\n",
        "",
        "no such file"
      })
  void aFileWithoutAWellFormedUidLineLeavesTheChoiceToTheCaller(String content) throws Exception {
    Path status = temp.resolve("status");
    if (!content.equals("no such file")) {
      Files.writeString(status, content);
    }
    assertEquals(Optional.empty(), ProcStatusIds.of(status, () -> null));
  }

  @Test
  void thisProcessHasTheIdsOfTheIdCommand() {
    Posix fromProc = ProcStatusIds.of(Path.of("/proc/self/status"), () -> null).orElseThrow();
    Posix fallback = SystemPosix.choose("scompose-no-such-libc-for-tests"); // runs id -ru, id -u
    assertEquals(fallback.getuid(), fromProc.getuid());
    assertEquals(fallback.geteuid(), fromProc.geteuid());
  }
}
