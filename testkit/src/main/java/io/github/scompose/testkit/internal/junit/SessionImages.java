package io.github.scompose.testkit.internal.junit;

import io.github.scompose.core.client.ImageCache;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.ServiceImage;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.spec.ComposeProject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the JUnit extension gets images through the per-user {@link ImageCache}, so that a second
 * test run pulls nothing: a compose stack's pulled images ({@code <state>/images/<service>.sif},
 * where {@code up} would pull them) are linked to the cached file before {@code up}, which then
 * finds them present; an {@code @InstanceUnderTest} image given as a URI is started from the cached
 * file.
 *
 * <p>Only on a runtime whose files are on this machine (a {@link LocalProcessTransport}: the real
 * binary); the in-JVM fake's pulls cost nothing and are left as they are, so that tests on the fake
 * never write to the user's cache folder. Folder: system property {@value #PROPERTY}, else
 * environment variable {@value #VARIABLE}, else {@link ImageCache#defaultDirectory} ({@code
 * $XDG_CACHE_HOME/scompose/images}, {@code ~/.cache/scompose/images}); the value {@code off} turns
 * the cache off. A link is a hard link where the file system allows it, else a symbolic link;
 * deleting the stack's state folder deletes the link, never the cached image.
 */
public final class SessionImages {

  /** System property naming the cache folder, or {@code off}: {@value}. */
  public static final String PROPERTY = "scompose.testkit.imageCache";

  /** Environment variable read when the property is unset: {@value}. */
  public static final String VARIABLE = "SCOMPOSE_TESTKIT_IMAGE_CACHE";

  private static final Logger LOG = LoggerFactory.getLogger(SessionImages.class);

  private SessionImages() {}

  /**
   * The cache to use with {@code client}, from {@code properties} and {@code environment} (see the
   * class comment); empty when off or when the client's runtime is not on this machine.
   */
  public static Optional<ImageCache> cache(
      SingularityClient client, Map<String, String> properties, Map<String, String> environment) {
    if (!(client.transport() instanceof LocalProcessTransport)) {
      return Optional.empty();
    }
    String configured = properties.get(PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = environment.get(VARIABLE);
    }
    if (configured != null && configured.strip().equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    if (configured != null && !configured.isBlank()) {
      return Optional.of(ImageCache.in(Path.of(configured.strip())));
    }
    return Optional.of(
        ImageCache.in(ImageCache.defaultDirectory(environment, System.getProperty("user.home"))));
  }

  private static Optional<ImageCache> cache(SingularityClient client) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, String> properties = (Map) System.getProperties();
    return cache(client, properties, System.getenv());
  }

  /**
   * The image to start an {@code @InstanceUnderTest} from: the cached file of a URI ({@code
   * docker://…}, pulled once), else {@code image} as written.
   */
  public static String image(SingularityClient client, String image) {
    if (!image.contains("://")) {
      return image;
    }
    return cache(client).map(c -> c.get(client, image).toString()).orElse(image);
  }

  /**
   * Links every image {@code up} would pull for {@code project} to its cached file (pulling it into
   * the cache first when missing); does nothing without a cache.
   *
   * @throws io.github.scompose.core.errors.SingularityException when a pull fails
   * @throws UncheckedIOException when a link cannot be made
   */
  public static void prepare(
      SingularityClient client, Compose compose, ComposeProject project, PlanOptions options) {
    Optional<ImageCache> cache = cache(client);
    if (cache.isPresent()) {
      prepare(cache.get(), client, compose, project, options);
    }
  }

  /**
   * {@link #prepare(SingularityClient, Compose, ComposeProject, PlanOptions)} with {@code cache}.
   */
  public static void prepare(
      ImageCache cache,
      SingularityClient client,
      Compose compose,
      ComposeProject project,
      PlanOptions options) {
    for (ServiceImage row : compose.images(project, options)) {
      if (row.source() != ServiceImage.Source.PULL || row.present()) {
        continue;
      }
      Path cached = cache.get(client, row.reference());
      link(Path.of(row.path()), cached);
      LOG.debug("{}: {} from the image cache ({})", row.service(), row.path(), cached);
    }
  }

  private static void link(Path at, Path cached) {
    try {
      Files.createDirectories(at.getParent());
      try {
        Files.createLink(at, cached);
      } catch (FileAlreadyExistsException e) {
        // made meanwhile: up finds it
      } catch (IOException | UnsupportedOperationException e) {
        Files.createSymbolicLink(at, cached);
      }
    } catch (FileAlreadyExistsException e) {
      // made meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot link " + at + " to the cached image " + cached + ": " + e.getMessage(), e);
    }
  }
}
