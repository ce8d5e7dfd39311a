package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A one-off {@code run} of a service's image with the settings of one of its instances: the same
 * binds, environment, env file and container options, but no network namespace ({@code --net},
 * {@code --network}, {@code --network-args}), no {@code --hostname} and no {@code --fakeroot} that
 * only the network asked for — the instances keep their addresses and names. A bind of a file in
 * the state directory (hosts, resolver) is dropped when the file does not exist (the project was
 * never up).
 */
public final class OneOffRun {

  private OneOffRun() {}

  /** {@code run [settings] IMAGE args…} from {@code start}. */
  public static Run of(InstanceStart start, Path stateDirectory, String... args) {
    Path volumes = stateDirectory.resolve("volumes");
    List<Bind> binds =
        start.binds().stream()
            .filter(
                b -> {
                  Path source = Path.of(b.source());
                  return !source.startsWith(stateDirectory)
                      || source.startsWith(volumes)
                      || Files.exists(source);
                })
            .toList();
    Run.Builder r =
        Run.builder()
            .target(start.image())
            .binds(binds)
            .environment(start.environment())
            .envFile(start.envFile())
            .contain(start.contain())
            .containall(start.containall())
            .cleanenv(start.cleanenv())
            .home(start.home())
            .pwd(start.pwd())
            .nv(start.nv())
            .rocm(start.rocm())
            .overlays(start.overlays())
            .scratch(start.scratch())
            .writableTmpfs(start.writableTmpfs())
            .options(start.options())
            .addArgs(args);
    return r.build();
  }

  /**
   * Creates the named-volume folders {@code run} binds, through {@code transport} (where the binary
   * runs), and refuses secret files others may read.
   *
   * @throws io.github.scompose.core.compose.ComposeOperationException for such a secret file
   * @throws io.github.scompose.core.transport.TransportException when a folder cannot be created
   */
  public static void prepare(Transport transport, Path stateDirectory, Run run, String who) {
    Path volumes = stateDirectory.resolve("volumes");
    for (Bind b : run.binds()) {
      Path source = Path.of(b.source());
      if (source.startsWith(volumes)) {
        transport.createDirectories(source.toString());
      }
    }
    OperationFailures.checkSecrets(transport, "run", who, run.binds());
  }
}
