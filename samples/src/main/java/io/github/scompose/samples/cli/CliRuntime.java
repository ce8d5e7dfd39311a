package io.github.scompose.samples.cli;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.core.errors.BinaryNotFoundException;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.testkit.FakeRuntime;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The runtime a command works on, chosen by {@code --runtime}:
 *
 * <ul>
 *   <li>{@code real}: {@code apptainer} or {@code singularity} found by {@link BinaryLocator}
 *       ({@code APPTAINER_BINARY}, {@code SINGULARITY_BINARY}, then PATH) over {@link
 *       LocalProcessTransport}; none found is a one-line error, exit 1;
 *   <li>{@code fake}: the testkit's {@link FakeRuntime}, programmed by {@link FakeProgram}, reached
 *       through its in-JVM transport on a <em>directory-backed</em> state (default {@code
 *       ~/.scompose/fake-runtime}; {@code SCOMPOSE_FAKE_STATE} or the system property {@code
 *       scompose.fake.state} override it). The directory form keeps instances between commands
 *       ({@code up -d} in one process, {@code ps} and {@code down} in later ones), and every
 *       emulated instance is a real, harmless host process ({@code sleep}) that {@code down} ends —
 *       so "nothing left running" can be checked with the operating system;
 *   <li>{@code auto} (default): real when a binary is found, else fake, announced by one line on
 *       stderr.
 * </ul>
 *
 * <p>Closing ends the connection only: emulated instances keep running until {@code down}.
 */
final class CliRuntime implements AutoCloseable {

  /** Environment variable naming the fake runtime's state directory. */
  static final String FAKE_STATE_VARIABLE = "SCOMPOSE_FAKE_STATE";

  /** System property naming the fake runtime's state directory (wins over the variable). */
  static final String FAKE_STATE_PROPERTY = "scompose.fake.state";

  /**
   * Test seam: further programming of the embedded fake after {@link FakeProgram} (e.g. {@code
   * failStart}), for in-process tests of failure paths. Identity outside tests.
   */
  static volatile UnaryOperator<FakeRuntime.Builder> fakeOverrides = UnaryOperator.identity();

  /**
   * Test seam: applied to the runtime facts detected for the engine ({@link #composeBuilder()})
   * before it is built, e.g. to plan as root in a test that does not run as root. Identity outside
   * tests.
   */
  static volatile UnaryOperator<RuntimeFacts> factsOverride = UnaryOperator.identity();

  private final SingularityClient client;
  private final Optional<FakeRuntime> fake;
  private final Transport transport;

  private CliRuntime(SingularityClient client, Optional<FakeRuntime> fake, Transport transport) {
    this.client = client;
    this.fake = fake;
    this.transport = transport;
  }

  static CliRuntime connect(ScomposeCommand.RuntimeChoice choice, ScomposeCommand options) {
    if (choice == ScomposeCommand.RuntimeChoice.FAKE) {
      return startFake();
    }
    LocalProcessTransport local = LocalProcessTransport.create();
    try {
      SingularityBinary binary =
          BinaryLocator.builder().environment(System.getenv()).build().locate(local);
      return new CliRuntime(
          SingularityClient.builder().transport(local).binary(binary).build(),
          Optional.empty(),
          local);
    } catch (BinaryNotFoundException e) {
      if (choice == ScomposeCommand.RuntimeChoice.REAL) {
        throw new CliException(
            ScomposeCommand.EXIT_FAILURE,
            "--runtime real: no apptainer or singularity binary found (APPTAINER_BINARY,"
                + " SINGULARITY_BINARY, then PATH); install one or use --runtime fake");
      }
      options.err.println(
          "scompose: no apptainer or singularity on PATH — instances are emulated by the embedded"
              + " fake runtime (--runtime fake); nothing runs in a container");
      return startFake();
    }
  }

  private static CliRuntime startFake() {
    FakeRuntime runtime =
        fakeOverrides
            .apply(FakeProgram.program(FakeRuntime.builder()))
            .stateDirectory(fakeStateDirectory())
            .build();
    Transport transport = runtime.transport();
    SingularityBinary binary =
        BinaryLocator.builder().explicitPath(runtime.dialect().program()).build().locate(transport);
    SingularityClient client =
        SingularityClient.builder()
            .transport(transport)
            .binary(binary)
            .hostIdentity(
                HostIdentity.of(
                    runtime.homeDirectory(), FakeProgram.HOST_NAME, FakeProgram.userName()))
            .build();
    return new CliRuntime(client, Optional.of(runtime), transport);
  }

  /** Where the fake keeps its state (see the type's documentation). */
  static Path fakeStateDirectory() {
    String property = System.getProperty(FAKE_STATE_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    String variable = System.getenv(FAKE_STATE_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return Path.of(variable).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".scompose", "fake-runtime");
  }

  SingularityClient client() {
    return client;
  }

  /** The fake, when this is one. */
  Optional<FakeRuntime> fake() {
    return fake;
  }

  /** E.g. {@code "apptainer version 1.3.4"}, {@code "… (embedded fake runtime)"} for the fake. */
  String describe() {
    return client.binary().version().format()
        + (fake.isPresent() ? " (embedded fake runtime)" : "");
  }

  /**
   * An engine builder on this runtime. On the fake, port mappings are planned against the fake's
   * own view of host ports ({@link FakeRuntime#hostPorts()}: its instances bind nothing), so a
   * published port taken by something else on this machine does not stop an emulated stack; on a
   * real runtime, against this host's sockets (the engine's default).
   */
  Compose.Builder composeBuilder() {
    Compose.Builder b =
        Compose.builder()
            .client(client)
            .facts(factsOverride.apply(RuntimeFacts.of(client.dialect())));
    fake.ifPresent(f -> b.networkPlanner(NetworkPlanner.create().withHostPorts(f.hostPorts())));
    return b;
  }

  @Override
  public void close() {
    transport.close();
  }
}
