package io.github.scompose.testkit.wait;

import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceLogs;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.PortMapping;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link WaitTarget} of one instance reached through a {@link SingularityClient}: {@code exec},
 * its log files (read through the client's transport), {@code instance list}. Immutable.
 *
 * <pre>{@code
 * WaitTarget target = InstanceWaitTarget.builder(client, "shop-db-1").build();
 * Wait.forLogMessage("ready", 1).waitUntilReady(target);
 * }</pre>
 */
public final class InstanceWaitTarget implements WaitTarget {
  private final SingularityClient client;
  private final String instance;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Healthcheck healthcheck;
  private final List<PortMapping> ports;
  private final long outOffset;
  private final long errOffset;

  private InstanceWaitTarget(Builder b) {
    this.client = b.client;
    this.instance = b.instance;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.healthcheck = b.healthcheck;
    this.ports = List.copyOf(b.ports);
    this.outOffset = b.outOffset;
    this.errOffset = b.errOffset;
  }

  /**
   * A builder for instance {@code instance} of {@code client}. Defaults: the system UTC clock,
   * {@link Sleeper#system()}, no healthcheck, no published ports, logs from their beginning.
   */
  public static Builder builder(SingularityClient client, String instance) {
    return new Builder(client, instance);
  }

  /**
   * The current sizes (bytes) of {@code instance}'s {@code .out} and {@code .err} logs, 0 for a
   * missing one: give them to {@link Builder#logsFrom} before a start so that a log wait ignores
   * what earlier runs of the same name wrote.
   */
  public static long[] logSizes(SingularityClient client, String instance) {
    InstanceLogs logs = client.logs(instance);
    return new long[] {
      logs.out().getBytes(StandardCharsets.UTF_8).length,
      logs.err().getBytes(StandardCharsets.UTF_8).length
    };
  }

  @Override
  public String instance() {
    return instance;
  }

  @Override
  public CommandResult exec(List<String> command) {
    Exec exec = Exec.builder().target("instance://" + instance).addAllCommand(command).build();
    return client.execAnyExit(exec); // any exit code is a result: a check that fails
  }

  @Override
  public String logs() {
    InstanceLogs logs = client.logs(instance);
    return after(logs.out(), outOffset) + after(logs.err(), errOffset);
  }

  private static String after(String text, long offset) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (offset <= 0 || offset > bytes.length) {
      return text;
    }
    return new String(bytes, (int) offset, bytes.length - (int) offset, StandardCharsets.UTF_8);
  }

  @Override
  public String logTail(int lines) {
    InstanceLogs logs = client.tailLogs(instance, lines);
    StringBuilder b = new StringBuilder();
    prefix(b, "out | ", logs.out());
    prefix(b, "err | ", logs.err());
    return b.toString();
  }

  private static void prefix(StringBuilder b, String prefix, String text) {
    for (String line : text.split("\n")) {
      if (!line.isEmpty()) {
        b.append(prefix).append(line).append('\n');
      }
    }
  }

  @Override
  public boolean isRunning() {
    return client.find(instance).isPresent();
  }

  @Override
  public Optional<Healthcheck> healthcheck() {
    return Optional.ofNullable(healthcheck);
  }

  @Override
  public InetSocketAddress hostAddress(int containerPort) {
    for (PortMapping m : ports) {
      if (m.protocol() != PortMapping.Protocol.TCP) {
        continue;
      }
      int first = m.containerPorts().start();
      if (containerPort < first || containerPort > m.containerPorts().end()) {
        continue;
      }
      if (m.hostPorts().isEmpty()) {
        throw new IllegalStateException(
            "container port "
                + containerPort
                + " of instance "
                + instance
                + " is published on a host port the engine chose, which the testkit does not"
                + " know: publish a fixed host port (\"8080:"
                + containerPort
                + "\") or wait inside the instance (Wait.forListeningPortInInstance)");
      }
      String ip =
          m.hostIp().filter(h -> !h.equals("0.0.0.0") && !h.equals("::")).orElse("127.0.0.1");
      return InetSocketAddress.createUnresolved(
          ip, m.hostPorts().get().start() + containerPort - first);
    }
    return InetSocketAddress.createUnresolved("127.0.0.1", containerPort);
  }

  @Override
  public List<Integer> publishedPorts() {
    List<Integer> out = new ArrayList<>();
    for (PortMapping m : ports) {
      if (m.protocol() == PortMapping.Protocol.TCP) {
        for (int p = m.containerPorts().start(); p <= m.containerPorts().end(); p++) {
          out.add(p);
        }
      }
    }
    return out;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Sleeper sleeper() {
    return sleeper;
  }

  @Override
  public String toString() {
    return "InstanceWaitTarget[" + instance + "]";
  }

  /** Settings of an {@link InstanceWaitTarget}. Not thread-safe. */
  public static final class Builder {
    private final SingularityClient client;
    private final String instance;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Healthcheck healthcheck;
    private List<PortMapping> ports = List.of();
    private long outOffset;
    private long errOffset;

    private Builder(SingularityClient client, String instance) {
      this.client = Objects.requireNonNull(client, "client");
      this.instance = Objects.requireNonNull(instance, "instance");
    }

    /** The clock deadlines are measured on; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** How pauses pass; default {@link Sleeper#system()}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper);
      return this;
    }

    /** The service's healthcheck (compose {@code healthcheck}); default none. */
    public Builder healthcheck(Optional<Healthcheck> healthcheck) {
      this.healthcheck = healthcheck.orElse(null);
      return this;
    }

    /** The service's published ports (compose {@code ports}); default none. */
    public Builder ports(List<PortMapping> ports) {
      this.ports = List.copyOf(ports);
      return this;
    }

    /**
     * Ignore the first {@code outBytes} of the {@code .out} log and {@code errBytes} of the {@code
     * .err} log in {@link WaitTarget#logs()} (see {@link #logSizes}); default 0.
     */
    public Builder logsFrom(long outBytes, long errBytes) {
      this.outOffset = outBytes;
      this.errOffset = errBytes;
      return this;
    }

    /** The target. */
    public InstanceWaitTarget build() {
      return new InstanceWaitTarget(this);
    }
  }
}
