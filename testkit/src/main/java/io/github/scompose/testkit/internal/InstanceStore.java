package io.github.scompose.testkit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where an emulated runtime keeps its state and files: in memory (the in-JVM transport, no file
 * I/O) or in a directory (the out-of-process executable: file-locked, atomic writes, real host
 * processes as instances).
 */
interface InstanceStore {

  /** Runs {@code action} on the state with exclusive access and keeps what it changed. */
  <T> T transact(Function<EmulatorState, T> action);

  /** Appends {@code text} (UTF-8) to the file at {@code path}, creating it. */
  void appendFile(String path, String text);

  /** Replaces the content of {@code path} (used for instance state files). */
  void writeFile(String path, String text);

  /**
   * Removes a file the emulator itself wrote (instance state files), if present, and its folder
   * when that is then empty (the real binary removes an instance's record folder whole).
   */
  void removeFile(String path);

  /** The bytes of {@code path} from {@code offset}, or empty when the file does not exist. */
  Optional<byte[]> readFile(String path, long offset);

  /**
   * The names in the directory {@code path} of the files this store writes (instance records), or
   * empty when there is no such directory.
   */
  Optional<java.util.List<String>> listDirectory(String path);

  /** Whether {@code path} is a file this store keeps itself, not on the host's file system. */
  default boolean holds(String path) {
    return false;
  }

  /** Whether something exists at {@code path}. */
  boolean exists(String path);

  /**
   * Creates the process behind a new instance that lives for at most {@code lifetime} (never null:
   * a scripted crash time or the runtime's maximum instance lifetime); stores without host
   * processes ignore it.
   */
  ProcessSlot spawn(EmulatorState state, String name, Duration lifetime);

  /** Whether the process behind {@code record} is still alive (always true for fake PIDs). */
  boolean processAlive(InstanceRecord record);

  /** Whether instances are real processes whose liveness must be checked on every look. */
  boolean tracksProcesses();

  /** Ends the process behind {@code record} (no-op for fake PIDs). */
  void kill(InstanceRecord record);

  /** A PID and the start instant of its process (to tell a reused PID apart). */
  record ProcessSlot(long pid, Instant processStart) {}
}
