package io.github.scompose.testkit.junit;

import io.github.scompose.core.client.InstanceLogs;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.testkit.wait.InstanceWaitTarget;
import io.github.scompose.testkit.wait.WaitStrategy;
import io.github.scompose.testkit.wait.WaitTarget;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A compose stack injected into a {@link ComposeStackUnderTest} field: {@code exec}, logs, {@code
 * ps}, the instances of a service, and waits. Brought down by the extension (after the test or the
 * class, also on failure, and by the JVM shutdown hook); {@link #stack()} gives the engine's {@link
 * ComposeStack} for everything else. Thread-safe.
 */
public final class TestComposeStack {
  private final ComposeStack stack;
  private final ComposeProject project;
  private final SingularityClient client;
  private final Function<String, WaitTarget> targets;

  TestComposeStack(
      ComposeStack stack,
      ComposeProject project,
      SingularityClient client,
      Function<String, WaitTarget> targets) {
    this.stack = stack;
    this.project = project;
    this.client = client;
    this.targets = instance -> new MappedPorts(stack, targets.apply(instance));
  }

  /**
   * A wait target whose {@link #hostAddress} also knows the host ports the engine chose (ports
   * published as {@code "80"} on a bridge), from the stack's recorded portmaps.
   */
  private record MappedPorts(ComposeStack stack, WaitTarget target) implements WaitTarget {
    @Override
    public String instance() {
      return target.instance();
    }

    @Override
    public CommandResult exec(List<String> command) {
      return target.exec(command);
    }

    @Override
    public String logs() {
      return target.logs();
    }

    @Override
    public String logTail(int lines) {
      return target.logTail(lines);
    }

    @Override
    public boolean isRunning() {
      return target.isRunning();
    }

    @Override
    public java.util.Optional<io.github.scompose.spec.Healthcheck> healthcheck() {
      return target.healthcheck();
    }

    @Override
    public java.net.InetSocketAddress hostAddress(int containerPort) {
      try {
        return target.hostAddress(containerPort);
      } catch (IllegalStateException chosenByTheEngine) {
        return java.net.InetSocketAddress.createUnresolved(
            "127.0.0.1",
            stack.instanceMappedPort(
                target.instance(), containerPort, io.github.scompose.network.Protocol.TCP));
      }
    }

    @Override
    public List<Integer> publishedPorts() {
      return target.publishedPorts();
    }

    @Override
    public Clock clock() {
      return target.clock();
    }

    @Override
    public io.github.scompose.core.client.Sleeper sleeper() {
      return target.sleeper();
    }
  }

  /** The engine's handle (its {@code close()} is {@code down}). */
  public ComposeStack stack() {
    return stack;
  }

  /** The project as loaded, with the name it runs under (see {@link ComposeStackUnderTest}). */
  public ComposeProject project() {
    return project;
  }

  /** Every instance of the project with its state, from one {@code instance list}. */
  public List<InstanceStatus> ps() {
    return stack.ps();
  }

  /** The instance names of {@code service}, in replica order (empty for an unknown service). */
  public List<String> instances(String service) {
    return stack.instances(service);
  }

  /**
   * Runs {@code command} in the first instance of {@code service}, with the service's environment
   * as the instance got it at start ({@link ComposeStack#exec(String, String...)}); returns the
   * result, whatever its exit code, and never throws for one (like Testcontainers' {@code
   * execInContainer}): a command missing from the image is exit code 255 with the binary's {@code
   * FATAL:} line on stderr.
   *
   * @throws IllegalArgumentException when the project has no such service
   * @throws io.github.scompose.core.errors.InstanceNotFoundException when its instance is not
   *     running
   */
  public CommandResult exec(String service, String... command) {
    return stack.exec(service, command);
  }

  /**
   * {@link #exec(String, String...)} with {@code environment} added to, or overriding, the
   * service's ({@code docker compose exec -e K=V}); values never appear in argv. The result
   * whatever its exit code, as {@link #exec(String, String...)}.
   *
   * @throws IllegalArgumentException when the project has no such service
   * @throws io.github.scompose.core.errors.InstanceNotFoundException when its instance is not
   *     running
   */
  public CommandResult exec(String service, Map<String, String> environment, String... command) {
    return stack.exec(service, environment, command);
  }

  /**
   * The host port on which TCP port {@code containerPort} of {@code service}'s first instance is
   * reachable from the test, as Testcontainers' {@code getMappedPort} ({@link
   * ComposeStack#mappedPort(String, int)}): on a bridge, the host port of its portmap (an ephemeral
   * one, leased so that concurrent projects never share it, for a port published as {@code "80"});
   * in host networking, {@code containerPort} itself.
   *
   * @throws IllegalArgumentException when the project has no such service, or a bridged instance
   *     does not publish the port
   */
  public int mappedPort(String service, int containerPort) {
    return stack.mappedPort(service, containerPort);
  }

  /**
   * Everything the instances of {@code service} logged ({@code .out}, then {@code .err}, per
   * instance in replica order), unprefixed.
   */
  public String logs(String service) {
    StringBuilder b = new StringBuilder();
    for (String name : instances(service)) {
      InstanceLogs logs = client.logs(name);
      b.append(logs.out()).append(logs.err());
    }
    return b.toString();
  }

  /** The last {@code lines} lines per log of each instance of {@code service}, prefixed by name. */
  public String logs(String service, int lines) {
    return stack.logs(service, lines);
  }

  /**
   * Blocks until {@code strategy} finds every instance of {@code service} ready, in replica order,
   * on the runtime's clock.
   *
   * @return this handle
   * @throws IllegalArgumentException when the project runs no such service
   * @throws io.github.scompose.testkit.wait.NotReadyException when one does not become ready
   */
  public TestComposeStack waitFor(String service, WaitStrategy strategy) {
    List<String> names = instances(service);
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "no service '" + service + "' runs in project " + project.name());
    }
    for (String name : names) {
      strategy.waitUntilReady(targets.apply(name));
    }
    return this;
  }

  /** What wait strategies look at for instance {@code instance} of this stack. */
  public WaitTarget waitTarget(String instance) {
    return targets.apply(instance);
  }

  @Override
  public String toString() {
    return "TestComposeStack[" + project.name() + "]";
  }

  static WaitTarget target(
      SingularityClient client,
      ComposeProject project,
      String service,
      String instance,
      Clock clock,
      io.github.scompose.core.client.Sleeper sleeper) {
    ServiceSpec spec =
        project.services().stream()
            .filter(s -> s.name().equals(service))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service '" + service + "'"));
    return InstanceWaitTarget.builder(client, instance)
        .clock(clock)
        .sleeper(sleeper)
        .healthcheck(spec.healthcheck())
        .ports(spec.ports())
        .build();
  }
}
