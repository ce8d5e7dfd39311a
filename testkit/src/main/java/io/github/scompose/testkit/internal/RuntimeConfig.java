package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.LatencyModel;
import io.github.scompose.testkit.ScriptedResponse;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a fake runtime was programmed with; immutable, and serialisable so that the
 * out-of-process emulator reads the same programme from its state directory.
 */
public record RuntimeConfig(
    FakeDialect dialect,
    String version,
    String hostName,
    String userName,
    String homeDirectory,
    Map<String, FakeImage> images,
    boolean anyImageExists,
    List<ExecRule> execRules,
    List<ExecRule> runRules,
    List<CommandRule> commandRules,
    Map<String, StartFailure> startFailures,
    Map<String, Duration> crashAfter,
    Set<String> diesAtStart,
    Set<String> hangsAtStart,
    Duration startLatency,
    Map<String, Duration> startLatencies,
    Duration stillListedAfterStop,
    Duration stillListedAfterKill,
    long firstPid,
    Map<String, String> hostEnvironment,
    Duration instanceLifetime,
    LatencyModel latencyModel)
    implements Serializable {

  /**
   * Fills in {@link FakeRuntime#DEFAULT_INSTANCE_LIFETIME} for a programme stored without a
   * lifetime (a state directory of an older testkit). {@code latencyModel} is {@code null} when
   * there is none (the default: no latency).
   */
  public RuntimeConfig {
    if (instanceLifetime == null) {
      instanceLifetime = FakeRuntime.DEFAULT_INSTANCE_LIFETIME;
    }
  }

  /**
   * A scripted answer to {@code exec TARGET COMMAND...} (or, in {@link #runRules()}, to {@code run
   * TARGET ARGS...}); target {@code *} matches any.
   */
  public record ExecRule(
      String target, List<String> command, boolean prefix, ScriptedResponse response)
      implements Serializable {
    boolean matches(String actualTarget, List<String> actualCommand) {
      if (!target.equals("*") && !target.equals(actualTarget)) {
        return false;
      }
      if (prefix) {
        return actualCommand.size() >= command.size()
            && actualCommand.subList(0, command.size()).equals(command);
      }
      return actualCommand.equals(command);
    }
  }

  /** A scripted answer to any invocation whose arguments start with {@code argumentsPrefix}. */
  public record CommandRule(List<String> argumentsPrefix, ScriptedResponse response)
      implements Serializable {}

  /** A scripted failure of {@code instance start} of one name. */
  public record StartFailure(int exitCode, String message) implements Serializable {}

  /** The per-user directory, e.g. {@code /home/u/.apptainer}. */
  public String userDirectory() {
    return homeDirectory + "/" + dialect.userDirectory();
  }

  /** Directory of an instance's log files. */
  public String logDirectory() {
    return userDirectory() + "/instances/logs/" + hostName + "/" + userName;
  }

  /** Directory of instance state files. */
  public String stateFileDirectory() {
    return userDirectory() + "/instances/sing/" + hostName + "/" + userName;
  }
}
