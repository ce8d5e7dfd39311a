package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.PlannedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code prepare} of the compose engine, before instances start ({@code up}, {@code
 * create}, {@code start}, {@code restart}): the state directory (owner-only, here), then where the
 * binary runs (through the transport; over SSH, the remote host) the hosts/resolver files bound
 * into instances ({@code rw-r--r--}), the named-volume folders and the missing bind sources.
 */
public final class StatePreparation {

  private static final Logger LOG = LoggerFactory.getLogger(StatePreparation.class);

  /** The permissions of the files bound into instances ({@code hosts}, {@code resolv.conf}). */
  private static final Set<PosixFilePermission> BOUND_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** {@link #BOUND_FILE} as a mode, with no setuid, setgid or sticky bit. */
  private static final int BOUND_MODE = 0644;

  private StatePreparation() {}

  /**
   * Whether {@code path} on this machine is already a regular file (not a link) with {@code
   * content} and mode {@link #BOUND_MODE}: one stat without following links, and one read when the
   * size matches. Read with {@code java.nio}, not through the transport (whose file operations
   * count as the engine's own, e.g. one stat per image): a {@link LocalFileTransport}'s files are
   * this machine's. False when it cannot be told.
   */
  static boolean unchanged(String path, byte[] content) {
    try {
      Path file = Path.of(path);
      Map<String, Object> a =
          Files.readAttributes(file, "unix:mode,size,isRegularFile", LinkOption.NOFOLLOW_LINKS);
      if (!Boolean.TRUE.equals(a.get("isRegularFile"))
          || !Long.valueOf(content.length).equals(a.get("size"))
          || !(a.get("mode") instanceof Integer mode)
          || (mode & 07777) != BOUND_MODE) {
        return false;
      }
      return Arrays.equals(Files.readAllBytes(file), content);
    } catch (IOException | RuntimeException e) {
      return false; // written below, which reports what is wrong
    }
  }

  /**
   * Prepares for {@code plan}: its files, volume folders and host paths.
   *
   * @throws UncheckedIOException when the state directory cannot be created
   */
  public static void prepare(Transport transport, UpPlan plan) {
    Map<String, String> files = new LinkedHashMap<>();
    for (PlannedFile f : plan.files()) {
      files.put(f.fileName(), f.content());
    }
    prepare(
        transport,
        plan.project(),
        plan.stateDirectory(),
        files,
        plan.volumeDirectories().stream().map(Path::toString).toList(),
        plan.hostPathDirectories().stream().map(Path::toString).toList());
  }

  /**
   * Prepares the state directory {@code state} of {@code project}: {@code files} (file name in the
   * state directory → content), the folders {@code volumeDirectories}, and those of {@code
   * hostPaths} that are missing. A file is written atomically ({@link Transport#writeFile}) unless
   * the transport's files are this machine's ({@link LocalFileTransport}) and the file already has
   * that content and mode {@code 0644} (left as the last {@code up} wrote it: instances that bind
   * it see the same file either way).
   *
   * @throws UncheckedIOException when the state directory cannot be created
   */
  public static void prepare(
      Transport transport,
      String project,
      Path state,
      Map<String, String> files,
      Collection<String> volumeDirectories,
      Collection<String> hostPaths) {
    try {
      StateFile.createOwnerOnlyDirectories(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + state, e);
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      // bound into instances: written where the binary runs (over SSH, the remote host)
      String path = state.resolve(f.getKey()).toString();
      byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
      if (transport instanceof LocalFileTransport && unchanged(path, content)) {
        // as the last up left it: a rewrite costs a temporary file and an fsync (issue 11)
        continue;
      }
      transport.writeFile(path, content, BOUND_FILE);
    }
    for (String dir : volumeDirectories) {
      // bound into instances: created where the binary runs (over SSH, the remote host)
      transport.createDirectories(dir);
    }
    createHostPaths(transport, project, hostPaths);
  }

  /** Creates the missing bind sources of {@link UpPlan#hostPathDirectories()} (see below). */
  public static void createHostPaths(Transport transport, UpPlan plan) {
    createHostPaths(
        transport,
        plan.project(),
        plan.hostPathDirectories().stream().map(Path::toString).toList());
  }

  /**
   * Creates those of {@code directories} that are missing where the binary runs (through the
   * transport). A path with anything at it (a file: the exists probe reads it; a directory or an
   * unreadable file: the probe fails) is left alone.
   */
  static void createHostPaths(Transport transport, String project, Collection<String> directories) {
    for (String path : directories) {
      boolean missing;
      try {
        missing = transport.readFile(path, Long.MAX_VALUE).isEmpty();
      } catch (RuntimeException present) {
        missing = false; // a directory (not readable as a file) or an unreadable file: it exists
      }
      if (missing) {
        LOG.info("{}: creating the missing bind source {}", project, path);
        transport.createDirectories(path);
      }
    }
  }
}
