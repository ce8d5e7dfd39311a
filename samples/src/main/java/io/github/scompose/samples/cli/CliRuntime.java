package io.github.scompose.samples.cli;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.RuntimeChoice;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.core.compose.RuntimeSelection;
import io.github.scompose.core.errors.BinaryNotFoundException;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.HostPorts;
import io.github.scompose.testkit.FakeRuntime;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The runtime a command works on, chosen by {@code --runtime}, else the system property {@code
 * scompose.runtime}, else the environment variable {@code SCOMPOSE_RUNTIME}, else auto ({@link
 * ComposeWiring#selectRuntime}, the rule {@code Compose.local()} and the JUnit extension share):
 *
 * <ul>
 *   <li>{@code real}: {@code apptainer} or {@code singularity} found by {@link BinaryLocator}
 *       ({@code APPTAINER_BINARY}, {@code SINGULARITY_BINARY}, then PATH) over {@link
 *       LocalProcessTransport}, its {@code --version} cached per user ({@link
 *       BinaryLocator.Builder#userVersionCache}: a second run makes no probe); none found is a
 *       one-line error, exit 1;
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
 * <p>Engines come from {@link ComposeWiring#system()} on both: the process's runtime facts (root
 * when the effective uid is 0 — also on the fake, so that it plans what a real binary would), the
 * per-user lease store, and host ports of this host (real) or of the fake's own view.
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
   * Test seam: applied to the runtime facts {@link ComposeWiring#facts} detected for this process
   * (e.g. root, so that in-process tests plan a bridge whatever the real effective uid). Identity
   * outside tests.
   */
  static volatile UnaryOperator<RuntimeFacts> factsOverride = UnaryOperator.identity();

  /** How the flag is named in messages. */
  static final String FLAG = "--runtime";

  /**
   * Test seam: wraps the embedded fake's transport (e.g. to record every request's argv and
   * environment). Identity outside tests.
   */
  static volatile UnaryOperator<Transport> fakeTransportOverrides = UnaryOperator.identity();

  private final SingularityClient client;
  private final Optional<FakeRuntime> fake;
  private final Transport transport;
  private final ComposeWiring wiring;

  private CliRuntime(
      SingularityClient client,
      Optional<FakeRuntime> fake,
      Transport transport,
      ComposeWiring wiring) {
    this.client = client;
    this.fake = fake;
    this.transport = transport;
    this.wiring = wiring;
  }

  /**
   * The runtime chosen by {@code flag} ({@code --runtime}; {@code null} when not given), the system
   * property, the environment variable, else auto.
   *
   * @throws CliException exit 2 for a choice other than auto, real, fake (naming where it came
   *     from), for {@code --parallel} below 1 or an invalid {@code COMPOSE_PARALLEL_LIMIT}; exit 1
   *     when real is chosen and no binary is found
   */
  static CliRuntime connect(String flag, ScomposeCommand options) {
    ComposeWiring.Builder wb = ComposeWiring.builder();
    if (options.parallel != null) {
      if (options.parallel < 1) {
        throw new CliException(
            ScomposeCommand.EXIT_INVALID,
            "--parallel "
                + options.parallel
                + " is below 1 (how many instances start or stop at"
                + " once)");
      }
      wb.parallelLimit(options.parallel);
    }
    ComposeWiring wiring = wb.build();
    try {
      wiring.parallelLimit();
    } catch (IllegalArgumentException e) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, e.getMessage());
    }
    RuntimeSelection selection;
    try {
      selection = wiring.selectRuntime(flag, FLAG);
    } catch (IllegalArgumentException e) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, e.getMessage());
    }
    RuntimeChoice choice = selection.choice();
    if (choice == RuntimeChoice.FAKE) {
      return startFake(wiring);
    }
    LocalProcessTransport local = LocalProcessTransport.create();
    try {
      SingularityBinary binary =
          BinaryLocator.builder()
              .environment(System.getenv())
              .userVersionCache()
              .build()
              .locate(local);
      return new CliRuntime(
          SingularityClient.builder().transport(local).binary(binary).build(),
          Optional.empty(),
          local,
          wiring);
    } catch (BinaryNotFoundException e) {
      if (choice == RuntimeChoice.REAL) {
        String which =
            selection.source().equals(FLAG) ? FLAG + " real" : "runtime " + selection.describe();
        throw new CliException(
            ScomposeCommand.EXIT_FAILURE,
            which
                + ": no apptainer or singularity binary found (APPTAINER_BINARY,"
                + " SINGULARITY_BINARY, then PATH); install one or use --runtime fake");
      }
      options.err.println(
          "scompose: no apptainer or singularity on PATH — instances are emulated by the embedded"
              + " fake runtime (--runtime fake); nothing runs in a container");
      return startFake(wiring);
    }
  }

  private static CliRuntime startFake(ComposeWiring wiring) {
    FakeRuntime runtime =
        fakeOverrides
            .apply(FakeProgram.program(FakeRuntime.builder()))
            .stateDirectory(fakeStateDirectory())
            .build();
    Transport transport = fakeTransportOverrides.apply(runtime.transport());
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
    return new CliRuntime(client, Optional.of(runtime), transport, wiring);
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

  /** The runtime facts engines on this runtime plan with ({@link #factsOverride} applied). */
  RuntimeFacts facts() {
    return factsOverride.apply(wiring.facts(client.dialect()));
  }

  /**
   * An engine builder on this runtime, from {@link ComposeWiring}: {@link #facts()}, the per-user
   * lease store, and port mappings planned on the fake against the fake's own view of host ports
   * ({@link FakeRuntime#hostPorts()}: its instances bind nothing), so a published port taken by
   * something else on this machine does not stop an emulated stack; on a real runtime, against this
   * host's sockets.
   */
  Compose.Builder composeBuilder() {
    HostPorts ports = fake.<HostPorts>map(FakeRuntime::hostPorts).orElseGet(HostPorts::system);
    return wiring.engine(client, facts(), ports);
  }

  @Override
  public void close() {
    transport.close();
  }
}
