package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import io.github.scompose.network.PlannedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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

  private StatePreparation() {}

  /**
   * Whether the file at {@code path} on this machine already has {@code content} and {@link
   * #BOUND_FILE} permissions (one stat, and one read when the size matches); false when it cannot
   * be told.
   */
  static boolean holds(LocalFileTransport files, String path, byte[] content) {
    try {
      Optional<FileStamp> stamp = files.stat(path);
      if (stamp.isEmpty()
          || stamp.get().size() != content.length
          || !stamp.get().permissions().equals(Optional.of(BOUND_FILE))) {
        return false;
      }
      Optional<byte[]> now = files.readFile(path, 0);
      return now.isPresent() && Arrays.equals(now.get(), content);
    } catch (TransportException e) {
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
   * hostPaths} that are missing.
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
      if (transport instanceof LocalFileTransport local && holds(local, path, content)) {
        continue; // as the last up left it: a rewrite costs a temporary file and an fsync (issue
        // 11)
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
