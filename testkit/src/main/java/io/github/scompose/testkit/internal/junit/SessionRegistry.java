package io.github.scompose.testkit.internal.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What the JUnit extension started in this JVM, written to a session file so that a later run can
 * stop it when this JVM died without stopping it, plus the JVM shutdown hook that stops what is
 * still running at exit.
 *
 * <p>Directory: system property {@value #DIRECTORY_PROPERTY}, else environment variable {@value
 * #DIRECTORY_VARIABLE}, else {@code <java.io.tmpdir>/scompose-<user.name>/testkit-sessions}
 * (created {@code rwx------}). One file per JVM, {@code <pid>-<start ms>.session}, rewritten
 * atomically (temp file, then rename) whenever something starts or stops:
 *
 * <pre>
 * # scompose testkit session: what a JVM's SingularityExtension started ...
 * pid=12345
 * started=2026-11-21T16:00:00.123Z
 * host=node17
 * entry=instance&lt;TAB&gt;real:/usr/bin/apptainer&lt;TAB&gt;cache&lt;TAB&gt;40213
 * entry=stack&lt;TAB&gt;real:/usr/bin/apptainer&lt;TAB&gt;/tmp/.../stacks/shop-3f2a1c
 * </pre>
 *
 * <p>A session is dead when no process has its PID, or the process with its PID started at another
 * time (PID reuse). {@link #reap} claims a dead session's file by renaming it, stops its entries of
 * the given runtime, and writes back those of other runtimes (for a run that has that runtime).
 * Entries of in-memory fake runtimes died with their JVM and are dropped.
 *
 * <p>Limits: a JVM killed with SIGKILL (or by the out-of-memory killer, or a power loss) runs no
 * shutdown hook — its {@link Watchdog} then stops what its session file names ({@link #reapDead});
 * what that leaves (a power loss, a watchdog killed too) runs on until a later run on the same
 * host, as the same user, with the same session directory and runtime, reaps it; a session file of
 * another host is never touched; a JVM that dies while reaping leaves a {@code .reaping-<pid>} file
 * that nobody retries.
 */
public final class SessionRegistry {

  /** System property naming the session directory. */
  public static final String DIRECTORY_PROPERTY = "scompose.testkit.sessions";

  /** Environment variable naming the session directory when the property is unset. */
  public static final String DIRECTORY_VARIABLE = "SCOMPOSE_TESTKIT_SESSIONS";

  /** The kind of an entry naming an instance (value: its name). */
  public static final String INSTANCE = "instance";

  /** The kind of an entry naming a compose stack (value: the folder of its state). */
  public static final String STACK = "stack";

  /** Runtime names of entries: the real binary at a path, {@code real:/usr/bin/apptainer}. */
  public static final String REAL_RUNTIME_PREFIX = "real:";

  /** Runtime names of entries: a directory-backed fake runtime, {@code fake-dir:/tmp/state}. */
  public static final String FAKE_DIRECTORY_RUNTIME_PREFIX = "fake-dir:";

  /** Runtime names of entries: an in-memory fake runtime, whose instances die with its JVM. */
  public static final String MEMORY_RUNTIME_PREFIX = "memory:";

  private static final String SUFFIX = ".session";
  private static final Map<Path, SessionRegistry> REGISTRIES = new ConcurrentHashMap<>();
  private static final AtomicBoolean HOOK = new AtomicBoolean();

  /**
   * One thing started: {@code kind} {@code instance} (value: its name) or {@code stack} (value: the
   * folder holding its {@code .scompose} state); {@code pid} the instance's listed PID, 0 when
   * unknown (a reaper then stops whatever instance has the name).
   */
  public record Entry(String kind, String runtime, String value, long pid) {
    /** An entry without a PID. */
    public Entry(String kind, String runtime, String value) {
      this(kind, runtime, value, 0);
    }

    /** Checks that no field holds a tab or a line break. */
    public Entry {
      for (String s : List.of(kind, runtime, value)) {
        if (s.contains("\t") || s.contains("\n") || s.contains("\r")) {
          throw new IllegalArgumentException(
              "session entry field \"" + s + "\" has a tab or newline");
        }
      }
    }
  }

  /** Stops one dead session's entry. */
  @FunctionalInterface
  public interface Reaper {
    /** Stops what {@code entry} names; may throw, which is reported and does not stop reaping. */
    void reap(Entry entry) throws Exception;
  }

  /** A dead session seen by {@link #reap}: its file name and the entries reaped. */
  public record Reaped(String session, List<Entry> entries, List<String> failures) {}

  private final Path directory;
  private final long pid;
  private final Optional<Instant> started;
  private final String host;
  private final String sessionId;
  private final Map<Long, Live> live = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  private record Live(Entry entry, Runnable stop) {}

  private SessionRegistry(Path directory) {
    this.directory = directory;
    ProcessHandle self = ProcessHandle.current();
    this.pid = self.pid();
    this.started = self.info().startInstant();
    this.host = hostName();
    this.sessionId = pid + "-" + started.map(Instant::toEpochMilli).orElse(0L);
  }

  /** The registry of this JVM in the configured directory (see the class comment). */
  public static SessionRegistry current() {
    String configured =
        Optional.ofNullable(System.getProperty(DIRECTORY_PROPERTY))
            .or(() -> Optional.ofNullable(System.getenv(DIRECTORY_VARIABLE)))
            .orElse("");
    Path dir =
        configured.isBlank()
            ? Path.of(
                System.getProperty("java.io.tmpdir"),
                "scompose-" + System.getProperty("user.name", "user"),
                "testkit-sessions")
            : Path.of(configured);
    return in(dir);
  }

  /** The registry of this JVM in {@code directory}. */
  public static SessionRegistry in(Path directory) {
    return REGISTRIES.computeIfAbsent(directory.toAbsolutePath().normalize(), SessionRegistry::new);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** This host's name, as session files record it. */
  public String host() {
    return host;
  }

  /** The session directory. */
  public Path directory() {
    return directory;
  }

  /** This JVM's session file. */
  public Path sessionFile() {
    return directory.resolve(sessionId + SUFFIX);
  }

  /** A folder for this session's own files (compose state of the stacks it starts). */
  public Path workDirectory() {
    return directory.resolve(sessionId);
  }

  /**
   * Records {@code entry} in the session file and keeps {@code stop} for the shutdown hook (which
   * is installed on the first call).
   *
   * @return a handle whose {@link Registration#release()} forgets the entry once it was stopped
   * @throws UncheckedIOException when the session file cannot be written; the entry is then not
   *     recorded at all (the caller stops what it started)
   */
  public Registration register(Entry entry, Runnable stop) {
    installHook();
    long id = ids.incrementAndGet();
    synchronized (live) {
      live.put(id, new Live(entry, stop));
      try {
        write();
      } catch (UncheckedIOException e) {
        live.remove(id);
        throw e;
      }
    }
    return new Registration(id);
  }

  /** A recorded entry. */
  public final class Registration {
    private final long id;

    private Registration(long id) {
      this.id = id;
    }

    /** Forgets the entry (it was stopped); idempotent. */
    public void release() {
      synchronized (live) {
        if (live.remove(id) != null) {
          write();
        }
      }
    }
  }

  /** The entries recorded and not yet released. */
  public List<Entry> entries() {
    synchronized (live) {
      return live.values().stream().map(Live::entry).toList();
    }
  }

  private static void installHook() {
    if (HOOK.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> REGISTRIES.values().forEach(SessionRegistry::stopEverything),
                  "scompose-testkit-shutdown"));
    }
  }

  /**
   * What the shutdown hook does: stops every entry not yet released (newest first; failures are
   * printed to stderr and do not stop the others), forgets those stopped, and rewrites the session
   * file with those whose stop failed, so that the next run reaps them once this JVM is dead. When
   * every stop succeeded the session file and, when empty, the work directory are deleted.
   *
   * @return how many entries were stopped
   */
  public int stopEverything() {
    List<Map.Entry<Long, Live>> todo;
    synchronized (live) {
      todo = new ArrayList<>(live.entrySet());
    }
    List<Long> done = new ArrayList<>();
    for (int i = todo.size() - 1; i >= 0; i--) {
      Live l = todo.get(i).getValue();
      try {
        l.stop().run();
        done.add(todo.get(i).getKey());
      } catch (RuntimeException e) {
        System.err.println(
            "scompose testkit: could not stop "
                + l.entry().value()
                + " at exit (left in "
                + sessionFile()
                + " for the next run to reap): "
                + e);
      }
    }
    synchronized (live) {
      done.forEach(live::remove);
      write();
    }
    return done.size();
  }

  private void write() {
    Path file = sessionFile();
    try {
      if (live.isEmpty()) {
        Files.deleteIfExists(file);
        deleteIfEmpty(workDirectory());
        return;
      }
      createDirectory(directory);
      StringBuilder b = new StringBuilder();
      b.append("# scompose testkit session: what a JVM's SingularityExtension started and has")
          .append(" not stopped yet;\n# a later run on this host stops it when pid ")
          .append(pid)
          .append(" is dead.\n");
      b.append("pid=").append(pid).append('\n');
      started.ifPresent(s -> b.append("started=").append(s).append('\n'));
      b.append("host=").append(host).append('\n');
      for (Live l : live.values()) {
        b.append("entry=")
            .append(l.entry().kind())
            .append('\t')
            .append(l.entry().runtime())
            .append('\t')
            .append(l.entry().value())
            .append(l.entry().pid() == 0 ? "" : "\t" + l.entry().pid())
            .append('\n');
      }
      writeAtomically(file, b.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the testkit session file " + file, e);
    }
  }

  static void createDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(dir.getParent());
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      // another JVM made it
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The parsed content of a session file. */
  record SessionFile(long pid, Optional<Instant> started, String host, List<Entry> entries) {}

  static SessionFile parse(String text) {
    long pid = -1;
    Optional<Instant> started = Optional.empty();
    String host = "";
    List<Entry> entries = new ArrayList<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (line.startsWith("#") || eq < 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      switch (key) {
        case "pid" -> pid = Long.parseLong(value.strip());
        case "started" -> started = Optional.of(Instant.parse(value.strip()));
        case "host" -> host = value.strip();
        case "entry" -> {
          String[] f = value.split("\t", 4);
          if (f.length == 3) {
            entries.add(new Entry(f[0], f[1], f[2]));
          } else if (f.length == 4) {
            entries.add(new Entry(f[0], f[1], f[2], Long.parseLong(f[3].strip())));
          }
        }
        default -> {
          // a newer writer's key: ignored
        }
      }
    }
    return new SessionFile(pid, started, host, entries);
  }

  /**
   * Whether the process of a session is alive: a process with {@code pid} exists and, when both
   * start times are known, started within 1 s of {@code started} (else the PID was reused).
   */
  public static boolean alive(long pid, Optional<Instant> started) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    Optional<Instant> actual = p.get().info().startInstant();
    if (started.isEmpty() || actual.isEmpty()) {
      return true;
    }
    return Duration.between(started.get(), actual.get()).abs().compareTo(Duration.ofSeconds(1))
        <= 0;
  }

  /**
   * Reaps the dead sessions of this host in the directory: stops (through {@code reaper}) their
   * entries of {@code runtime}, drops those of in-memory runtimes ({@code memory:…}), writes the
   * rest back, and deletes what is left of each session (its file, and its work directory when no
   * entry remains). Sessions of live processes, of other hosts, and this JVM's own are left alone.
   *
   * @return one record per dead session seen
   */
  public List<Reaped> reap(String runtime, Reaper reaper) {
    List<Reaped> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the testkit sessions in " + directory, e);
    }
    for (Path file : files) {
      if (file.equals(sessionFile())) {
        continue;
      }
      SessionFile s;
      try {
        s = parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        continue; // ended or claimed meanwhile
      } catch (IOException | RuntimeException e) {
        continue; // unreadable: left for a person to look at
      }
      if (!s.host().equals(host) || s.pid() < 0 || alive(s.pid(), s.started())) {
        continue;
      }
      reapClaimed(file, s, r -> r.equals(runtime) ? reaper : null).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Reaps the session file {@code name} of this directory, whose JVM is known to be dead (the
   * watchdog saw its pipe close), whatever its host's name says: every entry is stopped with the
   * reaper {@code reapers} gives for its runtime ({@code null}: kept for a later run), entries of
   * in-memory runtimes are dropped; then as {@link #reap}.
   *
   * @return the record of the session, empty when there is no such file (it ended cleanly, or
   *     another run claimed it) or it cannot be read
   */
  public Optional<Reaped> reapDead(String name, Function<String, Reaper> reapers) {
    Path file = directory.resolve(name);
    SessionFile s;
    try {
      s = parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone (ended cleanly, or claimed), or unreadable
    }
    return reapClaimed(file, s, reapers);
  }

  /**
   * Claims {@code file} by renaming it, stops its entries whose runtime has a reaper, drops those
   * of in-memory runtimes, writes the rest back and deletes the session's work directory when
   * nothing is left.
   */
  private Optional<Reaped> reapClaimed(Path file, SessionFile s, Function<String, Reaper> reapers) {
    Path claimed = file.resolveSibling(file.getFileName() + ".reaping-" + pid);
    try {
      Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      return Optional.empty(); // another run claimed it
    }
    List<Entry> reaped = new ArrayList<>();
    List<Entry> kept = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Entry e : s.entries()) {
      Reaper reaper = reapers.apply(e.runtime());
      if (reaper != null) {
        try {
          reaper.reap(e);
          reaped.add(e);
        } catch (Exception ex) {
          failures.add(e.value() + ": " + ex.getMessage());
          kept.add(e);
        }
      } else if (!e.runtime().startsWith(MEMORY_RUNTIME_PREFIX)) {
        kept.add(e);
      }
    }
    String name = file.getFileName().toString();
    Path work = directory.resolve(name.substring(0, name.length() - SUFFIX.length()));
    try {
      if (kept.isEmpty()) {
        deleteTree(work);
      } else {
        StringBuilder b = new StringBuilder();
        b.append("pid=").append(s.pid()).append('\n');
        s.started().ifPresent(t -> b.append("started=").append(t).append('\n'));
        b.append("host=").append(s.host()).append('\n');
        kept.forEach(
            e ->
                b.append("entry=")
                    .append(e.kind())
                    .append('\t')
                    .append(e.runtime())
                    .append('\t')
                    .append(e.value())
                    .append(e.pid() == 0 ? "" : "\t" + e.pid())
                    .append('\n'));
        writeAtomically(file, b.toString());
      }
      Files.deleteIfExists(claimed);
    } catch (IOException e) {
      failures.add("cannot update " + file + ": " + e.getMessage());
    }
    return Optional.of(new Reaped(name, List.copyOf(reaped), List.copyOf(failures)));
  }

  /** Deletes {@code dir} and the folders under it when they hold no file. */
  private static void deleteIfEmpty(Path dir) throws IOException {
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      if (walk.anyMatch(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
        return;
      }
    }
    deleteTree(dir);
  }

  /** Deletes a folder the testkit made (a session's work directory), contents first. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
