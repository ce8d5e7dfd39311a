package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.DamagedStateException;
import io.github.scompose.core.transport.FileStamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
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
    writeAtomically(file, render(state), OWNER_ONLY, state);
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
    writeAtomically(file, text, mode, null);
  }

  /**
   * {@link #writeAtomically(Path, String, Set)}, then remembers {@code parsed} as what {@code file}
   * holds ({@link ParsedFiles}): the next read of the file by this JVM, while no one replaced it,
   * returns {@code parsed} without reading it. {@code parsed} must be immutable and equal to what
   * parsing {@code text} gives; null remembers nothing.
   *
   * @throws UncheckedIOException naming the file
   */
  static void writeAtomically(
      Path file, String text, Set<PosixFilePermission> mode, Object parsed) {
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
      // createTempFile made it owner-only already where the file system has POSIX permissions;
      // another mode is set where the file's store has them (a look at the mount table)
      if (!mode.equals(OWNER_ONLY)
          && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
        Files.setPosixFilePermissions(tmp, mode);
      }
      Optional<ParsedFiles.Stamp> written =
          parsed == null ? Optional.empty() : ParsedFiles.stamp(tmp);
      ParsedFiles.forget(file);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      ParsedFiles.wrote(file, written, parsed);
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
   * @throws DamagedStateException naming the file when it is not UTF-8, not JSON, or not a state
   *     file of this format
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  public static Optional<ProjectState> read(Path file) {
    return ParsedFiles.read(file, ProjectState.class, StateFile::readFresh);
  }

  /** {@link #read}, from the file itself. */
  private static Optional<ProjectState> readFresh(Path file) {
    Optional<String> text = text(file);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text.get()));
    } catch (RuntimeException e) {
      throw damaged(file, "a state file", text.get(), e);
    }
  }

  /**
   * The UTF-8 text of {@code file}, or empty when there is no such file. The bytes are decoded
   * strictly: a byte sequence that is not UTF-8 is reported, never replaced.
   *
   * @throws DamagedStateException naming the file and the offset of the first byte that is not
   *     UTF-8
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  static Optional<String> text(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + ": " + (e.getMessage() == null ? "I/O error" : e.getMessage()),
          e);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = Math.min(in.position(), bytes.length - 1);
      throw new DamagedStateException(
          file, String.format("not UTF-8 (byte 0x%02x at offset %d)", bytes[at] & 0xff, at));
    }
    out.flip();
    return Optional.of(out.toString());
  }

  /**
   * A problem with the shape of a state or records file, in words that quote nothing of its content
   * (e.g. {@code missing key "project"}).
   */
  static final class ShapeProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShapeProblem(String words) {
      super(words, null, false, false);
    }
  }

  /**
   * The {@link DamagedStateException} for {@code file} that failed to parse with {@code e}: {@code
   * "not JSON at line L, column C"} for a syntax error, {@code "not KIND (WORDS)"} for a JSON value
   * of the wrong shape. Never quotes the file's content (the parser's own messages do; records hold
   * environment values), and keeps no cause that does.
   *
   * @param kind what the file should be, e.g. {@code "a state file"}
   */
  static DamagedStateException damaged(Path file, String kind, String text, RuntimeException e) {
    if (text.isBlank()) {
      return new DamagedStateException(file, "not " + kind + " (it is empty)");
    }
    if (e instanceof MarkedYamlEngineException m && m.getProblemMark().isPresent()) {
      var mark = m.getProblemMark().get();
      return new DamagedStateException(
          file, "not JSON at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1));
    }
    if (e instanceof ReaderException r) {
      return new DamagedStateException(
          file,
          "not JSON at "
              + lineColumn(text, r.getPosition())
              + " (control character U+"
              + String.format("%04X", r.getCodePoint())
              + ")");
    }
    if (e instanceof YamlEngineException) {
      return new DamagedStateException(file, "not JSON");
    }
    if (e instanceof ShapeProblem p) {
      return new DamagedStateException(file, "not " + kind + " (" + p.getMessage() + ")");
    }
    return new DamagedStateException(file, "not " + kind + " (a value has the wrong type)");
  }

  /** {@code line L, column C} (1-based) of the character at {@code offset} of {@code text}. */
  private static String lineColumn(String text, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return "line " + line + ", column " + column;
  }

  /**
   * Renames a damaged {@code file} to {@code <name>.bak} beside it, or, when that exists, to the
   * first free {@code <name>.bak.N} (N from 2): an earlier backup is never replaced, and nothing is
   * deleted. The caller holds the project's {@link StateDirectoryLock}.
   *
   * @return the backup's path; {@code file} itself when there was no such file any more
   * @throws UncheckedIOException naming both paths when the rename fails
   */
  public static Path setAside(Path file) {
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return file;
    }
    Path target = file.resolveSibling(file.getFileName() + ".bak");
    for (int n = 2; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
      target = file.resolveSibling(file.getFileName() + ".bak." + n);
    }
    try {
      Files.move(file, target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot rename the damaged " + file + " to " + target + ": " + e.getMessage(), e);
    }
    return target;
  }

  /** Deletes the state file when present (our own file; nothing of the user's). */
  public static void delete(Path file) {
    ParsedFiles.forget(file);
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
      if (e.starting()) {
        b.append(", \"starting\": true");
        e.startingSince()
            .ifPresent(t -> b.append(", \"startingSince\": ").append(str(t.toString())));
      }
      b.append('}');
    }
    b.append(s.instances().isEmpty() ? "]\n" : "\n  ]\n");
    return b.append("}\n").toString();
  }

  static ProjectState parse(String text) {
    Object root =
        new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(text);
    if (!(root instanceof Map<?, ?> m)) {
      throw new ShapeProblem("not a JSON object");
    }
    requireFormat(m, ProjectState.FORMAT);
    List<ProjectState.Entry> entries = new ArrayList<>();
    if (m.get("instances") instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> e)) {
          throw new ShapeProblem("an entry of \"instances\" is not a JSON object");
        }
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
                imageStamp(e),
                Boolean.TRUE.equals(e.get("starting")),
                startingSince(e)));
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

  /** {@code startingSince} (ISO-8601 instant) of an entry; empty when absent. */
  private static Optional<Instant> startingSince(Map<?, ?> e) {
    return e.get("startingSince") == null
        ? Optional.empty()
        : Optional.of(Instant.parse(text(e, "startingSince")));
  }

  /**
   * Checks the {@code format} key of a file's root object.
   *
   * @throws ShapeProblem when it is missing, not a number, or another version
   */
  static void requireFormat(Map<?, ?> root, int expected) {
    Object format = root.get("format");
    if (format == null) {
      throw new ShapeProblem("missing key \"format\"");
    }
    if (!(format instanceof Number n)) {
      throw new ShapeProblem("key \"format\" is not a number");
    }
    if (n.intValue() != expected) {
      throw new ShapeProblem(
          "format " + n.intValue() + ", while this version reads format " + expected);
    }
  }

  private static String text(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new ShapeProblem("missing key \"" + key + "\"");
    }
    return v.toString();
  }

  private static Number number(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new ShapeProblem("missing key \"" + key + "\"");
    }
    if (!(v instanceof Number n)) {
      throw new ShapeProblem("key \"" + key + "\" is not a number");
    }
    return n;
  }

  private static String str(String s) {
    return JsonRendering.string(s); // the one JSON string rule (YAML-safe escapes)
  }
}
