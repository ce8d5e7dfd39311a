package io.github.scompose.testkit.wait;

import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.Healthcheck;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link WaitStrategy} may look at: one instance, its logs, {@code exec} into it, where its
 * ports are reachable from this host, and the clock and sleeper to poll with (on the testkit's fake
 * runtime with a {@link io.github.scompose.testkit.VirtualTimeSource}, polling never really waits).
 * {@link InstanceWaitTarget} is the implementation over a {@link
 * io.github.scompose.core.client.SingularityClient}.
 */
public interface WaitTarget {

  /** The instance name. */
  String instance();

  /** Runs {@code exec instance://NAME command…}; returns the result whatever its exit code. */
  CommandResult exec(List<String> command);

  /**
   * The instance's log lines written since the target was made (its {@code .out} log, then its
   * {@code .err} log); the binary appends to log files across runs of the same name, so older lines
   * are left out where the target knows where they end.
   */
  String logs();

  /**
   * The last {@code lines} lines of each log, each prefixed with {@code out | } or {@code err | }.
   */
  String logTail(int lines);

  /** Whether the runtime lists the instance now ({@code instance list}). */
  boolean isRunning();

  /** The compose file's healthcheck of the instance's service; empty for a lone instance. */
  Optional<Healthcheck> healthcheck();

  /**
   * Where a TCP port of the instance is reached from this host: the published host port and address
   * of a compose {@code ports:} mapping when there is one (host address {@code 127.0.0.1} for an
   * unspecified or wildcard one), else {@code 127.0.0.1} and the same port, since Singularity
   * instances share the host's network unless started with {@code --net}.
   *
   * @throws IllegalStateException when the port is published on a host port the engine chose
   *     ({@code "3000"} without a host part) and the target does not know it (the targets of a
   *     {@link io.github.scompose.testkit.junit.TestComposeStack} know it: they ask the stack's
   *     {@code mappedPort})
   */
  InetSocketAddress hostAddress(int containerPort);

  /** The container ports of the instance's published TCP mappings, in file order; may be empty. */
  List<Integer> publishedPorts();

  /** The clock deadlines are measured on. */
  Clock clock();

  /** How pauses between polls pass. */
  Sleeper sleeper();
}
