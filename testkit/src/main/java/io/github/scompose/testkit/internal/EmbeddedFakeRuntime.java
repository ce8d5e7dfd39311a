package io.github.scompose.testkit.internal;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.compose.EmbeddedRuntimeProvider;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.network.HostPorts;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The testkit's {@link EmbeddedRuntimeProvider}, found by {@code Compose.local()} through {@link
 * java.util.ServiceLoader}: one in-memory fake per JVM, {@code FakeRuntime.builder().dialect(
 * SINGULARITY_CE_3_4).anyImageExists()} (the dialect of the recorded reference binary and of the
 * CLI's embedded fake, so that both plan alike) on the system clock, created on first use and kept
 * until the JVM exits.
 */
public final class EmbeddedFakeRuntime implements EmbeddedRuntimeProvider {

  private static final class Holder {
    static final FakeRuntime RUNTIME =
        FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).anyImageExists().build();
    static final SingularityClient CLIENT =
        clientOf(RUNTIME, RUNTIME.transport(), Clock.systemUTC(), Sleeper.system());
  }

  /** For {@link java.util.ServiceLoader}. */
  public EmbeddedFakeRuntime() {}

  @Override
  public SingularityClient client() {
    return Holder.CLIENT;
  }

  @Override
  public HostPorts hostPorts() {
    return Holder.RUNTIME.hostPorts();
  }

  @Override
  public String describe() {
    return "scompose-testkit FakeRuntime, SingularityCE 3.4, in memory";
  }

  /**
   * A client of {@code fake} through {@code transport} (one of its own): its program and version,
   * its home directory, host and user (read from its log paths), waiting on {@code clock} and
   * {@code sleeper}.
   */
  public static SingularityClient clientOf(
      FakeRuntime fake, Transport transport, Clock clock, Sleeper sleeper) {
    String program = fake.dialect().program();
    Path outLog = Path.of(fake.logOutPath("x"));
    String user = outLog.getParent().getFileName().toString();
    String host = outLog.getParent().getParent().getFileName().toString();
    return SingularityClient.builder()
        .transport(transport)
        .binary(
            SingularityBinary.of(
                program, BinaryVersion.parse(program + " version " + fake.version())))
        .hostIdentity(HostIdentity.of(fake.homeDirectory(), host, user))
        .clock(clock)
        .sleeper(sleeper)
        .build();
  }
}
