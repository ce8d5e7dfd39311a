package io.github.scompose.core.internal.client;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code PROGRAM --version} printed, cached per binary on this machine in one small per-user
 * file, so that a second run of a CLI makes no version probe (issue 11).
 *
 * <p>An entry's key is the binary's real path (symbolic links resolved; a bare name is looked up on
 * this process's {@code PATH} as the operating system would run it); it holds the binary's size and
 * modification time (nanoseconds where the file system has them) and the version line. It is used
 * only while the binary's size and modification time are unchanged: a binary replaced in place (an
 * upgrade) is probed again. A wrapper script whose own file did not change while what it wraps did
 * is not noticed: delete the cache file to forget every entry.
 *
 * <p>The file is a {@link Properties} text file ({@code key = mtime-nanos size version-line}),
 * written to a temporary file in the same directory (mode 0600, the directory 0700 when created)
 * and renamed over the old one atomically, so a reader sees the old or the new file, never a half.
 * A file that cannot be read or parsed, or an entry that is malformed, counts as absent (and is
 * replaced by the next write); a file that cannot be written is left alone (logged at DEBUG). At
 * most {@value #MAX_ENTRIES} entries are kept.
 */
public final class VersionCache {

  /** Most entries kept; a write beyond drops the oldest. */
  public static final int MAX_ENTRIES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(VersionCache.class);

  private final Path file;
  private final String searchPath;

  /**
   * A cache in {@code file}, looking bare program names up in {@code searchPath} ({@code PATH}
   * syntax: directories separated by {@code :}; empty entries mean the working directory).
   */
  public VersionCache(Path file, String searchPath) {
    this.file = file;
    this.searchPath = searchPath == null ? "" : searchPath;
  }

  /**
   * The per-user cache file: {@code $XDG_CACHE_HOME/scompose/binary-versions.properties} when
   * {@code XDG_CACHE_HOME} is an absolute path (XDG Base Directory Specification), else {@code
   * ~/.cache/scompose/binary-versions.properties}.
   */
  public static Path userFile(Map<String, String> environment, String userHome) {
    String xdg = environment.get("XDG_CACHE_HOME");
    Path base = null;
    if (xdg != null && !xdg.isBlank()) {
      try {
        Path p = Path.of(xdg);
        base = p.isAbsolute() ? p : null;
      } catch (InvalidPathException e) {
        base = null;
      }
    }
    if (base == null) {
      base = Path.of(userHome, ".cache");
    }
    return base.resolve("scompose").resolve("binary-versions.properties");
  }

  /** The cache file. */
  public Path file() {
    return file;
  }

  /**
   * Where {@code program} is on this machine: a path with a {@code /} as it is (relative to the
   * working directory), a bare name the first executable regular file of that name on the search
   * path; the real path (links resolved), with its attributes.
   */
  Optional<Stamped> resolve(String program) {
    if (program.contains("/")) {
      return stamped(Path.of(program));
    }
    for (String dir : searchPath.split(":", -1)) {
      try {
        Path candidate = (dir.isEmpty() ? Path.of("") : Path.of(dir)).resolve(program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return stamped(candidate);
        }
      } catch (InvalidPathException e) {
        // not a directory name: skipped, as the shell would
      }
    }
    return Optional.empty();
  }

  private static Optional<Stamped> stamped(Path p) {
    try {
      Path real = p.toRealPath();
      BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
      if (!a.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(
          new Stamped(real.toString(), nanos(a.lastModifiedTime().toInstant()), a.size()));
    } catch (IOException | InvalidPathException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /** A binary's real path, modification time (ns since the epoch) and size. */
  record Stamped(String realPath, long modifiedNanos, long size) {}

  /**
   * The version line cached for {@code program} while its size and modification time are those
   * recorded; empty when there is none, the program cannot be found, or the file is unreadable.
   */
  public Optional<String> lookup(String program) {
    Optional<Stamped> s = resolve(program);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    String value = read().get(s.get().realPath());
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.split(" ", 3);
    if (parts.length != 3 || parts[2].isBlank()) {
      return Optional.empty();
    }
    try {
      if (Long.parseLong(parts[0]) != s.get().modifiedNanos()
          || Long.parseLong(parts[1]) != s.get().size()) {
        return Optional.empty();
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(parts[2]);
  }

  /**
   * Records {@code versionLine} (one line) for {@code program} as it is now; nothing when it cannot
   * be found on this machine or the file cannot be written.
   */
  public void store(String program, String versionLine) {
    Optional<Stamped> s = resolve(program);
    String line = versionLine.strip();
    if (s.isEmpty() || line.isEmpty() || line.contains("\n")) {
      return;
    }
    Map<String, String> entries = read();
    entries.remove(s.get().realPath());
    while (entries.size() >= MAX_ENTRIES) {
      entries.remove(entries.keySet().iterator().next());
    }
    entries.put(s.get().realPath(), s.get().modifiedNanos() + " " + s.get().size() + " " + line);
    write(entries);
  }

  /** The entries in file order; empty when the file is absent, unreadable or malformed. */
  private Map<String, String> read() {
    Map<String, String> out = new LinkedHashMap<>();
    String text;
    try {
      if (!Files.isRegularFile(file)) {
        return out;
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read the version cache {}: {}", file, e.getMessage());
      return out;
    }
    Properties p = new Properties();
    try (Reader r = new StringReader(text)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      LOG.debug("the version cache {} is malformed and is ignored: {}", file, e.getMessage());
      return out;
    }
    // Properties has no order: keep a stable one (by key) so the oldest-first drop is predictable
    new TreeMap<>(p).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }

  private void write(Map<String, String> entries) {
    Path tmp = null;
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      StringWriter text = new StringWriter();
      text.write("# scompose: what each binary's --version printed (issue 11); safe to delete\n");
      for (Map.Entry<String, String> e : entries.entrySet()) {
        Properties one = new Properties();
        one.setProperty(e.getKey(), e.getValue());
        StringWriter w = new StringWriter();
        one.store(w, null);
        // store writes a date comment first: keep only the entry's line
        w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.write(l + "\n"));
      }
      tmp =
          Files.createTempFile(
              dir,
              ".binary-versions",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot write the version cache {}: {}", file, e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          LOG.debug("cannot remove {}: {}", tmp, e.getMessage());
        }
      }
    }
  }
}
