package io.github.scompose.testkit.internal;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.testkit.FakeTimeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A client of a directory-backed fake runtime that another JVM built: the programme read from its
 * {@code config.ser} (never rewritten), the instances shared through its state directory (locked,
 * atomic), as the out-of-process emulator does, but without a JVM per command. For the testkit's
 * watchdog, which stops a dead test JVM's instances.
 */
public final class AttachedFakeRuntime {
  private AttachedFakeRuntime() {}

  /**
   * A client of the fake runtime kept in {@code stateDirectory}, on the system clock.
   *
   * @throws IOException when the directory holds no readable programme
   */
  public static SingularityClient client(Path stateDirectory) throws IOException {
    RuntimeConfig config = EmulatorMain.readConfig(stateDirectory);
    Emulator emulator = Emulator.inDirectory(config, stateDirectory, FakeTimeSource.system());
    String program = config.dialect().program();
    return SingularityClient.builder()
        .transport(new InJvmTransport(emulator, Set.of("singularity", "apptainer")))
        .binary(
            SingularityBinary.of(
                program, BinaryVersion.parse(program + " version " + config.version())))
        .hostIdentity(HostIdentity.of(config.homeDirectory(), config.hostName(), config.userName()))
        .build();
  }
}
