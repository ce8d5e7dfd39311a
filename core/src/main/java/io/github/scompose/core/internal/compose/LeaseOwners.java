package io.github.scompose.core.internal.compose;

import io.github.scompose.network.LeaseLiveness;
import io.github.scompose.network.LeaseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which project state directory owns the leases of a project, so that another project's planning
 * can tell a stopped instance (recorded in its project's state file, stopped by {@code stop}) from
 * a stale lease: one small file per project, {@code <lease file>.projects/<project>}, holding the
 * absolute path of the project's state directory. Written by every plan of an engine with a lease
 * store (also in host networking, where it takes no leases), removed by {@code down}.
 *
 * <p>{@link #liveness} counts a lease as live while its instance is listed, or while the state file
 * of its project records it (the instance may be stopped; {@code start} brings it back with the
 * same address). A lease whose project has no such file, or whose state file no longer records the
 * instance, is live only while listed.
 */
public final class LeaseOwners {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseOwners.class);

  private LeaseOwners() {}

  /** The folder of the owner files of {@code store}. */
  static Path directory(LeaseStore store) {
    return store.file().resolveSibling(store.file().getFileName() + ".projects");
  }

  private static Path fileOf(LeaseStore store, String project) {
    return directory(store).resolve(URLEncoder.encode(project, StandardCharsets.UTF_8));
  }

  /**
   * Records that {@code stateDirectory} holds the state of {@code project}.
   *
   * @throws UncheckedIOException when the owner file cannot be written
   */
  public static void record(LeaseStore store, String project, Path stateDirectory) {
    Path file = fileOf(store, project);
    String text = stateDirectory.toAbsolutePath().normalize().toString();
    try {
      if (Files.isRegularFile(file)
          && java.util.Arrays.equals(
              Files.readAllBytes(file), text.getBytes(StandardCharsets.UTF_8))) {
        return;
      }
      Files.createDirectories(file.getParent());
      StateFile.writeAtomically(
          file, text, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Removes the owner file of {@code project} when it names {@code stateDirectory}. */
  public static void forget(LeaseStore store, String project, Path stateDirectory) {
    Path file = fileOf(store, project);
    try {
      // bytes, not a strict UTF-8 read: a damaged owner file is removed, never reported as
      // a decoder's "Input length = N"
      if (new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
          .equals(stateDirectory.toAbsolutePath().normalize().toString())) {
        Files.deleteIfExists(file);
      }
    } catch (NoSuchFileException e) {
      // nothing recorded
    } catch (IOException e) {
      LOG.warn("cannot remove the lease owner file {}: {}", file, e.getMessage());
    }
  }

  /**
   * Live while listed ({@code listed} instance names) or recorded in its project's state file. Each
   * project's state file is read at most once per liveness object.
   */
  public static LeaseLiveness liveness(LeaseStore store, Set<String> listed) {
    Map<String, Set<String>> recorded = new HashMap<>();
    return lease ->
        listed.contains(lease.instance())
            || recorded
                .computeIfAbsent(lease.project(), p -> recordedInstances(store, p))
                .contains(lease.instance());
  }

  /**
   * The instances that other projects than {@code project} record: for each owner file of {@code
   * store} but {@code project}'s, the names in its state directory's state file and instance
   * records (a damaged or missing file adds nothing), plus every instance another project's lease
   * names. For {@code down} of a project whose own files are damaged, so that it leaves these
   * alone.
   */
  public static Set<String> recordedByOthers(LeaseStore store, String project) {
    Set<String> out = new HashSet<>();
    store.leases().stream()
        .filter(l -> !l.project().equals(project))
        .forEach(l -> out.add(l.instance()));
    Path owners = directory(store);
    if (!Files.isDirectory(owners)) {
      return out;
    }
    try (var files = Files.list(owners)) {
      for (Path file : files.toList()) {
        String other =
            java.net.URLDecoder.decode(file.getFileName().toString(), StandardCharsets.UTF_8);
        if (other.equals(project)) {
          continue;
        }
        Path stateDirectory;
        try {
          stateDirectory =
              Path.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
          LOG.warn("cannot read the lease owner file {}: {}", file, e.getMessage());
          continue;
        }
        try {
          StateFile.read(StateFile.in(stateDirectory))
              .ifPresent(st -> st.instances().forEach(e -> out.add(e.name())));
        } catch (RuntimeException e) {
          LOG.debug("the state of project {} is unreadable: {}", other, e.getMessage());
        }
        try {
          InstanceRecords.read(stateDirectory)
              .ifPresent(c -> c.instances().forEach(r -> out.add(r.name())));
        } catch (RuntimeException e) {
          LOG.debug("the records of project {} are unreadable: {}", other, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list the lease owner files in {}: {}", owners, e.getMessage());
    }
    return out;
  }

  private static Set<String> recordedInstances(LeaseStore store, String project) {
    Path file = fileOf(store, project);
    try {
      Path stateDirectory =
          Path.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip());
      Optional<ProjectState> state = StateFile.read(StateFile.in(stateDirectory));
      Set<String> out = new HashSet<>();
      state
          .filter(s -> s.project().equals(project))
          .ifPresent(s -> s.instances().forEach(e -> out.add(e.name())));
      return out;
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the owner of the leases of project {}: {}", project, e.getMessage());
      return Set.of();
    }
  }
}
