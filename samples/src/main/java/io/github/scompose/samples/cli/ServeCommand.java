package io.github.scompose.samples.cli;

import io.github.scompose.samples.serve.ImageCatalog;
import io.github.scompose.samples.serve.ImageFolder;
import io.github.scompose.samples.serve.ImageServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code scompose serve FOLDER}: the images in FOLDER as a web page and a JSON API ({@link
 * ImageServer}), on the runtime {@code --runtime} chooses, until the process is stopped (Ctrl-C).
 * Exit 2 for a folder that cannot be read, an unreadable or empty token file, or a bound out of
 * range; exit 1 when the address cannot be bound.
 */
@Command(
    name = "serve",
    description = {
      "Serve the Singularity images in FOLDER (*.sif, *.simg, *.img, sandbox folders) as a web page"
          + " and a JSON API: labels, typed runscript arguments"
          + " (SINGULARITY_RUNSCRIPT_ARG_STR|INT|FLOAT|BOOL labels), and runs.",
    })
final class ServeCommand implements Runnable {

  /**
   * Test seam: called with the started server and a latch that stops it when counted down; without
   * it the command waits for the JVM to stop.
   */
  static volatile Consumer<Started> onStarted;

  /** A started server and the latch that ends {@code serve}. */
  record Started(ImageServer server, CountDownLatch stop) {}

  @ParentCommand ScomposeCommand root;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default 127.0.0.1: this machine only).")
  String host = ImageServer.Builder.DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port (default 8080; 0 picks a free one).")
  int port = ImageServer.Builder.DEFAULT_PORT;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding a token that runs (POST) must send as Authorization: Bearer TOKEN. Default:"
              + " none (anyone who reaches the address may run the images).")
  Path tokenFile;

  @Option(
      names = "--max-parallel",
      paramLabel = "N",
      description = "Most runs at once (default 4); more are answered 503 with Retry-After.")
  int maxParallel = 4;

  @Option(
      names = "--run-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long a run may take before it is killed (its process tree) and answered 504, e.g."
              + " 60s, 500ms, 2m (default 60s).")
  Duration runTimeout = Duration.ofSeconds(60);

  @Parameters(paramLabel = "FOLDER", description = "The folder of images.")
  Path folder;

  @Override
  public void run() {
    ImageFolder images;
    try {
      images = new ImageFolder(folder);
    } catch (IllegalArgumentException e) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, e.getMessage());
    }
    if (maxParallel < 1) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID, "--max-parallel " + maxParallel + " is below 1");
    }
    String token = tokenFile == null ? null : readToken(tokenFile);
    try (CliRuntime runtime = root.connect()) {
      ImageCatalog catalog = new ImageCatalog(images, runtime.client(), maxParallel, runTimeout);
      ImageServer.Builder b = ImageServer.builder().catalog(catalog).host(host).port(port);
      if (token != null) {
        b.token(token);
      }
      try (ImageServer server = b.build().start()) {
        int count = catalog.images().size();
        root.out.println(
            "scompose serve: "
                + server.uri()
                + " — "
                + count
                + (count == 1 ? " image" : " images")
                + " in "
                + images.folder()
                + " on "
                + runtime.describe()
                + (token != null ? "; runs need the bearer token" : ""));
        if (token == null && !java.net.InetAddress.getByName(host).isLoopbackAddress()) {
          root.err.println(
              "scompose serve: warning: listening on "
                  + host
                  + " without --token-file: anyone who reaches this address can run the images");
        }
        root.err.println("scompose serve: Ctrl-C stops");
        root.out.flush();
        root.err.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Consumer<Started> seam = onStarted;
        if (seam != null) {
          seam.accept(new Started(server, stop));
        } else {
          Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "scompose-serve-stop"));
        }
        stop.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.net.UnknownHostException e) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, "--host " + host + " is not an address");
    }
  }

  private static String readToken(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, "cannot read the token file " + file);
    }
    if (token.isEmpty()) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, "the token file " + file + " is empty");
    }
    return token;
  }

  /** {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a number of seconds. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
      Matcher m = FORM.matcher(value.strip());
      if (!m.matches()) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration such as 60s, 500ms, 2m or 1h");
      }
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
          };
      if (d.isZero()) {
        throw new TypeConversionException("the run timeout must be above 0");
      }
      return d;
    }
  }
}
