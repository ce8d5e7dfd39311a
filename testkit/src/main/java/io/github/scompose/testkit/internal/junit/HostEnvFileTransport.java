package io.github.scompose.testkit.internal.junit;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.ImmutableCommandResult;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake runtime's in-JVM transport, plus the three host commands {@link
 * io.github.scompose.core.client.SingularityClient} runs around an {@code --env-file} (so that
 * environment values never reach argv): {@code mktemp -t TEMPLATE}, {@code cp /dev/stdin FILE},
 * {@code rm -f FILE} — done here with Java file operations on this host (the fake reads an env file
 * from the host file system). {@code cp} and {@code rm} act only on files this transport made;
 * every other argv goes to the fake, which runs only {@code singularity}/{@code apptainer}.
 */
public final class HostEnvFileTransport implements Transport {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Transport fake;
  private final Set<String> made = ConcurrentHashMap.newKeySet();

  /** Wraps the fake's transport {@code fake}. */
  public HostEnvFileTransport(Transport fake) {
    this.fake = fake;
  }

  @Override
  public CommandResult run(CommandRequest request) {
    List<String> argv = request.argv();
    try {
      if (argv.size() == 3 && argv.get(0).equals("mktemp") && argv.get(1).equals("-t")) {
        String template = argv.get(2).replaceAll("X+$", "");
        Path file;
        try {
          file =
              Files.createTempFile(template, "", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
          file = Files.createTempFile(template, "");
        }
        made.add(file.toString());
        return result(argv, 0, file + "\n", "");
      }
      if (argv.size() == 3
          && argv.get(0).equals("cp")
          && argv.get(1).equals("/dev/stdin")
          && made.contains(argv.get(2))) {
        Files.write(Path.of(argv.get(2)), request.stdin().orElse(new byte[0]));
        return result(argv, 0, "", "");
      }
      if (argv.size() == 3
          && argv.get(0).equals("rm")
          && argv.get(1).equals("-f")
          && made.remove(argv.get(2))) {
        Files.deleteIfExists(Path.of(argv.get(2)));
        return result(argv, 0, "", "");
      }
    } catch (IOException e) {
      return result(argv, 1, "", argv.get(0) + ": " + e.getMessage() + "\n");
    }
    return fake.run(request);
  }

  private static CommandResult result(List<String> argv, int exit, String out, String err) {
    return ImmutableCommandResult.builder()
        .argv(argv)
        .exitCode(exit)
        .stdout(out)
        .stderr(err)
        .duration(Duration.ZERO)
        .build();
  }

  @Override
  public RunningCommand start(CommandRequest request, OutputListener listener) {
    return fake.start(request, listener);
  }

  @Override
  public Optional<byte[]> readFile(String path, long offset) {
    return fake.readFile(path, offset);
  }

  @Override
  public String describe() {
    return fake.describe();
  }

  /** Closes the fake's transport and deletes env files a failed command left. */
  @Override
  public void close() {
    for (String path : made) {
      try {
        Files.deleteIfExists(Path.of(path));
      } catch (IOException e) {
        // a temporary file; the system's tmp cleaner will have it
      }
    }
    made.clear();
    fake.close();
  }
}
