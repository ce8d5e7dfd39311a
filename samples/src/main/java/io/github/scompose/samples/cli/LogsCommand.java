package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.ComposeLogFollower;
import io.github.scompose.core.compose.ComposeLogLine;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ImmutableLogOptions;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.compose.LogOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose logs [--tail N] [-f] [SERVICE…]}: the engine's merged logs ({@link
 * ComposeStack#logLines}, {@link ComposeStack#followLogs}): each instance's {@code .out} then
 * {@code .err} log, every line prefixed {@code <service>-<n> | } with the labels padded to one
 * width ({@link ComposeLogLine#line()}, the {@code docker compose logs} style). The binary appends
 * to its log files across runs and keeps them after stop, so stopped instances have logs too.
 * {@code -f} then follows new lines until Ctrl-C. A project that is not up has no logs to show.
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

  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Override
  public void run() {
    if (tail != null && tail < 0) {
      throw new CliException(ScomposeCommand.EXIT_INVALID, "--tail " + tail + " is negative");
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
      ImmutableLogOptions.Builder options = ImmutableLogOptions.builder().services(wanted);
      if (tail != null) {
        options.tail(tail);
      }
      LogOptions o = options.build();
      if (follow) {
        follow(stack, o);
      } else {
        stack.logLines(o).forEach(l -> root.out.println(l.line()));
        root.out.flush();
      }
    }
  }

  private void follow(ComposeStack stack, LogOptions options) {
    ComposeLogFollower follower =
        stack.followLogs(
            options,
            l -> {
              synchronized (root.out) {
                root.out.println(l.line());
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
