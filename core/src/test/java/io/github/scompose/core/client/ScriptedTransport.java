package io.github.scompose.core.client;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A transport for tests: records every request and answers with a script (a function of the
 * request). Files for {@link #readFile} come from a map; {@link #writeFile} and {@link #deleteFile}
 * (and the commands {@code cp /dev/stdin F}, {@code rm -f F}) act on that map, so env-file handling
 * can be checked; the temporary directory is {@code /remote/tmp}.
 */
final class ScriptedTransport implements LocalFileTransport {

  final List<CommandRequest> requests = new ArrayList<>();
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private Function<CommandRequest, CommandResult> script = r -> ok(r, "");
  private int tempFiles;

  ScriptedTransport answer(Function<CommandRequest, CommandResult> script) {
    this.script = script;
    return this;
  }

  static CommandResult ok(CommandRequest r, String stdout) {
    return result(r, 0, stdout, "");
  }

  static CommandResult result(CommandRequest r, int exit, String stdout, String stderr) {
    return CommandResult.builder()
        .argv(r.argv())
        .exitCode(exit)
        .stdout(stdout)
        .stderr(stderr)
        .duration(Duration.ofMillis(1))
        .build();
  }

  /** The argv of every request, in order. */
  synchronized List<List<String>> argvs() {
    return requests.stream().map(CommandRequest::argv).toList();
  }

  @Override
  public synchronized CommandResult run(CommandRequest request) {
    requests.add(request);
    List<String> argv = request.argv();
    switch (argv.get(0)) {
      case "mktemp" -> {
        String path = "/tmp/scompose-env.test" + (++tempFiles);
        files.put(path, new byte[0]);
        return ok(request, path + "\n");
      }
      case "cp" -> {
        if (argv.equals(List.of("cp", "/dev/stdin", argv.get(2)))) {
          files.put(argv.get(2), request.stdin().orElse(new byte[0]));
          return ok(request, "");
        }
      }
      case "rm" -> {
        files.remove(argv.get(2));
        return ok(request, "");
      }
      default -> {}
    }
    return script.apply(request);
  }

  @Override
  public synchronized RunningCommand start(CommandRequest request, OutputListener listener) {
    CommandResult r = run(request);
    r.stdout().lines().forEach(listener::onStdout);
    r.stderr().lines().forEach(listener::onStderr);
    CommandResult streamed = r.withStdout("").withStderr("");
    return new RunningCommand() {
      @Override
      public CompletableFuture<CommandResult> completion() {
        return CompletableFuture.completedFuture(streamed);
      }

      @Override
      public void cancel() {}

      @Override
      public boolean isAlive() {
        return false;
      }
    };
  }

  /** Path → mode of every {@link #writeFile}, in order. */
  final Map<String, String> writes = new java.util.LinkedHashMap<>();

  /** Paths given to {@link #deleteFile}, in order. */
  final List<String> deletes = new ArrayList<>();

  @Override
  public synchronized void writeFile(
      String path,
      byte[] content,
      java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) {
    writes.put(path, java.nio.file.attribute.PosixFilePermissions.toString(mode));
    files.put(path, content.clone());
  }

  @Override
  public synchronized void deleteFile(String path) {
    deletes.add(path);
    files.remove(path);
  }

  @Override
  public String temporaryDirectory() {
    return "/remote/tmp";
  }

  /**
   * The entries of {@code path} among {@link #files}' paths (empty when none is below it): this
   * transport's files are its map, never this machine's, so no listing reads the real disk (the
   * client reads instance records with it).
   */
  @Override
  public Optional<List<String>> listDirectory(String path) {
    String prefix = path + "/";
    List<String> names =
        files.keySet().stream()
            .filter(f -> f.startsWith(prefix))
            .map(f -> f.substring(prefix.length()).split("/", 2)[0])
            .distinct()
            .sorted()
            .toList();
    return names.isEmpty() ? Optional.empty() : Optional.of(names);
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    byte[] b = files.get(path);
    if (b == null) {
      return Optional.empty();
    }
    int from = (int) Math.min(offset, b.length);
    return Optional.of(Arrays.copyOfRange(b, from, b.length));
  }

  void append(String path, String text) {
    byte[] old = files.getOrDefault(path, new byte[0]);
    byte[] add = text.getBytes(StandardCharsets.UTF_8);
    byte[] both = Arrays.copyOf(old, old.length + add.length);
    System.arraycopy(add, 0, both, old.length, add.length);
    files.put(path, both);
  }

  @Override
  public String describe() {
    return "scripted";
  }

  @Override
  public void close() {}

  /** A transport on which no program exists. */
  static Transport empty() {
    return new ScriptedTransport()
        .answer(
            r -> {
              throw new TransportException("cannot run " + r.argv().get(0) + ": not on PATH");
            });
  }
}
