package io.github.scompose.core.internal.compose;

import io.github.scompose.core.transport.FileStamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Reads and writes {@code <state directory>/state.json}. Writes go to a temporary sibling with a
 * unique name ({@link Files#createTempFile}, owner-only {@code 0600}: the file holds a hash over
 * environment values), forced to disk ({@code fsync}), then renamed over the old file atomically
 * (POSIX {@code rename(2)}): a crash leaves the old or the new content, never a mix, and writers in
 * several threads or processes never share a temporary file. The state directory is created
 * owner-only ({@code 0700}) when missing. A read-modify-write that must not lose another writer's
 * change goes through {@link #update}, under the project's {@link StateDirectoryLock}. JSON is read
 * with snakeyaml-engine's JSON schema.
 */
public final class StateFile {

  /** File name: {@code state.json}. */
  public static final String NAME = "state.json";

  /**
   * Mode of the state file and of other files written by {@link #writeAtomically(Path, String)}.
   */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private StateFile() {}

  /** The state file of a state directory. */
  public static Path in(Path stateDirectory) {
    return stateDirectory.resolve(NAME);
  }

  /**
   * Writes {@code state} atomically and owner-only, creating the folder ({@code 0700}) when
   * missing. Does not lock: a writer that read the state first uses {@link #update}.
   *
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void write(Path file, ProjectState state) {
    writeAtomically(file, render(state));
  }

  /**
   * Changes the state in {@code file} under the project's lock ({@link StateDirectoryLock}, held
   * across threads and processes): reads it, applies {@code change} and writes the result, so that
   * concurrent updates from the restart supervisor, {@code start}/{@code stop}, {@code up} or
   * another process never lose one another's change. Does nothing when there is no state file (the
   * project is down): a missing state directory is not created.
   *
   * @param file the state file ({@link #in})
   * @param change the new state from the current one; returning the same object skips the write
   * @return the state written (or the current one when unchanged), empty when there was none
   * @throws UncheckedIOException when the lock, the read or the write fails
   * @throws IllegalStateException when the file is not a state file of this format
   */
  public static Optional<ProjectState> update(Path file, UnaryOperator<ProjectState> change) {
    Path directory = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    return StateDirectoryLock.holding(
        directory,
        () -> {
          Optional<ProjectState> current = read(file);
          if (current.isEmpty()) {
            return current;
          }
          ProjectState next = change.apply(current.get());
          if (next != current.get()) {
            write(file, next);
          }
          return Optional.of(next);
        });
  }

  /**
   * Writes {@code text} to {@code file} owner-only ({@link #OWNER_ONLY}); see {@link
   * #writeAtomically(Path, String, Set)}.
   *
   * @throws UncheckedIOException naming the file
   */
  public static void writeAtomically(Path file, String text) {
    writeAtomically(file, text, OWNER_ONLY);
  }

  /**
   * Writes {@code text} (UTF-8) to {@code file} through a temporary sibling with a unique name,
   * created with {@code mode} (where the file system has POSIX permissions), forced to disk, then
   * renamed over {@code file} atomically; the folder is created {@code 0700} when missing. The
   * temporary file is removed when any step fails.
   *
   * @throws UncheckedIOException naming the file
   */
  public static void writeAtomically(Path file, String text, Set<PosixFilePermission> mode) {
    Path directory = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      createOwnerOnlyDirectories(directory);
      tmp = Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
      try (FileChannel out =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
        Files.setPosixFilePermissions(tmp, mode);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write failed already; a leftover temporary file is only litter
        }
      }
    }
  }

  /**
   * Creates {@code directory} and its missing parents; those created get {@code 0700} where the
   * file system has POSIX permissions (the state directory holds hashes over environment values).
   * An existing folder keeps its mode.
   *
   * @throws IOException when a folder cannot be created
   */
  public static void createOwnerOnlyDirectories(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(directory);
    }
  }

  /**
   * The state in {@code file}, or empty when there is none.
   *
   * @throws IllegalStateException naming the file when it is not a state file of this format
   */
  public static Optional<ProjectState> read(Path file) {
    Optional<String> text = text(file);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text.get()));
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is not a scompose state file: " + e.getMessage(), e);
    }
  }

  /**
   * The UTF-8 text of {@code file}, or empty when there is no such file.
   *
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  static Optional<String> text(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the state file when present (our own file; nothing of the user's). */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  static String render(ProjectState s) {
    StringBuilder b = new StringBuilder("{\n");
    b.append("  \"format\": ").append(ProjectState.FORMAT).append(",\n");
    b.append("  \"project\": ").append(str(s.project())).append(",\n");
    b.append("  \"directory\": ").append(str(s.directory())).append(",\n");
    b.append("  \"session\": ").append(str(s.session())).append(",\n");
    b.append("  \"updatedAt\": ").append(str(s.updatedAt().toString())).append(",\n");
    b.append("  \"instances\": [");
    for (int i = 0; i < s.instances().size(); i++) {
      ProjectState.Entry e = s.instances().get(i);
      b.append(i == 0 ? "\n" : ",\n");
      b.append("    {\"service\": ").append(str(e.service()));
      b.append(", \"name\": ").append(str(e.name()));
      b.append(", \"replica\": ").append(e.replica());
      b.append(", \"level\": ").append(e.level());
      b.append(", \"image\": ").append(str(e.image()));
      b.append(", \"pid\": ").append(e.pid());
      b.append(", \"ip\": ").append(str(e.ip()));
      b.append(", \"restarts\": ").append(e.restarts());
      b.append(", \"config\": ").append(str(e.config()));
      e.imageStamp()
          .ifPresent(
              st ->
                  b.append(", \"imageSize\": ")
                      .append(st.size())
                      .append(", \"imageModified\": ")
                      .append(str(st.modified().toString())));
      b.append('}');
    }
    b.append(s.instances().isEmpty() ? "]\n" : "\n  ]\n");
    return b.append("}\n").toString();
  }

  static ProjectState parse(String text) {
    Object root;
    try {
      root =
          new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    Object format = m.get("format");
    if (!(format instanceof Number n) || n.intValue() != ProjectState.FORMAT) {
      throw new IllegalArgumentException("format " + format + " is not " + ProjectState.FORMAT);
    }
    List<ProjectState.Entry> entries = new ArrayList<>();
    if (m.get("instances") instanceof List<?> list) {
      for (Object o : list) {
        Map<?, ?> e = (Map<?, ?>) o;
        entries.add(
            new ProjectState.Entry(
                text(e, "service"),
                text(e, "name"),
                number(e, "replica").intValue(),
                number(e, "level").intValue(),
                text(e, "image"),
                number(e, "pid").longValue(),
                text(e, "ip"),
                number(e, "restarts").intValue(),
                e.get("config") == null ? "" : e.get("config").toString(),
                imageStamp(e)));
      }
    }
    return new ProjectState(
        text(m, "project"),
        text(m, "directory"),
        text(m, "session"),
        Instant.parse(text(m, "updatedAt")),
        List.copyOf(entries));
  }

  /**
   * The image stamp of an entry: {@code imageSize} (bytes) and {@code imageModified} (ISO-8601
   * instant); empty when absent (a file written before stamps were recorded).
   */
  private static Optional<FileStamp> imageStamp(Map<?, ?> e) {
    if (e.get("imageSize") == null && e.get("imageModified") == null) {
      return Optional.empty();
    }
    return Optional.of(
        FileStamp.of(number(e, "imageSize").longValue(), Instant.parse(text(e, "imageModified"))));
  }

  private static String text(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing \"" + key + "\"");
    }
    return v.toString();
  }

  private static Number number(Map<?, ?> m, String key) {
    if (!(m.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("\"" + key + "\" is not a number");
    }
    return n;
  }

  private static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7F && c <= 0x9F && c != 0x85) || c == 0xFFFE || c == 0xFFFF) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
