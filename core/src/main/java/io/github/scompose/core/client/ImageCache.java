package io.github.scompose.core.client;

import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-user cache of pulled images, so that an image reference is pulled once per user and host,
 * not once per test run or project: one SIF file per reference in one folder.
 *
 * <p><b>Folder.</b> Default {@code $XDG_CACHE_HOME/scompose/images}, or {@code
 * ~/.cache/scompose/images} when {@code XDG_CACHE_HOME} is unset or not absolute (XDG Base
 * Directory Specification 0.8); see {@link #defaultDirectory(Map, String)}. Created on first use.
 * Nothing in it is ever deleted by the library: remove the folder to empty the cache.
 *
 * <p><b>Keys.</b> The file of a reference is {@link #fileName(String)}: the reference with every
 * character outside {@code [A-Za-z0-9._-]} replaced by {@code _} (at most 80 characters), {@code
 * -}, the first 16 hex digits of the SHA-256 of the whole reference (so {@code a/b} and {@code a_b}
 * never share a file), {@code .sif}. A reference is taken as written: {@code docker://redis} and
 * {@code docker://redis:latest} are two entries, and a moving tag ({@code latest}) is not pulled
 * again once cached ({@link #refresh} pulls it anew).
 *
 * <p><b>Concurrency.</b> {@link #get} holds a lock per reference while it looks and pulls: a lock
 * of this JVM and an exclusive {@link FileChannel#lock() file lock} on {@code <file>.lock} (other
 * JVMs and processes of this machine), so two threads or two JVMs asking for the same missing
 * reference make one {@code pull}; the second waits and then finds the file. With a {@link
 * LocalProcessTransport} the binary pulls to a hidden temporary file in the folder ({@code
 * .<file>.<random>.partial}), which is then renamed onto the final name atomically: the final name
 * only ever holds a complete image, also for readers that take no lock, and a pull that fails or
 * dies leaves at most the temporary file. Over any other transport (the testkit's in-JVM fake,
 * whose files live in memory) the binary pulls straight to the final name, under the same locks.
 * The {@code .lock} files are never deleted (deleting one would let two holders in).
 *
 * <p>The locks and the folder are on this machine: the cache is for runtimes run on this machine (a
 * {@link LocalProcessTransport}, the testkit's fake), not over SSH. Thread-safe; immutable.
 */
public final class ImageCache {

  private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Longest readable part of a {@link #fileName(String)}, in characters: 80. */
  public static final int MAX_READABLE_LENGTH = 80;

  private final Path directory;

  private ImageCache(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** A cache in {@code directory} (created on first use). */
  public static ImageCache in(Path directory) {
    return new ImageCache(Objects.requireNonNull(directory, "directory"));
  }

  /** The cache at {@link #defaultDirectory(Map, String)} for this process's environment. */
  public static ImageCache openDefault() {
    return in(defaultDirectory(System.getenv(), System.getProperty("user.home")));
  }

  /**
   * The default folder: {@code $XDG_CACHE_HOME/scompose/images} when {@code XDG_CACHE_HOME} is set
   * to an absolute path, else {@code <userHome>/.cache/scompose/images}.
   */
  public static Path defaultDirectory(Map<String, String> environment, String userHome) {
    String xdg = environment.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(userHome, ".cache");
    return base.resolve("scompose").resolve("images");
  }

  /** The folder. */
  public Path directory() {
    return directory;
  }

  /**
   * The safe file name of {@code reference} (see the class comment), e.g. {@code
   * docker___redis_7-alpine-1f2e3d4c5b6a7988.sif} for {@code docker://redis:7-alpine}.
   *
   * @throws IllegalArgumentException when {@code reference} is blank
   */
  public static String fileName(String reference) {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("an image reference is blank");
    }
    StringBuilder readable = new StringBuilder();
    for (int i = 0; i < reference.length() && readable.length() < MAX_READABLE_LENGTH; i++) {
      char c = reference.charAt(i);
      boolean safe =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '.' && i > 0
              || c == '-' && i > 0
              || c == '_';
      readable.append(safe ? c : '_');
    }
    return readable + "-" + digest(reference).substring(0, 16) + ".sif";
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Where the image of {@code reference} is, or would be, cached. */
  public Path path(String reference) {
    return directory.resolve(fileName(reference));
  }

  /**
   * The cached image of {@code reference} when it is there (as {@code client}'s transport sees the
   * file), without pulling.
   */
  public Optional<Path> lookup(SingularityClient client, String reference) {
    Path file = path(reference);
    return present(client.transport(), file) ? Optional.of(file) : Optional.empty();
  }

  /**
   * The cached image of {@code reference}, pulled with {@code client} ({@code pull FILE REFERENCE})
   * when it is not cached yet; concurrent calls for one reference, from threads or JVMs of this
   * machine, pull once (see the class comment).
   *
   * @return the absolute path of the cached SIF file
   * @throws SingularityException when the pull fails (its cause the binary's error); nothing is
   *     cached then
   * @throws UncheckedIOException when the folder or the lock file cannot be created, or the pulled
   *     file cannot be renamed onto its final name
   */
  public Path get(SingularityClient client, String reference) {
    return fetch(client, reference, false);
  }

  /**
   * Pulls {@code reference} again (for a moving tag such as {@code latest}) and replaces the cached
   * file atomically (local transport) once the pull succeeded; as {@link #get} otherwise.
   */
  public Path refresh(SingularityClient client, String reference) {
    return fetch(client, reference, true);
  }

  private Path fetch(SingularityClient client, String reference, boolean again) {
    Path file = path(reference);
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, f -> new ReentrantLock());
    jvmLock.lock();
    try {
      Files.createDirectories(directory);
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        Transport transport = client.transport();
        if (!again && present(transport, file)) {
          LOG.debug("image {} is cached at {}", reference, file);
          return file;
        }
        pull(client, reference, file, again);
        return file;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot use the image cache " + directory + ": " + e.getMessage(), e);
    } finally {
      jvmLock.unlock();
    }
  }

  private void pull(SingularityClient client, String reference, Path file, boolean replace)
      throws IOException {
    if (!(client.transport() instanceof LocalProcessTransport)) {
      LOG.info("pulling {} into the image cache ({})", reference, file);
      client.pull(
          io.github.scompose.core.client.Pull.builder()
              .uri(reference)
              .destination(file.toString())
              .force(replace)
              .build());
      return;
    }
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    Path partial =
        file.resolveSibling(
            "." + file.getFileName() + "." + HexFormat.of().formatHex(random) + ".partial");
    LOG.info("pulling {} into the image cache ({})", reference, file);
    boolean moved = false;
    try {
      client.pull(Pull.of(reference, partial.toString()));
      if (!Files.exists(partial)) {
        throw new SingularityException(
            "the pull of " + reference + " succeeded but wrote no file at " + partial);
      }
      try {
        Files.move(
            partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + directory + " cannot rename atomically", e);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(partial);
      }
    }
  }

  /** Whether {@code file} exists as {@code transport} sees it (read from its end: no content). */
  private static boolean present(Transport transport, Path file) {
    if (transport instanceof LocalProcessTransport) {
      return Files.isRegularFile(file);
    }
    try {
      return transport.readFile(file.toString(), Long.MAX_VALUE).isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "ImageCache[" + directory + "]";
  }
}
