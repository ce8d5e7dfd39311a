package io.github.scompose.samples.serve;

import io.github.scompose.core.client.Inspect;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.CommandTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The images of an {@link ImageFolder} as the binary sees them: labels ({@code inspect --json
 * --labels}), runscript text ({@code inspect --runscript}), declared arguments, and runs ({@code
 * run IMAGE ARGS...}) — all through one {@link SingularityClient}, so through its {@code Transport}
 * (local binary, SSH, or the testkit's fake). Over SSH the folder must have the same path on both
 * hosts (a shared file system, as on HPC clusters): it is listed here and named to the binary
 * there.
 *
 * <p>What {@code inspect} says is cached per image name, size and modification time, so a replaced
 * image is inspected again. At most {@code maxParallel} runs go at once ({@link #run} refuses more
 * at once, it never queues); each is killed (its whole process tree, by the transport) after {@code
 * runTimeout}. Thread-safe.
 */
public final class ImageCatalog {

  /** Longest stdout or stderr kept of a run, in characters; the rest is cut. */
  public static final int MAX_OUTPUT_CHARS = 1 << 20;

  private final ImageFolder folder;
  private final SingularityClient client;
  private final SingularityClient runClient;
  private final Semaphore runs;
  private final int maxParallel;
  private final Duration runTimeout;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  private record Entry(long size, Instant modified, ImageDetails details) {}

  /** What {@code inspect} says about one image. */
  public record ImageDetails(
      Map<String, String> labels, String runscript, RunscriptArguments arguments) {}

  /** How a run ended (the binary's own errors are {@code SingularityException}s instead). */
  public sealed interface RunOutcome {}

  /** The runscript ran and exited (with any exit code). */
  public record Finished(CommandResult result, boolean truncated) implements RunOutcome {}

  /** {@code maxParallel} runs were going: nothing ran. */
  public record Busy(int maxParallel) implements RunOutcome {}

  /** The run passed its timeout and was killed. */
  public record TimedOut(Duration timeout) implements RunOutcome {}

  /**
   * A catalog of {@code folder} on {@code client}.
   *
   * @param maxParallel most runs at once, at least 1
   * @param runTimeout how long a run may take before it is killed, positive
   * @throws IllegalArgumentException for a bound out of range
   */
  public ImageCatalog(
      ImageFolder folder, SingularityClient client, int maxParallel, Duration runTimeout) {
    if (maxParallel < 1) {
      throw new IllegalArgumentException("max parallel runs " + maxParallel + " is below 1");
    }
    if (runTimeout.isNegative() || runTimeout.isZero()) {
      throw new IllegalArgumentException("run timeout " + runTimeout + " is not positive");
    }
    this.folder = Objects.requireNonNull(folder, "folder");
    this.client = Objects.requireNonNull(client, "client");
    this.runClient =
        SingularityClient.builder()
            .transport(client.transport())
            .binary(client.binary())
            .commandTimeout(runTimeout)
            .build();
    this.runs = new Semaphore(maxParallel);
    this.maxParallel = maxParallel;
    this.runTimeout = runTimeout;
  }

  /** The folder. */
  public ImageFolder folder() {
    return folder;
  }

  /** The run timeout. */
  public Duration runTimeout() {
    return runTimeout;
  }

  /** The images now in the folder. */
  public List<ServedImage> images() {
    return folder.list();
  }

  /** The listed image named exactly {@code name}. */
  public Optional<ServedImage> find(String name) {
    return folder.find(name);
  }

  /**
   * Labels, runscript and declared arguments of {@code image}, inspected once per version.
   *
   * @throws io.github.scompose.core.errors.ImageNotFoundException when it is gone
   * @throws io.github.scompose.core.errors.SingularityException when the binary fails otherwise
   */
  public ImageDetails details(ServedImage image) {
    Entry e = cache.get(image.name());
    if (e != null && e.size() == image.sizeBytes() && e.modified().equals(image.modified())) {
      return e.details();
    }
    String path = image.path().toString();
    Map<String, String> labels =
        client.inspect(Inspect.builder().image(path).json(true).labels(true).build()).labels();
    String text =
        client.execute(Inspect.builder().image(path).json(false).runscript(true).build()).stdout();
    // 3.4.2 prints "==runscript==", the file, and a newline (09-labels-runscript-args.txt)
    String runscript = text.startsWith("==runscript==\n") ? text.substring(14) : text;
    if (runscript.endsWith("\n")) {
      runscript = runscript.substring(0, runscript.length() - 1);
    }
    ImageDetails details =
        new ImageDetails(Map.copyOf(labels), runscript, RunscriptArguments.fromLabels(labels));
    cache.put(image.name(), new Entry(image.sizeBytes(), image.modified(), details));
    return details;
  }

  /**
   * Runs {@code image}'s runscript with {@code arguments} (already checked: {@link
   * CheckedArguments#argv()}), as argv words, never through a shell.
   *
   * @return finished (any exit code), busy, or timed out (killed)
   * @throws IllegalArgumentException when {@code arguments} has problems
   * @throws io.github.scompose.core.errors.SingularityException for the binary's own errors (e.g.
   *     {@code ImageNotFoundException} when the image was removed)
   */
  public RunOutcome run(ServedImage image, CheckedArguments arguments) {
    if (!arguments.valid()) {
      throw new IllegalArgumentException("arguments with problems do not run");
    }
    if (!runs.tryAcquire()) {
      return new Busy(maxParallel);
    }
    try {
      CommandResult r =
          runClient.run(
              Run.ofImage(image.path().toString(), arguments.argv().toArray(String[]::new)));
      boolean cut =
          r.stdout().length() > MAX_OUTPUT_CHARS || r.stderr().length() > MAX_OUTPUT_CHARS;
      if (cut) {
        r = r.withStdout(cut(r.stdout())).withStderr(cut(r.stderr()));
      }
      return new Finished(r, cut);
    } catch (CommandTimeoutException e) {
      return new TimedOut(runTimeout);
    } finally {
      runs.release();
    }
  }

  /** Most runs at once. */
  public int maxParallel() {
    return maxParallel;
  }

  private static String cut(String s) {
    return s.length() > MAX_OUTPUT_CHARS ? s.substring(0, MAX_OUTPUT_CHARS) : s;
  }
}
