package io.github.scompose.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The in-JVM store: state and files in memory, fake PIDs. Reads of paths it never wrote fall back
 * to the host file system (so {@code readFile} of an ordinary file works as with a real transport).
 */
final class MemoryStore implements InstanceStore {
  private final EmulatorState state;
  private final Map<String, ByteArrayOutputStream> files = new HashMap<>();

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
  }

  @Override
  public synchronized void writeFile(String path, String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    files.put(path, out);
  }

  @Override
  public synchronized void removeFile(String path) {
    files.remove(path);
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    byte[] all;
    synchronized (this) {
      ByteArrayOutputStream file = files.get(path);
      all = file == null ? null : file.toByteArray();
    }
    if (all == null) {
      return HostFiles.read(path, offset);
    }
    int from = (int) Math.min(all.length, Math.max(0, offset));
    return Optional.of(Arrays.copyOfRange(all, from, all.length));
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
