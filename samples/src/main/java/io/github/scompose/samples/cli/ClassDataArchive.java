package io.github.scompose.samples.cli;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code samples/target/scompose.jsa} and {@code samples/target/scompose-engine.jsa}, the
 * class-data sharing archives (JDK AppCDS) that the {@code samples/scompose} launcher passes as
 * {@code -XX:SharedArchiveFile}: the classes a command loads come mapped from them, already parsed
 * and verified, instead of read from {@code scompose.jar} (start-up time, issue 11). Run by {@code
 * mvn package} after the shaded jar is made:
 *
 * <pre>java -cp scompose.jar io.github.scompose.samples.cli.ClassDataArchive JAR ARCHIVE SCRATCH
 *     [ENGINE_ARCHIVE]</pre>
 *
 * <p>ARCHIVE holds what the short commands load: a training run ({@code -XX:DumpLoadedClassList})
 * runs, in one process, {@code --help}, {@code config} (YAML and JSON), {@code check} of a valid
 * and an invalid file, {@code config} and {@code check} of a Compose Specification file, {@code
 * version} and {@code ps} on the embedded fake runtime. ENGINE_ARCHIVE (when given) holds the same
 * plus what the engine's commands load: a second training run does all that and then {@code up -d},
 * {@code ps}, {@code logs} and {@code down} on the fake. Two archives, not one: the launcher gives
 * the engine's one only to commands that run the engine ({@code up}, {@code down}, {@code create},
 * {@code start}, ...), so the short commands map only the smaller one (a single archive with the
 * engine in it made {@code config} 20–40 ms slower). Each training run works on files of its own in
 * SCRATCH (the fake's state and leases too; nothing of the user's is read or written); then {@code
 * -Xshare:dump} of those classes. Static archives, not JDK 17's dynamic ones ({@code
 * -XX:ArchiveClassesAtExit}): those leave out classes compiled for Java 5, which is all of picocli,
 * the larger part of the start-up. A finished archive is renamed to its name in one step: the JVM
 * does not check an archive's length, and a truncated one crashes it, so no half-written file ever
 * has the name the launcher uses. A JVM that cannot use an archive (another version, a rebuilt jar)
 * ignores it, and the launcher keeps that quiet.
 *
 * <p>When a step fails (exit status, no output, longer than 3 minutes; run by core's {@link
 * LocalProcessTransport}) the old archive is deleted, one warning line is printed, and the exit
 * status is still 0: the CLI works without the archive, only its start is slower.
 */
final class ClassDataArchive {

  /**
   * JVM options of the launcher that shape the archive, also given to both JVMs here (the default
   * G1 collector is kept: only with it does a JDK 17 archive also hold the module graph and
   * objects).
   */
  static final List<String> LAUNCHER_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

  private static final String TRAIN = "--train";

  private static final String TRAIN_ENGINE = "--train-engine";

  private ClassDataArchive() {}

