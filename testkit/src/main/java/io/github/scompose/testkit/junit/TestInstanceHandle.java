package io.github.scompose.testkit.junit;

import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.wait.WaitStrategy;
import io.github.scompose.testkit.wait.WaitTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A started instance injected into an {@link InstanceUnderTest} field: its name, {@code exec} into
 * it, its logs, waits. Stopped by the extension (after the test or the class, also on failure, and
 * by the JVM shutdown hook); {@link #stop()} may be called earlier. Thread-safe.
 */
public final class TestInstanceHandle {
  private final Transport transport;
  private final SingularityClient client;
  private final String program;
  private final String name;
  private final String logOutPath;
  private final String logErrPath;
  private final WaitTarget waitTarget;
  private final BooleanSupplier endedWithRuntime;
  private volatile Runnable afterStop = () -> {};
  private volatile Map<String, String> execEnvironment = Map.of();
  private volatile boolean stopped;

  TestInstanceHandle(
      Transport transport,
      SingularityClient client,
      String program,
      String name,
      String logOutPath,
      String logErrPath,
      WaitTarget waitTarget,
      BooleanSupplier endedWithRuntime) {
    this.transport = transport;
    this.client = client;
    this.program = program;
    this.name = name;
    this.logOutPath = logOutPath;
    this.logErrPath = logErrPath;
    this.waitTarget = waitTarget;
    this.endedWithRuntime = endedWithRuntime;
  }

  /** What runs once the instance is stopped (or found gone): the session entry's release. */
  void afterStop(Runnable afterStop) {
    this.afterStop = afterStop;
  }

  /**
   * The binary's variables ({@code SINGULARITYENV_K=V}) every {@link #exec} passes: the declared
   * {@link InstanceUnderTest#environment()}, which the binary gives the startscript only.
   */
  void execEnvironment(Map<String, String> variables) {
    this.execEnvironment = Map.copyOf(variables);
  }

  /** The instance name. */
  public String name() {
    return name;
  }

  /**
   * Runs {@code exec instance://NAME COMMAND...}, with the field's {@link
   * InstanceUnderTest#environment()} (as the binary's {@code SINGULARITYENV_}/{@code APPTAINERENV_}
   * variables again, since a real binary gives the start's variables to the startscript only; so
   * {@code exec} sees them, as docker's {@code exec} sees a container's), and returns its result,
   * whatever its exit code; it never throws for one (a command missing from the image is exit code
   * 255 with the binary's {@code FATAL:} line on stderr, as is an instance no longer running).
   */
  public CommandResult exec(String... command) {
    List<String> argv = new ArrayList<>(List.of(program, "exec", "instance://" + name));
    argv.addAll(List.of(command));
    return transport.run(
        CommandRequest.builder().addAllArgv(argv).putAllEnvironment(execEnvironment).build());
  }

  /** The instance's stdout log so far (empty when there is none). */
  public String stdoutLog() {
    return transport
        .readFile(logOutPath, 0)
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .orElse("");
  }

  /** The instance's stderr log so far. */
  public String stderrLog() {
    return transport
        .readFile(logErrPath, 0)
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .orElse("");
  }

  /**
   * Blocks until {@code strategy} finds the instance ready (on the runtime's clock: virtual on the
   * default fake runtime).
   *
   * @return this handle
   * @throws io.github.scompose.testkit.wait.NotReadyException when it does not become ready
   */
  public TestInstanceHandle waitFor(WaitStrategy strategy) {
    strategy.waitUntilReady(waitTarget);
    return this;
  }

  /** What wait strategies look at for this instance (its clock included). */
  public WaitTarget waitTarget() {
    return waitTarget;
  }

  /**
   * Stops the instance ({@code instance stop NAME}); idempotent once it succeeded. An instance that
   * is already gone (the binary answers "no instance found", or it is no longer listed after a
   * failed stop, or its fake runtime was closed) counts as stopped. Only then is it forgotten by
   * the extension's session record; after a failed stop it stays recorded, so that the JVM shutdown
   * hook tries again and a later run reaps it.
   *
   * @throws SingularityException when the stop fails and the instance is still listed
   * @throws io.github.scompose.core.transport.TransportException when the binary cannot be run
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    if (endedWithRuntime.getAsBoolean()) {
      // a fake runtime that was closed ended every instance of it (and its transport is closed)
      stopped = true;
      afterStop.run();
      return;
    }
    try {
      client.stop(InstanceStop.of(name));
    } catch (InstanceNotFoundException e) {
      // already gone: stopped by hand, or it crashed
    } catch (SingularityException e) {
      boolean listed;
      try {
        listed = client.find(name).isPresent();
      } catch (RuntimeException listing) {
        e.addSuppressed(listing);
        throw e;
      }
      if (listed) {
        throw e;
      }
    }
    stopped = true;
    afterStop.run();
  }

  boolean stopped() {
    return stopped;
  }

  @Override
  public String toString() {
    return "TestInstanceHandle[" + name + "]";
  }
}
