package io.github.scompose.testkit.compose;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.LocalProcessTransport;
import java.nio.file.Path;

/**
 * The compose engine in a second JVM, for {@link ComposeOutOfProcessTest}: {@code
 * ComposeInSecondJvm ps|down BINARY HOME HOST USER PROJECT_DIR}, or {@code up-halt BINARY HOME HOST
 * USER PROJECT_DIR INSTANCE}: {@code up} of {@code PROJECT_DIR/compose.yaml} whose JVM halts
 * ({@link Runtime#halt}, exit code 137, like {@code kill -9}) as soon as the binary's {@code
 * instance start} of {@code INSTANCE} has returned. Builds a {@link Compose} over core's real
 * {@link LocalProcessTransport} with the emulator launcher {@code BINARY}, then runs {@link
 * Compose#ps(Path)} (one line per instance: {@code name state pid}) or {@link Compose#down(Path)}
 * (one line per stopped instance, in stop order). Knows nothing of the JVM that ran {@code up} but
 * the project's state file.
 */
public final class ComposeInSecondJvm {

  private ComposeInSecondJvm() {}

  /**
   * Entry point; exits 0 after the command, 2 on bad arguments.
   *
   * @param args {@code ps|down BINARY HOME HOST USER PROJECT_DIR}
   */
  public static void main(String[] args) {
    if (args.length == 7 && args[0].equals("up-halt")) {
      upHalting(args);
      return;
    }
    if (args.length != 6 || !(args[0].equals("ps") || args[0].equals("down"))) {
      System.err.println("usage: ComposeInSecondJvm ps|down BINARY HOME HOST USER PROJECT_DIR");
      System.exit(2);
    }
    Compose compose = engine(args[1], HostIdentity.of(args[2], args[3], args[4]));
    Path project = Path.of(args[5]);
    if (args[0].equals("ps")) {
      for (InstanceStatus s : compose.ps(project)) {
        System.out.println(s.name() + " " + s.state() + " " + s.pid().orElse(0));
      }
    } else {
      compose.down(project).forEach(System.out::println);
    }
    System.out.flush();
    System.exit(0);
  }

  private static void upHalting(String[] args) {
    WatchingTransport transport = new WatchingTransport(LocalProcessTransport.create());
    transport.haltAfterStartOf = args[6];
    transport.haltJvm = true;
    Compose compose =
        Compose.builder()
            .client(client(transport, args[1], HostIdentity.of(args[2], args[3], args[4])))
            .build();
    compose.up(
        io.github.scompose.spec.ComposeLoader.defaults()
            .load(Path.of(args[5]).resolve("compose.yaml")));
    System.err.println("up ended without reaching the start of " + args[6]);
    System.exit(3);
  }

  /** An engine whose client runs {@code binary} through {@link LocalProcessTransport}. */
  static Compose engine(String binary, HostIdentity identity) {
    return Compose.builder()
        .client(client(LocalProcessTransport.create(), binary, identity))
        .build();
  }

  /**
   * A client of {@code binary} over {@code transport}, its version probed with {@code --version}.
   */
  static SingularityClient client(
      io.github.scompose.core.transport.Transport transport, String binary, HostIdentity identity) {
    return SingularityClient.builder()
        .transport(transport)
        .binary(BinaryLocator.builder().explicitPath(binary).build().locate(transport))
        .hostIdentity(identity)
        .build();
  }
}
