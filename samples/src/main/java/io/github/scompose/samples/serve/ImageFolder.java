package io.github.scompose.samples.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The images directly inside one folder of this machine: regular files named {@code *.sif}, {@code
 * *.simg} or {@code *.img} (any case) and sandbox folders (folders holding {@code .singularity.d}),
 * symbolic links followed; hidden names (starting with {@code .}) are left out. Listed afresh on
 * every call (one directory read), so added, replaced and removed images show at once.
 *
 * <p>{@link #find} is the only way from a name to a path: a name that is not exactly one listed
 * entry ({@code ..}, anything with {@code /}, an unlisted file) finds nothing. Thread-safe.
 */
public final class ImageFolder {

  private static final List<String> EXTENSIONS = List.of(".sif", ".simg", ".img");

  private final Path folder;

  /**
   * The folder {@code folder} (made absolute).
   *
   * @throws IllegalArgumentException when it is not a readable folder
   */
  public ImageFolder(Path folder) {
    Path absolute = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute) || !Files.isReadable(absolute)) {
      throw new IllegalArgumentException(folder + " is not a readable folder");
    }
    this.folder = absolute;
  }

  /** The folder's absolute path. */
  public Path folder() {
    return folder;
  }

  /**
   * The images now in the folder, sorted by name.
   *
   * @throws UncheckedIOException when the folder cannot be read (e.g. it was removed)
   */
  public List<ServedImage> list() {
    List<ServedImage> images = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        image(entry).ifPresent(images::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    images.sort(Comparator.comparing(ServedImage::name));
    return images;
  }

  /** The listed image named exactly {@code name}, if any. */
  public Optional<ServedImage> find(String name) {
    if (name == null || name.isEmpty() || name.contains("/") || name.contains("\0")) {
      return Optional.empty();
    }
    return list().stream().filter(i -> i.name().equals(name)).findFirst();
  }

  private static Optional<ServedImage> image(Path entry) {
    String name = entry.getFileName().toString();
    if (name.startsWith(".")) {
      return Optional.empty();
    }
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(entry, BasicFileAttributes.class);
    } catch (IOException e) {
      return Optional.empty(); // gone since listed, or a dangling link
    }
    boolean sandbox = a.isDirectory() && Files.isDirectory(entry.resolve(".singularity.d"));
    String lower = name.toLowerCase(Locale.ROOT);
    boolean file = a.isRegularFile() && EXTENSIONS.stream().anyMatch(lower::endsWith);
    if (!sandbox && !file) {
      return Optional.empty();
    }
    return Optional.of(
        ServedImage.builder()
            .name(name)
            .path(entry)
            .sizeBytes(sandbox ? 0 : a.size())
            .modified(a.lastModifiedTime().toInstant())
            .sandbox(sandbox)
            .build());
  }
}
