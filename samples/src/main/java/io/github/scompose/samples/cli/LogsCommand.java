package io.github.scompose.samples.cli;

import io.github.scompose.core.client.InstanceLogs;
import io.github.scompose.core.client.LogFollower;
import io.github.scompose.core.compose.InstanceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose logs [--tail N] [-f] [SERVICE…]}: each instance's {@code .out} then {@code .err}
 * log, every line prefixed {@code <instance> | }. The binary appends to its log files across runs
 * and keeps them after stop, so stopped instances have logs too. {@code -f} then follows new lines
 * until Ctrl-C.
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
      List<InstanceStatus> instances = session.ps(services);
      for (InstanceStatus i : instances) {
        InstanceLogs logs =
            tail == null
                ? session.client().logs(i.name())
                : session.client().tailLogs(i.name(), tail);
        print(i.name(), logs.out());
        print(i.name(), logs.err());
      }
      root.out.flush();
      if (follow) {
        follow(session, instances);
      }
    }
  }

  private void print(String name, String text) {
    for (String line : text.split("\n")) {
      if (!line.isEmpty()) {
        root.out.println(name + " | " + line);
      }
    }
  }

  private void follow(ProjectSession session, List<InstanceStatus> instances) {
    List<LogFollower> followers = new ArrayList<>();
    for (InstanceStatus i : instances) {
      followers.add(
          session
              .client()
              .followLogs(
                  i.name(),
                  true,
                  (stream, line) -> {
                    synchronized (root.out) {
                      root.out.println(i.name() + " | " + line);
                    }
                  })
              .start());
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  followers.forEach(LogFollower::close);
                  done.countDown();
                }));
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
