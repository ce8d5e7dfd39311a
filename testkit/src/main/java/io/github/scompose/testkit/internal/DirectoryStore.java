package io.github.scompose.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The directory-backed store shared by every emulator process of one runtime: {@code state.ser}
 * (the emulator's private format) written to a temporary file and renamed atomically, under an
 * exclusive lock on {@code state.lock} (and a JVM-local lock, since one JVM cannot hold two file
 * locks on the same file); log and state files as real files; instances as real host processes.
 */
final class DirectoryStore implements InstanceStore {
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS =
      new ConcurrentHashMap<>();

  private final Path directory;
  private final long firstPid;

  DirectoryStore(Path directory, long firstPid) {
    this.directory = directory.toAbsolutePath().normalize();
    this.firstPid = firstPid;
  }

  @Override
  public <T> T transact(Function<EmulatorState, T> action) {
    ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(directory, d -> new ReentrantLock());
    local.lock();
    try {
      Files.createDirectories(directory);
      try (FileChannel channel =
              FileChannel.open(
                  directory.resolve("state.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        EmulatorState state = load();
        T result = action.apply(state);
        save(state);
        return result;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("emulator state in " + directory + " is not usable", e);
    } finally {
      local.unlock();
    }
  }

  private EmulatorState load() throws IOException {
    Path file = directory.resolve("state.ser");
    if (!Files.exists(file)) {
      return new EmulatorState(firstPid);
    }
    try (InputStream in = Files.newInputStream(file);
        ObjectInputStream objects = new ObjectInputStream(in)) {
      return (EmulatorState) objects.readObject();
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new IOException("state.ser in " + directory + " is not an emulator state", e);
    }
  }

  private void save(EmulatorState state) throws IOException {
    Path temp = Files.createTempFile(directory, "state", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp);
          ObjectOutputStream objects = new ObjectOutputStream(out)) {
        objects.writeObject(state);
      }
      Files.move(
          temp,
          directory.resolve("state.ser"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void appendFile(String path, String text) {
    try {
      Path file = Path.of(path);
      Files.createDirectories(file.getParent());
      Files.writeString(
          file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + path, e);
    }
  }

  @Override
  public void writeFile(String path, String text) {
    try {
      Path file = Path.of(path);
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  @Override
  public void removeFile(String path) {
    try {
      Path file = Path.of(path);
      Files.deleteIfExists(file);
      try {
        Files.deleteIfExists(file.getParent());
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        // another file is in it: the folder stays
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + path, e);
    }
  }

  @Override
  public Optional<java.util.List<String>> listDirectory(String path) {
    java.util.List<String> names = new java.util.ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(path))) {
      entries.forEach(e -> names.add(e.getFileName().toString()));
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
    return Optional.of(java.util.List.copyOf(names));
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    return HostFiles.read(path, offset);
  }

  @Override
  public boolean exists(String path) {
    return HostFiles.exists(path);
  }

  @Override
  public ProcessSlot spawn(EmulatorState state, String name, Duration lifetime) {
    return HostInstanceProcess.start(lifetime);
  }

  @Override
  public boolean tracksProcesses() {
    return true;
  }

  @Override
  public boolean processAlive(InstanceRecord record) {
    return HostInstanceProcess.alive(record.pid(), record.processStart());
  }

  @Override
  public void kill(InstanceRecord record) {
    HostInstanceProcess.kill(record.pid(), record.processStart());
  }
}
