package io.github.scompose.testkit.wait;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The factories of {@link WaitStrategy}, named after Testcontainers' {@code Wait}. Every strategy
 * polls (default every 250 ms, timeout 60 s; {@link PollingWaitStrategy#withTimeout}, {@link
 * PollingWaitStrategy#withPollInterval}) on the target's clock and gives up at once when the
 * instance stops running.
 *
 * <pre>{@code
 * Wait.forLogMessage("Ready to accept connections", 1)
 * Wait.forListeningPort(6379)                  // from this host, through published ports
 * Wait.forListeningPortInInstance(6379)        // inside the instance, through exec
 * Wait.forHttp("/health").forPort(8080).forStatusCode(200)
 * Wait.forSuccessfulCommand("redis-cli", "ping")
 * Wait.forHealthcheck()                        // the compose file's healthcheck
 * }</pre>
 */
public final class Wait {

  private Wait() {}

  /**
   * Ready when {@code times} lines of the instance's logs ({@code .out} and {@code .err}, written
   * since the start) contain a match of {@code regex} ({@link java.util.regex.Matcher#find()}: the
   * pattern need not match the whole line).
   *
   * @throws java.util.regex.PatternSyntaxException when {@code regex} is invalid
   * @throws IllegalArgumentException when {@code times} is below 1
   */
  public static PollingWaitStrategy forLogMessage(String regex, int times) {
    return new LogMessageWaitStrategy(regex, times);
  }

  /**
   * Ready when a TCP connection from this host to each of {@code ports} succeeds; the ports are the
   * instance's (container) ports, mapped through the compose file's {@code ports:} (see {@link
   * WaitTarget#hostAddress}). No ports: every published port of the instance (an instance that
   * publishes none fails the wait with {@link IllegalStateException}).
   *
   * @throws IllegalArgumentException when a port is outside 1..65535
   */
  public static PollingWaitStrategy forListeningPort(int... ports) {
    return new ListeningPortWaitStrategy(Arrays.stream(ports).boxed().toList());
  }

  /**
   * Ready when something listens on TCP {@code port} inside the instance's network namespace (the
   * host's, unless the instance was started with {@code --net}), checked by {@code exec}ing {@link
   * #listeningPortProbe(int)}: a {@code grep} of {@code /proc/net/tcp} and {@code /proc/net/tcp6}
   * for a socket in state LISTEN ({@code 0A}) on that port. Needs {@code sh} and {@code grep} in
   * the image.
   *
   * @throws IllegalArgumentException when {@code port} is outside 1..65535
   */
  public static PollingWaitStrategy forListeningPortInInstance(int port) {
    return new CommandWaitStrategy(
        listeningPortProbe(port), "port " + port + " to listen inside the instance");
  }

  /**
   * The argv {@link #forListeningPortInInstance} {@code exec}s: {@code sh -c SCRIPT probe HEX},
   * where the constant {@code SCRIPT} greps {@code /proc/net/tcp*} for {@code :HEX} (the port as 4
   * upper-case hex digits, e.g. {@code 1F90} for 8080) in state {@code 0A}; the port is an
   * argument, never spliced into the script. Public so that tests can program the fake runtime's
   * answer: {@code respondToExec(name, Wait.listeningPortProbe(8080), ScriptedResponse.ok(""))}.
   */
  public static List<String> listeningPortProbe(int port) {
    checkPort(port);
    return List.of(
        "sh",
        "-c",
        "grep -qsiE \"^ *[0-9]+: [0-9A-F]+:$1 [0-9A-F]+:[0-9A-F]+ 0A \" /proc/net/tcp"
            + " /proc/net/tcp6",
        "probe",
        String.format(Locale.ROOT, "%04X", port));
  }

  /**
   * Ready when {@code GET path} from this host answers 200 (change with {@link
   * HttpWaitStrategy#forStatusCode}); the port defaults to the instance's first published port.
   *
   * @throws IllegalArgumentException when {@code path} does not start with {@code /}
   */
  public static HttpWaitStrategy forHttp(String path) {
    return new HttpWaitStrategy(path);
  }

  /**
   * Ready when {@code exec instance://NAME command…} exits 0.
   *
   * @throws IllegalArgumentException when {@code command} is empty
   */
  public static PollingWaitStrategy forSuccessfulCommand(String... command) {
    return new CommandWaitStrategy(
        List.of(command), "command " + String.join(" ", command) + " to exit 0");
  }

  /**
   * Ready when the compose file's healthcheck of the instance's service succeeds once ({@code CMD}
   * runs its argv, {@code CMD-SHELL} runs {@code /bin/sh -c LINE}); checks at once, then every
   * {@code start_interval} (default 5 s) during {@code start_period} and every {@code interval}
   * (default 30 s) after — Compose Specification {@code healthcheck}. A target without a
   * healthcheck (a lone instance, or a service without one, or with {@code disable: true}) fails
   * the wait with {@link IllegalStateException}.
   */
  public static PollingWaitStrategy forHealthcheck() {
    return new HealthcheckWaitStrategy();
  }

  /**
   * Ready when every one of {@code strategies} is, checked in order; the timeout of each applies to
   * it alone.
   */
  public static WaitStrategy forAll(WaitStrategy... strategies) {
    return new AllWaitStrategy(List.of(strategies));
  }

  static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }
}
