package io.github.scompose.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The in-JVM store: state and files in memory, fake PIDs. Reads of paths it never wrote fall back
 * to the host file system (so {@code readFile} of an ordinary file works as with a real transport).
 */
final class MemoryStore implements InstanceStore {
  private final EmulatorState state;
  private final Map<String, ByteArrayOutputStream> files = new HashMap<>();
  private final Set<String> folders = new HashSet<>();

  MemoryStore(long firstPid) {
    this.state = new EmulatorState(firstPid);
  }

  @Override
  public synchronized <T> T transact(Function<EmulatorState, T> action) {
    return action.apply(state);
  }

  @Override
  public synchronized void appendFile(String path, String text) {
    files
        .computeIfAbsent(path, p -> new ByteArrayOutputStream())
        .writeBytes(text.getBytes(StandardCharsets.UTF_8));
    addFolders(path);
  }

  @Override
  public synchronized void writeFile(String path, String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    files.put(path, out);
    addFolders(path);
  }

  @Override
  public synchronized void removeFile(String path) {
    files.remove(path);
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      String folder = path.substring(0, slash);
      if (files.keySet().stream().noneMatch(f -> f.startsWith(folder + "/"))) {
        folders.remove(folder);
      }
    }
  }

  /**
   * The names of the files and folders this store keeps directly in {@code path}: a folder exists
   * from the first file written in it (or below) until {@link #removeFile} empties it.
   */
  @Override
  public synchronized Optional<List<String>> listDirectory(String path) {
    String prefix = path.endsWith("/") ? path : path + "/";
    Set<String> names = new TreeSet<>();
    for (String f : files.keySet()) {
      if (f.startsWith(prefix)) {
        names.add(f.substring(prefix.length()).split("/", 2)[0]);
      }
    }
    for (String d : folders) {
      if (d.startsWith(prefix)) {
        names.add(d.substring(prefix.length()).split("/", 2)[0]);
      }
    }
    if (names.isEmpty() && !folders.contains(prefix.substring(0, prefix.length() - 1))) {
      return Optional.empty();
    }
    return Optional.of(List.copyOf(names));
  }

  private void addFolders(String path) {
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      folders.add(path.substring(0, slash));
    }
  }

  @Override
  public synchronized boolean holds(String path) {
    return files.containsKey(path);
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    if (path.startsWith("/proc/")) {
      return procfs(path).map(text -> slice(text.getBytes(StandardCharsets.UTF_8), offset));
    }
    byte[] all;
    synchronized (this) {
      ByteArrayOutputStream file = files.get(path);
      all = file == null ? null : file.toByteArray();
    }
    if (all == null) {
      return HostFiles.read(path, offset);
    }
    return Optional.of(slice(all, offset));
  }

  private static byte[] slice(byte[] all, long offset) {
    int from = (int) Math.min(all.length, Math.max(0, offset));
    return Arrays.copyOfRange(all, from, all.length);
  }

  /**
   * The emulated host's {@code /proc}: the fake PIDs are not host processes, so the host's own
   * {@code /proc} must not answer for them. {@code /proc/self/stat} exists; {@code /proc/PID/stat}
   * exists while an instance with that PID runs (not yet stopped); nothing else does.
   */
  private synchronized Optional<String> procfs(String path) {
    if (path.equals("/proc/self/stat")) {
      return Optional.of("1 (java) R 0 1 1 0 -1 0\n");
    }
    String[] parts = path.split("/");
    if (parts.length != 4 || !parts[3].equals("stat") || !parts[2].matches("[0-9]{1,18}")) {
      return Optional.empty();
    }
    long pid = Long.parseLong(parts[2]);
    return state.instances.values().stream()
        .filter(r -> r.pid() == pid && !r.stopped())
        .findFirst()
        .map(r -> pid + " (sleep) S 1 " + pid + " " + pid + " 0 -1 0\n");
  }

  @Override
  public synchronized boolean exists(String path) {
    return files.containsKey(path) || HostFiles.exists(path);
  }

  @Override
  public ProcessSlot spawn(EmulatorState s, String name, Duration lifetime) {
    return new ProcessSlot(s.nextPid++, null);
  }

  @Override
  public boolean tracksProcesses() {
    return false;
  }

  @Override
  public boolean processAlive(InstanceRecord record) {
    return true;
  }

  @Override
  public void kill(InstanceRecord record) {}
}