  /**
   * {@code JAR ARCHIVE SCRATCH [ENGINE_ARCHIVE]}: makes ARCHIVE and ENGINE_ARCHIVE (see the type);
   * {@code --train SCRATCH} and {@code --train-engine SCRATCH}: the training commands themselves.
   *
   * @param args see above
   * @throws IOException when SCRATCH cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 2 && (args[0].equals(TRAIN) || args[0].equals(TRAIN_ENGINE))) {
      train(Path.of(args[1]), args[0].equals(TRAIN_ENGINE));
      return;
    }
    if (args.length != 3 && args.length != 4) {
      System.err.println("usage: ClassDataArchive JAR ARCHIVE SCRATCH [ENGINE_ARCHIVE]");
      System.exit(2);
    }
    Path scratch = Path.of(args[2]);
    build(Path.of(args[0]), Path.of(args[1]), scratch, TRAIN);
    if (args.length == 4) {
      build(Path.of(args[0]), Path.of(args[3]), scratch.resolve("engine"), TRAIN_ENGINE);
    }
  }

  private static void build(Path jar, Path archive, Path scratch, String training)
      throws IOException {
    Path partial = archive.resolveSibling(archive.getFileName() + ".tmp");
    Files.deleteIfExists(partial);
    Files.deleteIfExists(archive);
    Files.createDirectories(scratch.resolve("project"));
    Path classList = scratch.resolve("classes.lst");
    Files.deleteIfExists(classList);
    Path log = scratch.resolve("training.log");
    List<String> trainingRun = java(jar, "-XX:DumpLoadedClassList=" + classList);
    trainingRun.add(ClassDataArchive.class.getName());
    trainingRun.add(training);
    trainingRun.add(scratch.toString());
    String failure = run(trainingRun, scratch, log);
    if (failure == null && !Files.isRegularFile(classList)) {
      failure = "the training run wrote no class list (see " + log + ")";
    }
    if (failure == null) {
      log = scratch.resolve("dump.log");
      failure =
          run(
              java(
                  jar,
                  "-Xshare:dump",
                  "-XX:SharedClassListFile=" + classList,
                  "-XX:SharedArchiveFile=" + partial),
              scratch,
              log);
    }
    if (failure == null && (!Files.isRegularFile(partial) || Files.size(partial) == 0)) {
      failure = "the JVM wrote no archive (see " + log + ")";
    }
    if (failure != null) {
      Files.deleteIfExists(partial);
      System.err.println(
          "[WARNING] "
              + archive
              + " not made: "
              + failure
              + "; scompose starts without it, only more slowly");
      return;
    }
    try {
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println(archive + ": " + Files.size(archive) / 1024 + " KiB");
  }

  /** {@code <this java> OPTIONS LAUNCHER_OPTIONS -cp JAR}. */
  private static List<String> java(Path jar, String... options) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(List.of(options));
    argv.addAll(LAUNCHER_OPTIONS);
    argv.add("-cp");
    argv.add(jar.toString());
    return argv;
  }

  /** Runs {@code argv} to its end, its output in {@code log}; what went wrong, or null. */
  private static String run(List<String> argv, Path scratch, Path log) throws IOException {
    CommandRequest request =
        CommandRequest.builder()
            .argv(argv)
            // leases (if any) under SCRATCH, never in the user's state folder
            .putEnvironment("XDG_STATE_HOME", scratch.resolve("state").toString())
            // the engine's training types commands in its project folder, as users do
            .workingDirectory(scratch.resolve("project").toString())
            .timeout(Duration.ofMinutes(3))
            .build();
    CommandResult result;
    try {
      result = LocalProcessTransport.create().run(request);
    } catch (TransportException e) {
      return String.join(" ", argv) + " did not finish: " + e.getMessage();
    }
    Files.writeString(log, result.stdout() + result.stderr(), StandardCharsets.UTF_8);
    if (result.exitCode() != 0) {
      return String.join(" ", argv) + " exited with " + result.exitCode() + " (see " + log + ")";
    }
    return null;
  }

  /**
   * The commands whose classes the archive holds, run in this JVM with their output discarded;
   * {@code engine}: the engine's commands too (after the short ones), ending with {@code down} also
   * when one of them failed (the fake's instances are host processes).
   */
  private static void train(Path scratch, boolean engine) throws IOException {
    Path project = Files.createDirectories(scratch.resolve("project"));
    // commands without --runtime (those typed in the project folder) must not reach a real binary
    System.setProperty(io.github.scompose.core.compose.RuntimeChoice.PROPERTY, "fake");
    Path valid = project.resolve("singularity-compose.yml");
    Files.writeString(valid, VALID, StandardCharsets.UTF_8);
    Path invalid = project.resolve("invalid.yml");
    Files.writeString(invalid, INVALID, StandardCharsets.UTF_8);
    Path spec = Files.createDirectories(scratch.resolve("compose-spec")).resolve("compose.yml");
    Files.writeString(spec, COMPOSE_SPEC, StandardCharsets.UTF_8);
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, scratch.resolve("fake-state").toString());
    // up and down take address leases: in SCRATCH, not the user's state folder
    System.setProperty(
        io.github.scompose.core.compose.ComposeWiring.LEASE_FILE_PROPERTY,
        scratch.resolve("leases.json").toString());
    String file = valid.toString();
    List<List<String>> runs = new ArrayList<>();
    runs.addAll(
        List.of(
            List.of("--help"),
            List.of("-f", file, "config"),
            List.of("-f", file, "config", "--format", "json"),
            List.of("-f", file, "check"),
            List.of("-f", spec.toString(), "config"),
            List.of("-f", spec.toString(), "check"),
            List.of("-f", invalid.toString(), "check"),
            List.of("version", "--short"),
            List.of("--runtime", "fake", "version"),
            List.of("--runtime", "fake", "-f", file, "ps"),
            List.of("--runtime", "fake", "-f", file, "ps", "--format", "json")));
    List<String> down = List.of("--runtime", "fake", "-f", file, "down");
    if (engine) {
      runs.addAll(
          List.of(
              List.of("--runtime", "fake", "-f", file, "up", "-d"),
              List.of("--runtime", "fake", "-f", file, "ps"),
              List.of("--runtime", "fake", "-f", file, "logs"),
              down,
              // typed in the project folder without options: the load-ahead thread's path
              List.of("up", "-d"),
              List.of("ps"),
              List.of("down")));
    }
    PrintStream discard =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    if (engine) {
      // what the real runtime's commands load besides the fake's: a process of this machine
      try (LocalProcessTransport local = LocalProcessTransport.create()) {
        local.run(CommandRequest.of("true"));
      } catch (TransportException e) {
        // only fewer classes in the archive
      }
    }
    for (List<String> run : runs) {
      int code = ScomposeCommand.run(run.toArray(String[]::new), discard, discard, false);
      int expected = run.contains(invalid.toString()) ? ScomposeCommand.EXIT_INVALID : 0;
      if (code != expected) {
        System.err.println("training: scompose " + String.join(" ", run) + " exited with " + code);
        if (engine) {
          ScomposeCommand.run(down.toArray(String[]::new), discard, discard, false);
        }
        System.exit(1);
      }
    }
  }

  /** Five services with dependencies, ports and volumes (spec 2.0). */
  private static final String VALID =
      """
      version: "2.0"
      instances:
        db:
          image: db.sif
        cache:
          image: cache.sif
          depends_on: [db]
        app:
          image: app.sif
          depends_on: [db, cache]
          volumes:
            - ./data:/data
        web:
          image: web.sif
          depends_on: [app]
          ports:
            - "8080:80"
        worker:
          image: worker.sif
          depends_on: [app]
      """;

  /**
   * The Compose Specification's format (docker compose files): healthcheck, dependency condition,
   * named volume, resources; its binders are other classes than those of spec 2.0. Its anchor and
   * alias put it outside the YAML subset that the loader reads by itself, so snakeyaml-engine's
   * parser, which reads every other file, is in the archives too.
   */
  private static final String COMPOSE_SPEC =
      """
      services:
        db:
          image: docker://postgres:16
          environment:
            POSTGRES_PASSWORD: example
          volumes:
            - data:/var/lib/postgresql/data
          healthcheck: &health
            test: ["CMD", "pg_isready"]
            interval: 5s
            retries: 5
        web:
          image: web.sif
          command: ["serve", "--port", "80"]
          depends_on:
            db:
              condition: service_healthy
          ports:
            - "8080:80"
          volumes:
            - ./site:/srv:ro
          environment:
            - MODE=production
          restart: unless-stopped
          healthcheck: *health
          deploy:
            resources:
              limits:
                cpus: "0.5"
                memory: 256M
      volumes:
        data: {}
      """;

  /** An unknown dependency and a port that is not one: two located problems. */
  private static final String INVALID =
      """
      version: "2.0"
      instances:
        web:
          image: web.sif
          depends_on: [nowhere]
          ports:
            - "eighty:80"
      """;
}
