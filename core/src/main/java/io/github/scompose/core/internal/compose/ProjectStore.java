package io.github.scompose.core.internal.compose;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one owner of a project's saved state in its state directory: the state file ({@link
 * StateFile}, {@link ProjectState}: which instances the project has, their level, address, PID and
 * digest), the instance records ({@link InstanceRecords}: how each was started, for {@code start},
 * {@code exec} and {@code down} from any process), and the directory's lock ({@link
 * StateDirectoryLock}). The lease owner files of the lease store ({@link LeaseOwners}) name the
 * state directory that owns a project's leases.
 *
 * <p><b>One rule, records first</b>: a state file never names an instance whose records are
 * missing. So the records are written before the state file that names their instances ({@link
 * #save}), and a state file is removed before its records ({@link #remove}); each file is replaced
 * atomically (a temporary sibling renamed over it), and both steps run under the state directory's
 * lock, so a reader in any process sees the old pair or the new one. A JVM that dies between the
 * two steps leaves records without a state file (harmless: {@code up} rewrites them, {@code down}
 * of a damaged state reads them) — never the other way round.
 */
public final class ProjectStore {

  private final Path directory;

  private ProjectStore(Path directory) {
    this.directory = directory;
  }

  /** The store of the state directory {@code stateDirectory}. */
  public static ProjectStore in(Path stateDirectory) {
    return new ProjectStore(stateDirectory);
  }

  /** The state directory. */
  public Path directory() {
    return directory;
  }

  /**
   * The state file's content; empty when there is none.
   *
   * @throws io.github.scompose.core.compose.DamagedStateException when it is damaged
   */
  public Optional<ProjectState> state() {
    return StateFile.read(StateFile.in(directory));
  }

  /**
   * The instance records; empty when there are none.
   *
   * @throws io.github.scompose.core.compose.DamagedStateException when they are damaged
   */
  public Optional<InstanceRecords.Content> records() {
    return InstanceRecords.read(directory);
  }

  /** Runs {@code action} holding the state directory's lock, in this JVM and across processes. */
  public <T> T locked(Supplier<T> action) {
    return StateDirectoryLock.holding(directory, action);
  }

  /** Records first, then the state (see the class comment), under the lock. */
  public void save(InstanceRecords.Content records, ProjectState state) {
    locked(
        () -> {
          saveHoldingLock(Optional.of(records), state);
          return null;
        });
  }

  /**
   * {@link #save} for a caller that holds the lock. Without records (a state of an older version,
   * or none to keep), the state is written and then the records file removed.
   */
  void saveHoldingLock(Optional<InstanceRecords.Content> records, ProjectState state) {
    if (records.isPresent()) {
      InstanceRecords.write(directory, records.get());
      StateFile.write(StateFile.in(directory), state);
    } else {
      StateFile.write(StateFile.in(directory), state);
      InstanceRecords.delete(directory);
    }
  }

  /** The state file first, then the records (see the class comment), under the lock. */
  public void remove() {
    locked(
        () -> {
          removeHoldingLock();
          return null;
        });
  }

  /** {@link #remove} for a caller that holds the lock. */
  void removeHoldingLock() {
    StateFile.delete(StateFile.in(directory));
    InstanceRecords.delete(directory);
  }
}
