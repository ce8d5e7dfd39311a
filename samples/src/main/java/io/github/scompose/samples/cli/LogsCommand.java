package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.ComposeLogFollower;
import io.github.scompose.core.compose.ComposeLogLine;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.LogOptions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose logs [--tail N] [-f] [-t] [--since TIME] [--no-log-prefix] [SERVICE…]}: the
 * engine's merged logs ({@link ComposeStack#logLines}, {@link ComposeStack#followLogs}): each
 * instance's {@code .out} then {@code .err} log, every line prefixed {@code <service>-<n> | } with
 * the labels padded to one width ({@link ComposeLogLine#line()}, the {@code docker compose logs}
 * style). Only the current run of each instance: the binary appends to its log files across runs
 * and keeps them after stop, so {@code up} records where each file ended before it started the
 * instance and this shows what came after (stopped instances have logs too). {@code -f} then
 * follows new lines until Ctrl-C. A project that is not up has no logs to show.
 *
 * <p>As {@code docker compose logs}: {@code --no-log-prefix} leaves the {@code <service>-<n> | }
 * prefix out; {@code -t/--timestamps} puts each line's time (ISO-8601, UTC) after the prefix: the
 * time scompose read it while following ({@code -f}), within 250 ms of its writing, and {@code -}
 * for lines already in the files (the runtime's log files carry no times); {@code --since TIME} (an
 * ISO-8601 instant such as {@code 2026-12-03T10:00:00Z}, Unix seconds, or a duration back from now
 * such as {@code 42m}, {@code 1h30m}, {@code 10s}) leaves out the instances whose run began before
 * TIME and whose log files have not changed since; another instance's run is shown whole, as the
 * files cannot say which of its lines came after TIME. A TIME in none of these forms is a usage
 * error (exit 2).
 */
@Command(name = "logs", description = "Show (and follow) the instances' logs.")
final class LogsCommand implements Runnable {

  @ParentCommand ScomposeCommand root;

  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of each log.")
  Integer tail;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow new lines until Ctrl-C.")
  boolean follow;

  @Option(
      names = {"-t", "--timestamps"},
      description =
          "Show each line's time (UTC) after the prefix: when it was read while following, '-'"
              + " for lines already written (the log files carry no times).")
  boolean timestamps;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Leave out instances whose run began before TIME and whose logs have not changed"
              + " since: 2026-12-03T10:00:00Z, Unix seconds, or a duration back from now (42m,"
              + " 1h30m, 10s).")
  String since;

  @Option(names = "--no-log-prefix", description = "Leave out the '<service>-<n> | ' prefix.")
  boolean noLogPrefix;

  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  /** What {@code --since 10m} counts back from; the system clock (UTC). */
  java.time.Clock clock = java.time.Clock.systemUTC();

  @Override
  public void run() {
    if (tail != null && tail < 0) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, "--tail " + tail + " is negative");
    }
    Instant sinceInstant = since == null ? null : since(since, clock.instant());
    var acrossNodes = AcrossNodesCli.recorded(root); // issue 16
    if (acrossNodes.isPresent()) {
      AcrossNodesOutput.logs(
          root, acrossNodes.get(), services, tail, sinceInstant, follow, !noLogPrefix);
      return;
    }
    try (ProjectSession session = ProjectSession.open(root)) {
      session.checkServices(services);
      List<InstanceStatus> recorded = session.compose().ps(session.project().directory());
      if (recorded.isEmpty()) {
        return;
      }
      // the handle is not closed: closing it is down
      ComposeStack stack = session.compose().attach(session.project().directory());
      Set<String> present = new LinkedHashSet<>();
      recorded.forEach(i -> present.add(i.service()));
      List<String> wanted =
          services.isEmpty()
              ? List.copyOf(present)
              : services.stream().filter(present::contains).toList();
      if (wanted.isEmpty()) {
        return;
      }
      LogOptions.Builder options = LogOptions.builder().services(wanted);
      if (sinceInstant != null) {
        options.since(sinceInstant);
      }
      if (tail != null) {
        options.tail(tail);
      }
      LogOptions o = options.build();
      if (follow) {
        follow(stack, o);
      } else {
        stack.logLines(o).forEach(l -> root.out.println(format(l)));
        root.out.flush();
      }
    }
  }

  /** The line as the options show it: prefix (unless {@code --no-log-prefix}), time, text. */
  String format(ComposeLogLine l) {
    StringBuilder b = new StringBuilder();
    if (!noLogPrefix) {
      b.append(l.prefix());
    }
    if (timestamps) {
      b.append(l.time().map(Instant::toString).orElse("-")).append(' ');
    }
    return b.append(l.text()).toString();
  }

  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  /**
   * The instant of {@code --since TIME}: an ISO-8601 instant, Unix seconds, or {@code NhNmNs} (any
   * part may be left out, at least one given) back from {@code now}.
   *
   * @throws CliException (exit 2) for any other text
   */
  static Instant since(String value, Instant now) {
    String v = value.strip();
    if (v.matches("\\d+")) {
      return Instant.ofEpochSecond(Long.parseLong(v));
    }
    Matcher m = DURATION.matcher(v);
    if (!v.isEmpty() && m.matches()) {
      long seconds = 0;
      for (int g = 1; g <= 3; g++) {
        if (m.group(g) != null) {
          seconds += Long.parseLong(m.group(g)) * (g == 1 ? 3600 : g == 2 ? 60 : 1);
        }
      }
      return now.minusSeconds(seconds);
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new CliException(
          ScomposeCommand.EXIT_INVALID,
          "--since "
              + value
              + ": not a time (expected an ISO-8601 instant such as 2026-12-03T10:00:00Z, Unix"
              + " seconds, or a duration such as 42m, 1h30m, 10s)");
    }
  }

  private void follow(ComposeStack stack, LogOptions options) {
    ComposeLogFollower follower =
        stack.followLogs(
            options,
            l -> {
              synchronized (root.out) {
                root.out.println(format(l));
                root.out.flush();
              }
            });
    follower.start();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  follower.close();
                  done.countDown();
                }));
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
