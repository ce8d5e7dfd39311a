package io.github.scompose.testkit.junit;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A started instance injected into an {@link InstanceUnderTest} field: its name, {@code exec} into
 * it, its logs. Stopped by the extension; {@link #stop()} may be called earlier.
 */
public final class TestInstanceHandle {
  private final Transport transport;
  private final String program;
  private final String name;
  private final String logOutPath;
  private final String logErrPath;
  private volatile boolean stopped;

  TestInstanceHandle(
      Transport transport, String program, String name, String logOutPath, String logErrPath) {
    this.transport = transport;
    this.program = program;
    this.name = name;
    this.logOutPath = logOutPath;
    this.logErrPath = logErrPath;
  }

  /** The instance name. */
  public String name() {
    return name;
  }

  /**
   * Runs {@code exec instance://NAME COMMAND...} and returns its result, whatever its exit code.
   */
  public CommandResult exec(String... command) {
    List<String> argv = new ArrayList<>(List.of(program, "exec", "instance://" + name));
    argv.addAll(List.of(command));
    return transport.run(CommandRequest.of(argv));
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

  /** Stops the instance ({@code instance stop NAME}); idempotent. */
  public void stop() {
    if (!stopped) {
      stopped = true;
      transport.run(CommandRequest.of(program, "instance", "stop", name));
    }
  }

  boolean stopped() {
    return stopped;
  }
}
